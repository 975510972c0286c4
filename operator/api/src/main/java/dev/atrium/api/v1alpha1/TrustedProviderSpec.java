package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A company's own OpenID Connect provider that identity trusts beside its own login (hybrid mode): a person who
 * signs in there lands in Atrium as the person of identity's directory the provider's usernameClaim names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrustedProviderSpec {

  /** The schema's default, which the operator also uses for a platform stored before the field existed. */
  public static final String DEFAULT_USERNAME_CLAIM = "preferred_username";

  @Required
  @Size(min = 1, max = 31)
  @Pattern("^[a-z0-9][a-z0-9-]{0,30}$")
  @JsonPropertyDescription("A short id of the provider: lower-case letters, digits and '-', at most 31. It is part of"
      + " the callback URL the company registers for identity, <scheme>://<domain>/auth/login/oauth2/code/<name>"
      + " (https with ingress.tlsSecretName), so renaming a provider means registering the new URL there.")
  private String name;

  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription("What the button on identity's login page says, e.g. Acme SSO.")
  private String displayName;

  @Required
  @Size(max = 2048)
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("The provider's issuer, exactly the iss of its ID tokens (e.g."
      + " https://sso.acme.example/realms/staff); identity reads <issuer>/.well-known/openid-configuration from the"
      + " pods when someone first signs in through it. Use https in production: identity sends its client secret"
      + " there.")
  private String issuer;

  @Required
  @Size(min = 1, max = 200)
  @JsonPropertyDescription("Identity's client id at the provider: the company registers identity there as a"
      + " confidential client (authorization code, client_secret_basic, scopes openid and profile) with the redirect"
      + " URI <scheme>://<domain>/auth/login/oauth2/code/<name>.")
  private String clientId;

  @Required
  @JsonPropertyDescription("The Secret key holding identity's client secret at the provider, in the platform's"
      + " namespace; passed to identity by secretKeyRef, never into a ConfigMap. A missing Secret or key is reported"
      + " in the status (MissingSecret).")
  private SecretKeyRef clientSecretRef;

  @Default(DEFAULT_USERNAME_CLAIM)
  @Size(min = 1, max = 256)
  @Pattern("^[A-Za-z_][A-Za-z0-9_.:/-]*$")
  @JsonPropertyDescription("The ID token claim holding the person's username in identity's directory (for people"
      + " synced from LDAP, their ldap.attributes.username; compared in lower case), e.g. preferred_username, upn or"
      + " email. Someone the directory does not know, or a disabled person, is refused; nobody is created.")
  private String usernameClaim;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  public SecretKeyRef getClientSecretRef() {
    return clientSecretRef;
  }

  public void setClientSecretRef(SecretKeyRef clientSecretRef) {
    this.clientSecretRef = clientSecretRef;
  }

  public String getUsernameClaim() {
    return usernameClaim;
  }

  public void setUsernameClaim(String usernameClaim) {
    this.usernameClaim = usernameClaim;
  }
}
