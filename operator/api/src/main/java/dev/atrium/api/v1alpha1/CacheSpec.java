package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The Redis-compatible cache with Sentinel failover. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CacheSpec extends StatefulComponentSpec {

  @Min(1)
  @Max(9)
  @JsonPropertyDescription("Cache servers: one primary and replicas, watched by Sentinel. 3 or more survive losing one; 1 has no failover. The size's when empty (3 without a size).")
  private Integer replicas;

  @Default("{\"size\": \"2Gi\"}")
  @JsonPropertyDescription("Volume of each cache server, for its append-only file (default 2Gi).")
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
