package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * An OpenID Connect provider outside the platform (a company's own SSO) whose access tokens the platform's
 * services accept.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ExternalIdentitySpec {

  @Required
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("The provider's issuer: the iss claim of its tokens, exactly (e.g. https://sso.example.com/realms/staff).")
  private String issuer;

  @Required
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Where the services fetch the provider's signing keys (its JWKS), reachable from the pods.")
  private String jwksUri;

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public String getJwksUri() {
    return jwksUri;
  }

  public void setJwksUri(String jwksUri) {
    this.jwksUri = jwksUri;
  }
}
