package dev.atrium.netdisk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The floor: the same bytes put and got directly on the object store with the AWS SDK for Java v2's S3 client,
 * configured as netdisk's (StorageConfiguration: path-style buckets, the SDK's own checksums only where an operation
 * requires one, Apache HttpClient 4 with 64 connections, 3 s to connect, 60 s per read), its request bodies given as
 * streams that do not support mark and reset, as netdisk's are. Whatever the SDK costs per byte (its signature of the
 * payload over plain HTTP among it) is in the floor as it is in netdisk. An interceptor notes what the SDK said in
 * {@code x-amz-content-sha256} for each operation: how it signed the payload.
 */
final class Floor implements AutoCloseable {

  private final S3Client s3;
  private final String bucket;
  private final Map<String, String> payloadSigning = new ConcurrentHashMap<>();

  Floor(String endpoint, String accessKey, String secretKey, String bucket) {
    this.bucket = bucket;
    this.s3 = S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> o.addExecutionInterceptor(new SigningProbe(payloadSigning)))
        .build();
  }

  /** Creates the bucket, retrying while the store has no volume server yet. */
  void createBucket() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        s3.createBucket(b -> b.bucket(bucket));
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  /** One object in one request, as netdisk's whole-file PUT stores it. */
  void put(String key, Content.File file) {
    s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) file.size()),
        RequestBody.fromInputStream(file.stream(0, file.size()), file.size()));
  }

  /**
   * A multipart upload with parts of {@code partSize}, {@code inFlight} parts sent at a time in order (1: one after
   * the other), as netdisk's chunked upload stores it.
   */
  void multipart(String key, Content.File file, int partSize, int inFlight, ExecutorService pool,
      List<Double> partMillis) throws Exception {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    int parts = (file.size() + partSize - 1) / partSize;
    String[] etags = new String[parts];
    if (inFlight <= 1) {
      for (int n = 0; n < parts; n++) {
        etags[n] = part(key, uploadId, file, n, partSize, partMillis);
      }
    } else {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> senders = new ArrayList<>();
      for (int s = 0; s < inFlight; s++) {
        senders.add(pool.submit(() -> {
          for (int n; (n = next.getAndIncrement()) < parts; ) {
            etags[n] = part(key, uploadId, file, n, partSize, partMillis);
          }
          return null;
        }));
      }
      for (Future<?> sender : senders) {
        sender.get();
      }
    }
    List<CompletedPart> completed = new ArrayList<>();
    for (int n = 0; n < parts; n++) {
      completed.add(CompletedPart.builder().partNumber(n + 1).eTag(etags[n]).build());
    }
    s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(completed)));
  }

  private String part(String key, String uploadId, Content.File file, int n, int partSize, List<Double> partMillis) {
    long offset = (long) n * partSize;
    int length = (int) Math.min(partSize, file.size() - offset);
    long start = System.nanoTime();
    String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n + 1)
        .contentLength((long) length), RequestBody.fromInputStream(file.stream(offset, length), length)).eTag();
    partMillis.add((System.nanoTime() - start) / 1e6);
    return etag;
  }

  /** The whole object, read into a reused buffer and dropped; fails unless it has {@code size} bytes. */
  long get(String key, long size) {
    byte[] buffer = BUFFER.get();
    long read = 0;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        read += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (read != size) {
      throw new IllegalStateException(key + " gave " + read + " bytes, not " + size);
    }
    return read;
  }

  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1024 * 1024]);

  /** Operation name to the SDK's {@code x-amz-content-sha256} (and content encoding) on the wire. */
  Map<String, String> payloadSigning() {
    return new TreeMap<>(payloadSigning);
  }

  @Override
  public void close() {
    s3.close();
  }

  private record SigningProbe(Map<String, String> seen) implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      String hash = context.httpRequest().firstMatchingHeader("x-amz-content-sha256").orElse("(none)");
      String encoding = context.httpRequest().firstMatchingHeader("Content-Encoding").orElse(null);
      seen.putIfAbsent(operation, hash + (encoding == null ? "" : ", Content-Encoding: " + encoding));
    }
  }
}
