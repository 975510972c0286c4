package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.RestoreSpec;
import dev.atrium.operator.platformdata.Index;
import dev.atrium.operator.platformdata.Manifest;
import dev.atrium.operator.platformdata.PlatformDataArchive;
import dev.atrium.operator.platformdata.S3Store;
import dev.atrium.operator.platformdata.TenantKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new platform's own data from the old one's backup (spec.restore.decryptionKey, decision 0017): the manifest opened
 * once with the tenant's private key and kept in memory while the platform needs it (its credentials, then its
 * buckets), and the buckets refilled on a thread of their own, since that takes as long as the data is large. An
 * operator that restarts opens the manifest again and refills from the start (a put of the same object is harmless).
 */
final class PlatformDataRestore {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformDataRestore.class);
  /** How long a failed refill waits before the next try. */
  static final Duration RETRY = Duration.ofMinutes(1);

  private final S3Store.Connector stores;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Opened> opened = new ConcurrentHashMap<>();
  private final Map<String, Future<Long>> refills = new ConcurrentHashMap<>();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();

  PlatformDataRestore(S3Store.Connector stores) {
    this.stores = stores;
  }

  /** The old platform's data, by the backup it came from. */
  record Opened(Index index, Manifest manifest) {
  }

  /** Where the buckets' refill stands. */
  sealed interface Refill {
    record Running() implements Refill {
    }

    record Done(long bytes) implements Refill {
    }

    record Failed(String message, Instant retryAt) implements Refill {
    }
  }

  private record Failure(String message, Instant at) {
  }

  /**
   * Opens the backup's manifest (once per platform): the one spec.restore.backup names, else the latest taken at or
   * before spec.restore.targetTime, else the latest.
   *
   * @throws IllegalArgumentException saying why it cannot be opened (no such backup, another key, altered)
   */
  Opened open(KubernetesClient client, CollaborationPlatform platform) {
    return opened.computeIfAbsent(platform.getMetadata().getUid(), uid -> {
      RestoreSpec restore = platform.getSpec().getRestore();
      PlatformData data = new PlatformData(client, stores);
      TenantKey key = TenantKey.privateKey(data.value(platform, "spec.restore.decryptionKey",
          restore.getDecryptionKey()));
      try (S3Store source = data.restoreSource(platform)) {
        PlatformDataArchive archive = new PlatformDataArchive(source, restore.getPlatform());
        Instant until = restore.getTargetTime() == null ? null : Instant.parse(restore.getTargetTime());
        Index index = archive.choose(restore.getBackup(), until).orElseThrow(() -> new IllegalArgumentException(
            "no backup of platform " + restore.getPlatform() + "'s own data in s3://" + source.bucket() + "/"
            + source.prefix() + restore.getPlatform() + "/platform-data/"
            + (restore.getBackup() != null ? " is named " + restore.getBackup()
            : until != null ? " was taken at or before " + until : "")
            + " (its backups take it only with spec.backup.encryptionKey)"));
        if (!index.keyThumbprint().equals(key.thumbprint())) {
          throw new IllegalArgumentException("backup " + index.backup() + " is sealed to the key of thumbprint "
              + index.keyThumbprint() + "; decryptionKey's thumbprint is " + key.thumbprint());
        }
        Opened found = new Opened(index, archive.open(index, key));
        LOG.info("Platform {}/{}: opened the platform data of backup {} ({} Secrets, {} objects)",
            platform.getMetadata().getNamespace(), platform.getMetadata().getName(), index.backup(),
            found.manifest().secrets().size(), found.manifest().objects().size());
        return found;
      }
    });
  }

  /** Starts the buckets' refill, or says how the one started stands. */
  Refill refill(KubernetesClient client, CollaborationPlatform platform, Opened data, Instant now) {
    String uid = platform.getMetadata().getUid();
    Failure failed = failures.get(uid);
    if (failed != null && failed.at().plus(RETRY).isAfter(now)) {
      return new Refill.Failed(failed.message(), failed.at().plus(RETRY));
    }
    Future<Long> refill = refills.computeIfAbsent(uid, u -> threads.submit(() -> {
      PlatformData access = new PlatformData(client, stores);
      try (S3Store source = access.restoreSource(platform); S3Store tenant = access.tenantStore(platform)) {
        return new PlatformDataArchive(source, platform.getSpec().getRestore().getPlatform())
            .restoreObjects(data.manifest(), tenant);
      }
    }));
    if (!refill.isDone()) {
      return new Refill.Running();
    }
    refills.remove(uid);
    try {
      long bytes = refill.get();
      failures.remove(uid);
      return new Refill.Done(bytes);
    } catch (java.util.concurrent.ExecutionException e) {
      String message = causes(e.getCause());
      failures.put(uid, new Failure(message, now));
      LOG.warn("Platform {}/{}: the buckets could not be refilled: {}", platform.getMetadata().getNamespace(),
          platform.getMetadata().getName(), message);
      return new Refill.Failed(message, now.plus(RETRY));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Refill.Running();
    }
  }

  /** An exception's message and its causes': the S3 client's own often says only what it tried. */
  static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < 1500; t = t.getCause() == t ? null : t.getCause()) {
      text.append(text.isEmpty() ? "" : "; caused by ").append(t.getMessage() == null ? t.getClass().getSimpleName()
          : t.getMessage());
    }
    return text.toString();
  }

  /** Done with this platform: the manifest, with every credential in it, leaves memory. */
  void forget(String uid) {
    opened.remove(uid);
    failures.remove(uid);
    Optional.ofNullable(refills.remove(uid)).ifPresent(f -> f.cancel(true));
  }
}
