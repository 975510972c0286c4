package dev.atrium.operator.platformdata;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The platform's own data in its backup bucket, beside barman's files: under {@code <prefix><platform>/platform-data/}
 * one directory per backup ({@code backups/<name>/manifest.jwe}, sealed to the tenant's key, and
 * {@code index.json}, plain) and the objects' sealed bytes as content-named blobs ({@code blobs/<id>}), which later
 * backups reuse while an object stays unchanged. Written blobs first, the manifest, the index last; pruned by the
 * indexes alone, so the operator never needs the private key.
 */
public final class PlatformDataArchive {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIRECTORY = "platform-data/";

  private final S3Store backups;
  private final String platform;

  /** The platform's data in this backup store (the destination of spec.backup or the source of spec.restore). */
  public PlatformDataArchive(S3Store backups, String platform) {
    this.backups = backups;
    this.platform = platform;
  }

  /** What {@link #take} wrote. */
  public record Taken(String location, String keyThumbprint, int secrets, long objects, long objectBytes,
      long copiedBytes) {
  }

  /**
   * Takes the platform's data: its Secrets and every object of the tenant store's buckets that {@code buckets}
   * accepts (not the bucket the backups themselves go to), sealed.
   *
   * @param secrets the generated Secrets' values, by name without the platform's prefix
   * @param dataKey the 32-byte key the objects are sealed under (sealed itself in the manifest)
   */
  public Taken take(S3Store tenant, Predicate<String> buckets, String namespace, String backup, String backupId,
      Map<String, Map<String, String>> secrets, byte[] dataKey, TenantKey key, Instant now) {
    ensureBucket();
    PartCipher cipher = new PartCipher(dataKey);
    String keyId = HexFormat.of().formatHex(sha256(dataKey), 0, 8);
    List<Manifest.StoredObject> objects = new ArrayList<>();
    long objectBytes = 0;
    long copied = 0;
    for (Bucket bucket : tenant.client().listBuckets().buckets()) {
      if (!buckets.test(bucket.name())) {
        continue;
      }
      for (S3Object object : tenant.client().listObjectsV2Paginator(r -> r.bucket(bucket.name())).contents()) {
        String blob = blobId(keyId, bucket.name(), object.key(), object.eTag(), object.size());
        Manifest.StoredObject stored = new Manifest.StoredObject(bucket.name(), object.key(), object.size(),
            object.eTag(), null, blob);
        if (!present(blob, PartCipher.sealedSize(object.size()))) {
          stored = copyIn(tenant, stored, cipher);
          copied += object.size();
        }
        objects.add(stored);
        objectBytes += object.size();
      }
    }
    Manifest manifest = new Manifest(Manifest.FORMAT, platform, namespace, backup, backupId, now.toString(),
        new TreeMap<>(secrets), Base64.getEncoder().encodeToString(dataKey), objects);
    String directory = backupDirectory(backup);
    put(directory + "manifest.jwe", key.seal(json(manifest)), "application/jose");
    Index index = new Index(Manifest.FORMAT, platform, backup, backupId, now.toString(), key.thumbprint(),
        secrets.size(), objects.size(), objectBytes, objects.stream().map(Manifest.StoredObject::blob).distinct()
            .sorted().toList());
    put(directory + "index.json", json(index), "application/json");
    return new Taken("s3://" + backups.bucket() + "/" + directory, key.thumbprint(), secrets.size(), objects.size(),
        objectBytes, copied);
  }

  /** Every complete backup of the platform's data here, oldest first. */
  public List<Index> indexes() {
    List<Index> found = new ArrayList<>();
    String prefix = root() + "backups/";
    try {
      for (S3Object object : backups.client().listObjectsV2Paginator(r -> r.bucket(backups.bucket()).prefix(prefix))
          .contents()) {
        if (object.key().endsWith("/index.json")) {
          found.add(JSON.readValue(get(object.key()), Index.class));
        }
      }
    } catch (NoSuchBucketException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("an index in " + prefix + " is unreadable", e);
    }
    found.sort(Comparator.comparing(i -> Instant.parse(i.takenAt())));
    return found;
  }

  /**
   * The backup a restore takes the platform's data from: the one named (a PlatformBackup's name or barman's id), or
   * else the latest taken at or before {@code until} (or the latest of all).
   */
  public Optional<Index> choose(String named, Instant until) {
    List<Index> all = indexes();
    if (named != null) {
      return all.stream().filter(i -> named.equals(i.backup()) || named.equals(i.backupId())).reduce((a, b) -> b);
    }
    return all.stream().filter(i -> until == null || !Instant.parse(i.takenAt()).isAfter(until)).reduce((a, b) -> b);
  }

  /** A backup's manifest, opened with the tenant's private key. */
  public Manifest open(Index index, TenantKey privateKey) {
    String sealed = new String(get(backupDirectory(index.backup()) + "manifest.jwe"), StandardCharsets.US_ASCII);
    try {
      Manifest manifest = JSON.readValue(privateKey.open(sealed), Manifest.class);
      if (!Manifest.FORMAT.equals(manifest.format())) {
        throw new IllegalArgumentException("the manifest is of format " + manifest.format() + ", not "
            + Manifest.FORMAT);
      }
      return manifest;
    } catch (IOException e) {
      throw new IllegalArgumentException("the opened manifest is not one: " + e.getMessage(), e);
    }
  }

