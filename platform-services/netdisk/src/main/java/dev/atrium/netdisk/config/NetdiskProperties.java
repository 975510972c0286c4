package dev.atrium.netdisk.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Netdisk's settings, under {@code atrium.netdisk} (environment {@code ATRIUM_NETDISK_*}, {@code ATRIUM_S3_*},
 * {@code ATRIUM_MESSAGE_CENTER_URL}, {@code ATRIUM_OAUTH_CLIENT_*}); README.md of this module lists them.
 *
 * @param publicUrl where people reach netdisk ({@code https://<domain>/netdisk}): share links and deep links
 * @param personalQuota each person's personal space
 * @param spaceQuota a new department or team space
 * @param maxFileSize the largest file; larger uploads are refused before a byte is stored
 * @param versionsKept how many versions of a file are kept (the current one included); older ones go
 * @param trashRetention how long deleted files stay in the trash before they are deleted for good
 * @param chunkSize the size of an upload's chunks (S3 parts: 5 MiB at least)
 * @param uploadExpiry an upload not completed within this is abandoned and its chunks deleted
 * @param drainDelay at shutdown, how long to keep serving with readiness false
 * @param principalTypeClaim the JWT claim telling people ({@code user}) from apps ({@code app})
 * @param departmentsClaim the JWT claim listing a person's departments (and every one above)
 */
@Validated
@ConfigurationProperties("atrium.netdisk")
public record NetdiskProperties(
    @NotNull URI publicUrl,
    @NotNull @DefaultValue("10GB") DataSize personalQuota,
    @NotNull @DefaultValue("100GB") DataSize spaceQuota,
    @NotNull @DefaultValue("20GB") DataSize maxFileSize,
    @Min(1) @Max(1000) @DefaultValue("50") int versionsKept,
    @NotNull @DefaultValue("30d") Duration trashRetention,
    @NotNull @DefaultValue("8MB") DataSize chunkSize,
    @NotNull @DefaultValue("7d") Duration uploadExpiry,
    @NotNull @DefaultValue("0s") Duration drainDelay,
    @NotBlank @DefaultValue("principal_type") String principalTypeClaim,
    @NotBlank @DefaultValue("departments") String departmentsClaim,
    @NotNull @Valid S3 s3,
    @NotNull @Valid @DefaultValue Events events) {

  /** S3 parts other than the last must be 5 MiB at least; 64 MiB bounds what one request holds a thread for. */
  @AssertTrue(message = "ATRIUM_NETDISK_CHUNK_SIZE must be between 5MB and 64MB")
  public boolean isChunkSizeValid() {
    return chunkSize == null || chunkSize.toBytes() >= 5L * 1024 * 1024 && chunkSize.toBytes() <= 64L * 1024 * 1024;
  }

  /** The public URL without a trailing slash. */
  public String publicBase() {
    String base = publicUrl.toString();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The tenant's object store: endpoint, bucket (created at start when missing, never deleted) and key pair. */
  public record S3(@NotBlank String endpoint, @NotBlank String bucket, @NotBlank @DefaultValue("us-east-1") String region,
      @NotBlank String accessKey, @NotBlank String secretKey, @Min(1) @DefaultValue("64") int maxConnections) {

    @Override
    public String toString() {
      return "S3[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + "]";
    }
  }

  /**
   * Where file events go: the message center's app API, as identity's client netdisk (client credentials). All
   * four set, or none (events are then kept in the outbox, not sent).
   */
  public record Events(String messageCenterUrl, String tokenUri, String clientId, String clientSecret) {

    public boolean enabled() {
      return present(messageCenterUrl);
    }

    @AssertTrue(message = "ATRIUM_MESSAGE_CENTER_URL needs ATRIUM_IDENTITY_TOKEN_URI, ATRIUM_OAUTH_CLIENT_ID and"
        + " ATRIUM_OAUTH_CLIENT_SECRET: netdisk calls the message center as identity's client")
    public boolean isComplete() {
      return !enabled() || present(tokenUri) && present(clientId) && present(clientSecret);
    }

    private static boolean present(String value) {
      return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
      return "Events[messageCenterUrl=" + messageCenterUrl + ", tokenUri=" + tokenUri + ", clientId=" + clientId + "]";
    }
  }
}
