package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The message center service, plus its federation with other tenants' platforms. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class MessageCenterSpec extends StatelessComponentSpec {

  @Default("{}")
  @JsonPropertyDescription("Cross-tenant messages: people of the peer platforms listed here are addressed as "
      + "user@platform. Off unless enabled.")
  private FederationSpec federation;

  public FederationSpec getFederation() {
    return federation;
  }

  public void setFederation(FederationSpec federation) {
    this.federation = federation;
  }
}
