package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The persistent volume of each pod of a stateful component. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// The size rules judge only what the pattern accepts (always a quantity): a size that is no quantity
// is refused once, by the pattern, instead of a second time by a rule that cannot read it.
@ValidationRule(value = "!self.size.matches(r'" + StorageSpec.SIZE_PATTERN + "')"
    + " || quantity(self.size).compareTo(quantity('1Gi')) >= 0",
    message = "storage.size must be at least 1Gi", fieldPath = ".size")
@ValidationRule(value = "!self.size.matches(r'" + StorageSpec.SIZE_PATTERN + "') || !isQuantity(oldSelf.size)"
    + " || quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0",
    message = "storage.size can only grow: shrinking a volume would lose data", fieldPath = ".size")
@ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName)"
    + " && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message = "storage.storageClassName cannot change once volumes exist", fieldPath = ".storageClassName")
public class StorageSpec {

  /** A quantity of bytes as people write it: digits, an optional fraction, an optional suffix. */
  static final String SIZE_PATTERN = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

  @Required
  @Size(max = 32)
  @Pattern(SIZE_PATTERN)
  @JsonPropertyDescription("Size of each pod's volume, as a quantity such as 20Gi. It may grow later, never shrink.")
  private String size;

  @Size(max = 253)
  @JsonPropertyDescription("StorageClass of the volumes; the cluster's default class when empty. Fixed once set.")
  private String storageClassName;

  @Default("Retain")
  @JsonPropertyDescription("What happens to the volumes when the platform is deleted: Retain (keep the data) or Delete.")
  private VolumeReclaimPolicy reclaimPolicy;

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public VolumeReclaimPolicy getReclaimPolicy() {
    return reclaimPolicy;
  }

  public void setReclaimPolicy(VolumeReclaimPolicy reclaimPolicy) {
    this.reclaimPolicy = reclaimPolicy;
  }
}
