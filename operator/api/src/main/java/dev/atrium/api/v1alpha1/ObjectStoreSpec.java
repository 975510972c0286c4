package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The S3-compatible object store behind netdisk. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// each mistake is named once: 0 and below by the schema's minimum, 2 and 3 by the first rule, and only a
// count the other rules accept as shrinking
@ValidationRule(value = "!has(self.replicas) || self.replicas <= 1 || self.replicas >= 4",
    message = "objectStore.replicas must be 1 (no redundancy) or at least 4 (erasure coding needs 4 servers)",
    fieldPath = ".replicas")
@ValidationRule(value = "!has(oldSelf.replicas) || !has(self.replicas) || self.replicas < 1"
    + " || (self.replicas > 1 && self.replicas < 4) || self.replicas >= oldSelf.replicas",
    message = "objectStore.replicas can only grow: every object is spread over all servers (erasure coding), so "
        + "removing a server would lose data; add servers, never remove them", fieldPath = ".replicas")
public class ObjectStoreSpec extends StatefulComponentSpec {

  @Min(1)
  @Max(32)
  @JsonPropertyDescription("Object store servers: 1 (no redundancy) or 4 and more (erasure-coded, survives losing servers). The size's when empty (4 without a size); it can only grow.")
  private Integer replicas;

  @Default("{\"size\": \"100Gi\"}")
  @JsonPropertyDescription("Volume of each object store server (default 100Gi).")
  private StorageSpec storage;

  @Override
  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  @Override
  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }
}
