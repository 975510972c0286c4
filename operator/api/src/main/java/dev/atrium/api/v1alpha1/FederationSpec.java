package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which other platforms the message center exchanges messages with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class FederationSpec {

  @Default("false")
  @JsonPropertyDescription("Federate with the peers below. When first enabled the operator generates this platform's "
      + "Ed25519 signing key into the Secret <platform>-message-center-federation, once; the front door then routes "
      + "/federation to the message center.")
  private Boolean enabled;

  @Size(max = 50)
  @ValidationRule(value = "self.all(p, self.exists_one(q, q.platform == p.platform))",
      message = "messageCenter.federation.peers must name each platform once")
  @JsonPropertyDescription("The trust list: only these platforms are sent to or accepted from. Each peer's keyId "
      + "and publicKey are what its GET <endpoint>/key answers.")
  private List<FederationPeer> peers;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<FederationPeer> getPeers() {
    return peers;
  }

  public void setPeers(List<FederationPeer> peers) {
    this.peers = peers;
  }
}
