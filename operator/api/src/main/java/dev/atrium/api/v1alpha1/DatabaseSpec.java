package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** PostgreSQL: one primary and streaming replicas. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class DatabaseSpec extends StatefulComponentSpec {

  @Min(1)
  @Max(9)
  @JsonPropertyDescription("PostgreSQL servers: one primary, the rest streaming replicas. Scaling adds or removes replicas, never the primary. The size's when empty (2 without a size).")
  private Integer replicas;

  @Default("{\"size\": \"20Gi\"}")
  @JsonPropertyDescription("Volume of each PostgreSQL server (default 20Gi).")
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
