package dev.atrium.netdisk.storage;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Netdisk's bucket in the object store, through the AWS SDK's S3 client: whole objects, multipart uploads (an
 * upload's chunks are its parts), ranged reads and deletes. Object keys are netdisk's own ({@code blobs/<uuid>}).
 */
public class ObjectStore {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);

  private final S3Client s3;
  private final String bucket;

  public ObjectStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }

  /**
   * Creates the bucket when it does not exist; never deletes or empties one. A store that has just started may
   * refuse writes until a volume server registered, so this retries for up to {@code patience}.
   */
  public void ensureBucket(Duration patience) {
    Instant deadline = Instant.now().plus(patience);
    while (true) {
      try {
        s3.headBucket(b -> b.bucket(bucket));
        return;
      } catch (NoSuchBucketException e) {
        try {
          s3.createBucket(b -> b.bucket(bucket));
          LOG.info("created the bucket {} in the object store", bucket);
          return;
        } catch (S3Exception created) {
          if ("BucketAlreadyOwnedByYou".equals(created.awsErrorDetails().errorCode())
              || "BucketAlreadyExists".equals(created.awsErrorDetails().errorCode())) {
            return;
          }
          retryOrThrow(deadline, created);
        }
      } catch (SdkException e) {
        retryOrThrow(deadline, e);
      }
    }
  }

  private void retryOrThrow(Instant deadline, SdkException e) {
    if (Instant.now().isAfter(deadline)) {
      throw new IllegalStateException("the object store does not answer for the bucket " + bucket + ": "
          + e.getMessage(), e);
    }
    LOG.info("waiting for the object store ({})", e.getMessage());
    try {
      Thread.sleep(1000);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the object store", interrupted);
    }
  }

  /** Whether the bucket answers (the readiness check). */
  public boolean reachable() {
    s3.headBucket(b -> b.bucket(bucket));
    return true;
  }

  /** Stores {@code length} bytes read from {@code in} as one object. */
  public void put(String key, InputStream in, long length) {
    s3.putObject(b -> b.bucket(bucket).key(key).contentLength(length), RequestBody.fromInputStream(in, length));
  }

  public String createMultipart(String key) {
    return s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
  }

  /** Stores one part (S3 numbers parts from 1) and returns its ETag. */
  public String uploadPart(String key, String uploadId, int partNumber, InputStream in, long length) {
    return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
        .contentLength(length), RequestBody.fromInputStream(in, length)).eTag();
  }

  public void completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
    s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(parts)));
  }

  /** Abandons a multipart upload; one that is already gone is fine. */
  public void abortMultipart(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (NoSuchUploadException e) {
      // completed or aborted before
    }
  }

  /** Bytes {@code first..last} (inclusive) of an object, or all of it when {@code first} is null. */
  public ResponseInputStream<GetObjectResponse> get(String key, Long first, Long last) {
    return s3.getObject(b -> {
      b.bucket(bucket).key(key);
      if (first != null) {
        b.range("bytes=" + first + "-" + last);
      }
    });
  }

  /** Deletes an object; one that is already gone is fine. */
  public void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      // deleted before
    }
  }

  /** How many objects the bucket holds (tests and operators count what is stored). */
  public long count() {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().count();
  }
}
