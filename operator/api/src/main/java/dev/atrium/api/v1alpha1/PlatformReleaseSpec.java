package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What a release consists of and how a platform moves to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "size(self.order) == " + ReleaseComponent.COUNT
    + " && self.order.all(c, self.order.exists_one(d, d == c))",
    message = "order must name each of the " + ReleaseComponent.COUNT + " components exactly once")
@ValidationRule(value = "!has(self.upgradeFrom) || !self.upgradeFrom.exists(v, v == self.version)",
    message = "upgradeFrom must not contain the release's own version")
public class PlatformReleaseSpec {

  @Required
  @Size(max = 32)
  @Pattern("^[0-9]+\\.[0-9]+\\.[0-9]+$")
  @JsonPropertyDescription("The version, e.g. 1.1.0; also the object's name.")
  private String version;

  @Required
  @JsonPropertyDescription("The image of every component.")
  private ReleaseImages images;

  @Required
  @Size(min = ReleaseComponent.COUNT, max = ReleaseComponent.COUNT)
  @JsonPropertyDescription("The order components upgrade in, one at a time, each after the previous is healthy: "
      + "data stores first (database, cache, objectStore), then the services.")
  private List<ReleaseComponent> order = new ArrayList<>();

  @Size(max = 50)
  @JsonPropertyDescription("Versions a platform may upgrade to this one from; any other is refused with a condition.")
  private List<@Size(max = 32) @Pattern("^[0-9]+\\.[0-9]+\\.[0-9]+$") String> upgradeFrom = new ArrayList<>();

  @Default("30")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription("Seconds a component must stay healthy after its rollout before the next one starts.")
  private Integer soakSeconds;

  @Default("600")
  @Min(5)
  @Max(7200)
  @JsonPropertyDescription("Seconds a component's step may take to become healthy before the upgrade halts.")
  private Integer stepTimeoutSeconds;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public ReleaseImages getImages() {
    return images;
  }

  public void setImages(ReleaseImages images) {
    this.images = images;
  }

  public List<ReleaseComponent> getOrder() {
    return order;
  }

  public void setOrder(List<ReleaseComponent> order) {
    this.order = order;
  }

  public List<String> getUpgradeFrom() {
    return upgradeFrom;
  }

  public void setUpgradeFrom(List<String> upgradeFrom) {
    this.upgradeFrom = upgradeFrom;
  }

  public Integer getSoakSeconds() {
    return soakSeconds;
  }

  public void setSoakSeconds(Integer soakSeconds) {
    this.soakSeconds = soakSeconds;
  }

  public Integer getStepTimeoutSeconds() {
    return stepTimeoutSeconds;
  }

  public void setStepTimeoutSeconds(Integer stepTimeoutSeconds) {
    this.stepTimeoutSeconds = stepTimeoutSeconds;
  }
}
