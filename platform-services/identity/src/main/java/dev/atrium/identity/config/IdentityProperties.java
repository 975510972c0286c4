package dev.atrium.identity.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Identity's own settings, under {@code atrium.identity} (environment: {@code ATRIUM_IDENTITY_*}). Every one is
 * documented in README.md of this module. The secrets among them (signing key, encryption key, admin password)
 * come from the operator's generated Secrets; {@link #toString()} never prints them.
 *
 * @param issuer the issuer every token names, and the base of the discovery document's endpoints
 * @param signingKey the platform's RSA signing key, PKCS#8 DER in base64
 * @param signingKeyId the signing key's id (the JWK {@code kid})
 * @param encryptionKey a random string; rotated signing keys and TOTP secrets are encrypted at rest with a key
 *     derived from it
 * @param adminPassword the first administrator's ({@code admin}) password, used once when the directory is empty
 * @param accessTokenTtl how long an access token lives
 * @param refreshTokenTtl how long a refresh token lives
 * @param authorizationCodeTtl how long an authorization code may wait to be exchanged
 * @param lockoutThreshold failed sign-ins in a row that lock a person
 * @param lockoutDuration how long a lock lasts
 * @param clients ids of the platform's own OAuth clients, each configured by {@code ATRIUM_IDENTITY_CLIENT_<ID>_*}
 * @param maxRequestSize largest request body accepted; larger ones get 413
 * @param drainDelay at shutdown, how long to keep serving with readiness false before graceful shutdown starts
 */
@Validated
@ConfigurationProperties("atrium.identity")
public record IdentityProperties(
    @NotBlank String issuer,
    @NotBlank String signingKey,
    @NotBlank String signingKeyId,
    @NotBlank String encryptionKey,
    String adminPassword,
    @NotNull @DefaultValue("5m") Duration accessTokenTtl,
    @NotNull @DefaultValue("8h") Duration refreshTokenTtl,
    @NotNull @DefaultValue("2m") Duration authorizationCodeTtl,
    @Min(1) @Max(100) @DefaultValue("5") int lockoutThreshold,
    @NotNull @DefaultValue("15m") Duration lockoutDuration,
    @NotNull @DefaultValue("") List<String> clients,
    @NotNull @DefaultValue("64KB") DataSize maxRequestSize,
    @NotNull @DefaultValue("0s") Duration drainDelay) {

  @Override
  public String toString() {
    return "IdentityProperties[issuer=" + issuer + ", signingKeyId=" + signingKeyId + ", accessTokenTtl="
        + accessTokenTtl + ", refreshTokenTtl=" + refreshTokenTtl + ", lockoutThreshold=" + lockoutThreshold
        + ", lockoutDuration=" + lockoutDuration + ", clients=" + clients + "]";
  }
}
