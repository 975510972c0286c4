package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** PostgreSQL under Patroni: one primary and streaming replicas, and failover between them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class DatabaseSpec extends StatefulComponentSpec {

  @Min(1)
  @Max(9)
  @JsonPropertyDescription("PostgreSQL servers: one primary, the rest streaming replicas; when the primary is lost, a replica takes over. Scaling removes the highest-numbered pods; if the primary is among them, it hands over to a replica first. The size's when empty (2 without a size).")
  private Integer replicas;

  @Default("false")
  @JsonPropertyDescription("Synchronous replication: a commit returns only once a replica has it too, so an acknowledged commit survives the loss of the primary, and only that replica may take over. Commits wait for the network round trip; with no replica left, the primary goes on alone rather than stop taking writes. Needs at least 2 replicas to mean anything.")
  private Boolean synchronous;

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

  public Boolean getSynchronous() {
    return synchronous;
  }

  public void setSynchronous(Boolean synchronous) {
    this.synchronous = synchronous;
  }

  /** Whether commits wait for a replica: false unless the spec says true (the schema's default). */
  public boolean synchronous() {
    return Boolean.TRUE.equals(synchronous);
  }

  @Override
  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }
}
