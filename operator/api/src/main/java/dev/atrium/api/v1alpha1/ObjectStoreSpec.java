package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The S3-compatible object store behind netdisk: SeaweedFS (docs/decisions/0007-object-store-on-seaweedfs.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// 0 and below are the schema's minimum's to refuse, so a count is named once
@ValidationRule(value = "!has(oldSelf.replicas) || !has(self.replicas) || self.replicas < 1"
    + " || self.replicas >= oldSelf.replicas",
    message = "objectStore.replicas can only grow: a server's volumes have to be moved to the others before it "
        + "goes (weed shell volumeServer.evacuate), which the operator does not do yet; add servers, never remove "
        + "them", fieldPath = ".replicas")
public class ObjectStoreSpec extends StatefulComponentSpec {

  @Min(1)
  @Max(32)
  @JsonPropertyDescription("Object store servers (SeaweedFS). Each keeps volumes on its own volume and serves S3; the "
      + "first one (below 3 servers) or the first three are also the masters. 1 keeps one copy of every object; from "
      + "2 every object has two copies on two servers, so one server can be lost without losing data (from 3 writes "
      + "go on while one is down). The size's when empty (4 without a size); it can only grow.")
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
