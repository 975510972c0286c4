package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Another tenant's platform this one trusts, with its signing key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class FederationPeer {

  @Required
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The peer platform's name (its ATRIUM_PLATFORM, the name of its CollaborationPlatform); "
      + "its people are addressed as user@<platform>.")
  private String platform;

  @Required
  @Size(max = 2048)
  @Pattern("^https://[^\\s/?#@]+(/[^\\s?#]*)?$")
  @JsonPropertyDescription("The peer's federation endpoint, HTTPS, e.g. https://collab.globex.example/federation.")
  private String endpoint;

  @Required
  @Size(max = 128)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._:-]*$")
  @JsonPropertyDescription("Id of the peer's signing key (the kid of its requests).")
  private String keyId;

  @Required
  @Size(max = 1024)
  @Pattern("^[A-Za-z0-9+/]+={0,2}$")
  @JsonPropertyDescription("The peer's Ed25519 public key: SubjectPublicKeyInfo, base64 DER (MCowBQYDK2VwAyEA...).")
  private String publicKey;

  public String getPlatform() {
    return platform;
  }

  public void setPlatform(String platform) {
    this.platform = platform;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getKeyId() {
    return keyId;
  }

  public void setKeyId(String keyId) {
    this.keyId = keyId;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }
}
