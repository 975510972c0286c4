package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How a change of spec.version is carried out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class UpgradeSpec {

  @Default("false")
  @JsonPropertyDescription("Hold the upgrade after the component in progress; set back to false to go on.")
  private Boolean paused;

  @Default("Manual")
  @JsonPropertyDescription("What happens when a component does not become healthy within the release's step "
      + "timeout: Manual halts the upgrade there (set spec.version back to return the component to its previous "
      + "image); Automatic also returns that component to its previous image at once.")
  private RollbackPolicy rollback;

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public RollbackPolicy getRollback() {
    return rollback;
  }

  public void setRollback(RollbackPolicy rollback) {
    this.rollback = rollback;
  }
}
