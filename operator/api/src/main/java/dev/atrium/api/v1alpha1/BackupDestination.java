package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * An S3 bucket that holds a platform's backups: the base backups and the archived WAL of its database, under
 * {@code <path>/<platform name>/}. A site keeps it off the cluster by naming its own store here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BackupDestination {

  @Required
  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#]+(/[^\\s?#]*)?$")
  @JsonPropertyDescription("The S3 endpoint, http:// or https://, e.g. https://backup.site.example:9000. HTTPS is "
      + "verified against the image's system CA bundle.")
  private String endpoint;

  @Required
  @Size(min = 3, max = 63)
  @Pattern("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
  @JsonPropertyDescription("The bucket (an S3 bucket name); created when it does not exist.")
  private String bucket;

  @Size(max = 200)
  @Pattern("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$")
  @JsonPropertyDescription("A prefix in the bucket, e.g. tenants/acme; the backups go under <path>/<platform name>/.")
  private String path;

  @Required
  @JsonPropertyDescription("The access key id, from a Secret in the platform's namespace.")
  private SecretKeyRef accessKeyId;

  @Required
  @JsonPropertyDescription("The secret access key, from a Secret in the platform's namespace; it reaches only the "
      + "database's pods, by secretKeyRef.")
  private SecretKeyRef secretAccessKey;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public SecretKeyRef getAccessKeyId() {
    return accessKeyId;
  }

  public void setAccessKeyId(SecretKeyRef accessKeyId) {
    this.accessKeyId = accessKeyId;
  }

  public SecretKeyRef getSecretAccessKey() {
    return secretAccessKey;
  }

  public void setSecretAccessKey(SecretKeyRef secretAccessKey) {
    this.secretAccessKey = secretAccessKey;
  }
}
