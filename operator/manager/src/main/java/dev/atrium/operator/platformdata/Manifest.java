package dev.atrium.operator.platformdata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What one backup took of the platform's own data, sealed to the tenant's key as a whole: the generated Secrets by
 * their name without the platform's prefix (so a restore under another name maps them), the data key the objects are
 * sealed under, and every object with the blob that holds it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(String format, String platform, String namespace, String backup, String backupId,
    String takenAt, Map<String, Map<String, String>> secrets, String dataKey, List<StoredObject> objects) {

  public static final String FORMAT = "atrium-platform-data/v1";

  /** One object of a bucket and the blob its sealed bytes are in. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StoredObject(String bucket, String key, long size, String etag, String contentType, String blob) {
  }
}
