package dev.atrium.operator.platformdata;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bucket (and a prefix in it) of an S3 store: the tenant's object store, or the backup destination.
 *
 * @param prefix empty, or a path ending in "/"
 */
public record S3Store(S3Client client, String bucket, String prefix) implements AutoCloseable {

  /**
   * A client for an S3 endpoint such as SeaweedFS's gateway or a site's own store: path-style addressing (the bucket
   * in the path, as an in-cluster Service name cannot carry it), a region it ignores, checksums only when the
   * operation needs one (SeaweedFS and older stores refuse the SDK's newer default trailers).
   */
  public static S3Client connect(String endpoint, String accessKeyId, String secretAccessKey) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId,
            secretAccessKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** How the operator reaches an S3 endpoint: {@link #connect} itself; in tests, an in-cluster name mapped to a local server. */
  @FunctionalInterface
  public interface Connector {
    S3Client connect(String endpoint, String accessKeyId, String secretAccessKey);
  }

  /** A path for a store's prefix: empty or "path/". */
  public static String prefix(String path) {
    return path == null || path.isBlank() ? "" : path.replaceAll("^/+|/+$", "") + "/";
  }

  @Override
  public void close() {
    client.close();
  }
}