  /** Puts every object of the manifest back into the tenant's store, its buckets made where missing. */
  public long restoreObjects(Manifest manifest, S3Store tenant) {
    PartCipher cipher = new PartCipher(Base64.getDecoder().decode(manifest.dataKey()));
    Set<String> buckets = new HashSet<>();
    tenant.client().listBuckets().buckets().forEach(b -> buckets.add(b.name()));
    long bytes = 0;
    for (Manifest.StoredObject object : manifest.objects()) {
      if (buckets.add(object.bucket())) {
        tenant.client().createBucket(r -> r.bucket(object.bucket()));
      }
      // a retry of the upload calls the provider again, which reads the blob again
      RequestBody body = RequestBody.fromContentProvider(() -> cipher.open(object.blob(), object.size(),
          backups.client().getObject(r -> r.bucket(backups.bucket()).key(blobKey(object.blob())))), object.size(),
          object.contentType() == null ? "application/octet-stream" : object.contentType());
      try {
        tenant.client().putObject(r -> r.bucket(object.bucket()).key(object.key()), body);
      } catch (SdkException e) {
        throw new UncheckedIOException("object " + object.bucket() + "/" + object.key() + " cannot be restored: "
            + reason(e), new IOException(e));
      }
      bytes += object.size();
    }
    return bytes;
  }

  /** What {@link #prune} deleted. */
  public record Pruned(List<String> backups, int blobs) {
  }

  /**
   * Deletes the backups of platform data taken before {@code cutoff}, the latest one always kept, then every blob no
   * remaining index needs.
   */
  public Pruned prune(Instant cutoff) {
    List<Index> all = indexes();
    List<String> removed = new ArrayList<>();
    Set<String> needed = new HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      Index index = all.get(i);
      if (i < all.size() - 1 && Instant.parse(index.takenAt()).isBefore(cutoff)) {
        String directory = backupDirectory(index.backup());
        delete(List.of(directory + "index.json")); // first: from here on it is no longer a backup
        delete(List.of(directory + "manifest.jwe"));
        removed.add(index.backup());
      } else {
        needed.addAll(index.blobs());
      }
    }
    List<String> unneeded = new ArrayList<>();
    for (S3Object blob : backups.client().listObjectsV2Paginator(r -> r.bucket(backups.bucket())
        .prefix(root() + "blobs/")).contents()) {
      if (!needed.contains(blob.key().substring(blob.key().lastIndexOf('/') + 1))) {
        unneeded.add(blob.key());
      }
    }
    for (int from = 0; from < unneeded.size(); from += 1000) {
      delete(unneeded.subList(from, Math.min(unneeded.size(), from + 1000)));
    }
    return new Pruned(removed, unneeded.size());
  }

  /** The content-named blob of an object: its bucket, key, ETag and size under this data key. */
  static String blobId(String keyId, String bucket, String key, String etag, long size) {
    byte[] hash = sha256((keyId + "\0" + bucket + "\0" + key + "\0" + etag + "\0" + size)
        .getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash);
  }

  private String root() {
    return backups.prefix() + platform + "/" + DIRECTORY;
  }

  private String backupDirectory(String backup) {
    return root() + "backups/" + backup + "/";
  }

  private String blobKey(String blob) {
    return root() + "blobs/" + blob;
  }

  /** The backup bucket, made when missing (as barman-cloud makes it for the database's backups). */
  private void ensureBucket() {
    try {
      backups.client().headBucket(r -> r.bucket(backups.bucket()));
    } catch (NoSuchBucketException e) {
      backups.client().createBucket(r -> r.bucket(backups.bucket()));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      backups.client().createBucket(r -> r.bucket(backups.bucket()));
    }
  }

  private boolean present(String blob, long sealedSize) {
    try {
      HeadObjectResponse head = backups.client().headObject(r -> r.bucket(backups.bucket()).key(blobKey(blob)));
      return head.contentLength() == sealedSize;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Reads the object, seals it part by part, and writes the blob, one part in memory at a time. */
  private Manifest.StoredObject copyIn(S3Store tenant, Manifest.StoredObject object, PartCipher cipher) {
    String[] contentType = new String[1];
    RequestBody body = RequestBody.fromContentProvider(() -> {
      // a retry of the upload calls this again, and reads the object again
      ResponseInputStream<GetObjectResponse> plain = tenant.client().getObject(r -> r.bucket(object.bucket())
          .key(object.key()));
      contentType[0] = plain.response().contentType();
      return cipher.seal(object.blob(), object.size(), plain);
    }, PartCipher.sealedSize(object.size()), "application/octet-stream");
    backups.client().putObject(r -> r.bucket(backups.bucket()).key(blobKey(object.blob())), body);
    return new Manifest.StoredObject(object.bucket(), object.key(), object.size(), object.etag(), contentType[0],
        object.blob());
  }

  private void put(String key, byte[] bytes, String contentType) {
    backups.client().putObject(r -> r.bucket(backups.bucket()).key(key).contentType(contentType),
        RequestBody.fromBytes(bytes));
  }

  private void put(String key, String text, String contentType) {
    put(key, text.getBytes(StandardCharsets.US_ASCII), contentType);
  }

  private byte[] get(String key) {
    return backups.client().getObjectAsBytes(r -> r.bucket(backups.bucket()).key(key)).asByteArray();
  }

  private void delete(List<String> keys) {
    if (!keys.isEmpty()) {
      backups.client().deleteObjects(r -> r.bucket(backups.bucket()).delete(d -> d.objects(keys.stream()
          .map(k -> ObjectIdentifier.builder().key(k).build()).toList())));
    }
  }

  /** What went wrong, from the innermost cause that is ours (the cipher's) or else the SDK's own message. */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t.getMessage();
      }
    }
    return e.getMessage();
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 32-byte data key from the generated Secret's value: its SHA-256. */
  public static byte[] dataKey(String secretValue) {
    return sha256(secretValue.getBytes(StandardCharsets.UTF_8));
  }
}
