package dev.atrium.messagecenter.federation;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Federation with other tenants' message centers, under {@code atrium.federation} (environment:
 * {@code ATRIUM_FEDERATION_*}); every one is documented in README.md of this module. Without a private key
 * federation is off: nothing is sent to peers and the endpoint refuses every request.
 *
 * @param endpoint this platform's federation endpoint as peers reach it (informational: served at
 *     {@code GET /federation/key} so peers can add it to their trust lists)
 * @param keyId the id of this platform's signing key, sent as {@code kid}
 * @param privateKey this platform's Ed25519 private key, PKCS#8, base64 DER or PEM
 * @param publicKey its public key (X.509 SubjectPublicKeyInfo, base64 DER or PEM), served to peers' operators
 * @param peers the trust list, JSON: {@code [{"platform","endpoint","keyId","publicKey"}]}
 * @param tokenTtl how long a signed federation request is valid
 * @param clockSkew how far the peers' clocks may be off
 * @param relayInterval how often the relay looks at the outbox when no send wakes it
 * @param retryInitial the first retry delay after a failed delivery; doubled per attempt
 * @param retryMax the longest retry delay
 * @param requestTimeout how long one delivery may take
 * @param batchSize most outbox rows relayed to one peer per pass
 */
@Validated
@ConfigurationProperties("atrium.federation")
public record FederationProperties(
    String endpoint,
    String keyId,
    String privateKey,
    String publicKey,
    @NotNull @DefaultValue("[]") String peers,
    @NotNull @DefaultValue("60s") Duration tokenTtl,
    @NotNull @DefaultValue("30s") Duration clockSkew,
    @NotNull @DefaultValue("2s") Duration relayInterval,
    @NotNull @DefaultValue("500ms") Duration retryInitial,
    @NotNull @DefaultValue("60s") Duration retryMax,
    @NotNull @DefaultValue("10s") Duration requestTimeout,
    @Min(1) @DefaultValue("100") int batchSize) {

  public boolean enabled() {
    return privateKey != null && !privateKey.isBlank();
  }
}
