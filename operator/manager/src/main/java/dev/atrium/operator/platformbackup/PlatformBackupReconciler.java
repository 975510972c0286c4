package dev.atrium.operator.platformbackup;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.PlatformBackup;
import dev.atrium.api.v1alpha1.PlatformBackupStatus;
import dev.atrium.api.v1alpha1.PlatformDataStatus;
import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.operator.backup.BackupCommand;
import dev.atrium.operator.database.BackupWiring;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.platform.PlatformData;
import dev.atrium.operator.platform.StatusAggregator;
import dev.atrium.operator.platformdata.PlatformDataArchive;
import dev.atrium.operator.platformdata.S3Store;
import dev.atrium.operator.platformdata.TenantKey;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.release.ReleaseCatalog;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a PlatformBackup once: runs the database image's {@code atrium-backup base} in the primary's container
 * (pods/exec), then {@code atrium-backup verify}, and writes what each said into the status. Both run on their own
 * threads, since a base backup takes minutes to hours; while one runs, the reconciler writes nothing, and the thread
 * writes the status when it ends. A backup found Running with no thread (the operator restarted) is looked up in the
 * bucket: finished there, it is Completed and verified; otherwise it is Failed as interrupted, and the schedule or a
 * person takes another.
 */
// generationAware false: the threads' status writes are the events that bring a backup back (after a lost primary)
@ControllerConfiguration(name = PlatformBackupReconciler.NAME, generationAwareEventProcessing = false)
public class PlatformBackupReconciler implements Reconciler<PlatformBackup> {

  public static final String NAME = "platformbackup";
  public static final String COMPLETED = "Completed";
  public static final String VERIFIED = "Verified";
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String PHASE_COMPLETED = "Completed";
  public static final String FAILED = "Failed";
  private static final Logger LOG = LoggerFactory.getLogger(PlatformBackupReconciler.class);
  private static final Duration RECHECK_WHILE_PENDING = Duration.ofSeconds(10);
  private static final Duration BASE_TIMEOUT = Duration.ofHours(12);
  private static final Duration VERIFY_TIMEOUT = Duration.ofHours(12);
  private static final Duration LIST_TIMEOUT = Duration.ofMinutes(2);
  /** How much of a failed command's stderr the status keeps: its end, where the reason is. */
  private static final int STDERR_KEPT = 1500;

  private final Clock clock;
  private final java.util.function.Function<KubernetesClient, PodExec> execs;
  private final S3Store.Connector stores;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  /** The backups whose command runs now, by uid. */
  private final Map<String, Boolean> running = new ConcurrentHashMap<>();
  /**
   * The backups whose thread has not yet written its last status, by uid: a reconcile that sees one Running with no
   * command running waits for that write instead of taking the backup for one a restarted operator left.
   */
  private final java.util.Set<String> writing = ConcurrentHashMap.newKeySet();
  /**
   * The backup each platform is busy with (namespace/platform to uid): one at a time, since two base backups, or
   * two checks, in one primary compete for its disk and the image refuses a second check beside a running one.
   */
  private final Map<String, String> busy = new ConcurrentHashMap<>();

  public PlatformBackupReconciler(Clock clock) {
    this(clock, PodExec::of, S3Store::connect);
  }

  PlatformBackupReconciler(Clock clock, java.util.function.Function<KubernetesClient, PodExec> execs,
      S3Store.Connector stores) {
    this.clock = clock;
    this.execs = execs;
    this.stores = stores;
  }

  @Override
  public UpdateControl<PlatformBackup> reconcile(PlatformBackup backup, Context<PlatformBackup> context) {
    PlatformBackupStatus status = backup.getStatus() == null ? new PlatformBackupStatus() : backup.getStatus();
    if (finished(status) || running.containsKey(backup.getMetadata().getUid())) {
      return UpdateControl.noUpdate(); // done for good, or its thread reports
    }
    if (writing.contains(backup.getMetadata().getUid())) {
      // its thread ended and is writing what it found; look again should that write be lost
      return UpdateControl.<PlatformBackup>noUpdate().rescheduleAfter(RECHECK_WHILE_PENDING);
    }
    KubernetesClient client = context.getClient();
    if (anotherHolds(busy.get(platformKey(backup)), backup)) {
      return awaitTurn();
    }
    CollaborationPlatform platform = platform(backup, client);
    return findPlatform(backup, platform)
        .or(() -> checkPlatformBacksUp(backup, platform))
        .map(problem -> pending(backup, status, problem))
        .orElseGet(() -> findPrimary(backup, client)
            .map(primary -> act(backup, status, client, primary))
            .orElseGet(() -> pending(backup, status, new Problem(ConditionReason.WAITING_FOR_PRIMARY,
                "No database pod of platform " + backup.getSpec().getPlatform() + " is the ready primary yet"))));
  }

  private record Problem(ConditionReason reason, String message) {
  }

  /** Done: completed and checked (either way), or failed. */
  static boolean finished(PlatformBackupStatus status) {
    return FAILED.equals(status.getPhase()) || PHASE_COMPLETED.equals(status.getPhase()) && status.getVerified() != null;
  }

  /** The platform: in the backup's namespace. */
  private static Optional<Problem> findPlatform(PlatformBackup backup, CollaborationPlatform platform) {
    return platform == null ? Optional.of(new Problem(ConditionReason.PLATFORM_NOT_FOUND, "No CollaborationPlatform "
        + backup.getSpec().getPlatform() + " in namespace " + backup.getMetadata().getNamespace()))
        : Optional.empty();
  }

  /** Its spec.backup: enabled with a destination, and the platform awake. */
  private static Optional<Problem> checkPlatformBacksUp(PlatformBackup backup, CollaborationPlatform platform) {
    if (!BackupWiring.enabled(platform.getSpec())) {
      return Optional.of(new Problem(ConditionReason.BACKUP_NOT_CONFIGURED, "Platform " + backup.getSpec().getPlatform()
          + " has no spec.backup.enabled: true; the backup waits for it"));
    }
    if (Boolean.TRUE.equals(platform.getSpec().getHibernate())) {
      return Optional.of(new Problem(ConditionReason.PLATFORM_HIBERNATED, "Platform " + backup.getSpec().getPlatform()
          + " hibernates; the backup is taken when it wakes"));
    }
    return Optional.empty();
  }

  private static CollaborationPlatform platform(PlatformBackup backup, KubernetesClient client) {
    return client.resources(CollaborationPlatform.class).inNamespace(backup.getMetadata().getNamespace())
        .withName(backup.getSpec().getPlatform()).get();
  }

  /** The database pod Patroni labelled its leader, running and ready. */
  private static Optional<String> findPrimary(PlatformBackup backup, KubernetesClient client) {
    return client.pods().inNamespace(backup.getMetadata().getNamespace())
        .withLabel(Labels.INSTANCE, backup.getSpec().getPlatform())
        .withLabel(Labels.NAME, Component.DATABASE.id())
        .withLabel(Labels.PATRONI_ROLE, Labels.PATRONI_LEADER)
        .list().getItems().stream()
        .filter(PlatformBackupReconciler::ready)
        .map(p -> p.getMetadata().getName())
        .sorted().findFirst();
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The next thing to run: the base backup, its check, or finding out what became of one that was interrupted. */
  private UpdateControl<PlatformBackup> act(PlatformBackup backup, PlatformBackupStatus status, KubernetesClient client,
      String primary) {
    if (anotherHolds(busy.putIfAbsent(platformKey(backup), backup.getMetadata().getUid()), backup)) {
      return awaitTurn();
    }
    try {
      PodExec exec = execs.apply(client);
      if (PHASE_COMPLETED.equals(status.getPhase())) {
        start(backup, () -> afterBase(client, exec, backup, primary));
      } else if (RUNNING.equals(status.getPhase())) {
        start(backup, () -> recover(client, exec, backup, primary));
      } else {
        PlatformBackupStatus started = copy(status);
        started.setPhase(RUNNING);
        started.setPod(primary);
        started.setStartedAt(now());
        started.setConditions(List.of(condition(started, COMPLETED, false, ConditionReason.BACKUP_RUNNING,
            "atrium-backup base runs in " + primary, backup)));
        // Running is on record before the command starts: an operator that restarts meanwhile looks it up
        writeStatus(client, backup, started);
        start(backup, () -> base(client, exec, backup, primary));
      }
    } catch (RuntimeException e) {
      // nothing started (the backup deleted meanwhile, the API server away): the platform's turn passes on, or no
      // other backup of it would ever run; a retry of this one claims it again
      busy.remove(platformKey(backup), backup.getMetadata().getUid());
      throw e;
    }
    return UpdateControl.noUpdate();
  }

  /**
   * Runs {@code work} on its own thread; what it returns is its last status write, made once the backup no longer
   * counts as running, so that the reconcile this write brings about acts on it (a backup pending again starts).
   */
  private void start(PlatformBackup backup, java.util.function.Supplier<Runnable> work) {
    String uid = backup.getMetadata().getUid();
    String platform = platformKey(backup); // claimed by act()
    writing.add(uid);
    running.put(uid, true);
    threads.submit(() -> {
      Runnable last = null;
      try {
        last = work.get();
      } catch (RuntimeException e) {
        LOG.warn("A backup's thread failed", e);
      } finally {
        running.remove(uid);
      }
      try {
        if (last != null) {
          last.run();
        }
      } catch (RuntimeException e) {
        LOG.warn("A backup's status could not be written", e);
      } finally {
        writing.remove(uid);
        busy.remove(platform, uid);
      }
    });
  }

  private static boolean anotherHolds(String holder, PlatformBackup backup) {
    return holder != null && !holder.equals(backup.getMetadata().getUid());
  }

  /** The phase stays: one found Running after a restart is still looked up in the bucket when its turn comes. */
  private static UpdateControl<PlatformBackup> awaitTurn() {
    return UpdateControl.<PlatformBackup>noUpdate().rescheduleAfter(RECHECK_WHILE_PENDING);
  }

  private static String platformKey(PlatformBackup backup) {
    return backup.getMetadata().getNamespace() + "/" + backup.getSpec().getPlatform();
  }

  /** The base backup, then its check. */
  private Runnable base(KubernetesClient client, PodExec exec, PlatformBackup backup, String primary) {
    String name = backup.getMetadata().getName();
    LOG.info("PlatformBackup {}/{}: base backup in {}", backup.getMetadata().getNamespace(), name, primary);
    List<String> command;
    try {
      command = BackupCommand.base(name);
    } catch (IllegalArgumentException e) {
      return () -> fail(client, backup, ConditionReason.BACKUP_FAILED, "The PlatformBackup's name cannot name a "
          + "backup: " + e.getMessage() + " (barman keeps latest, last, oldest, first and last-failed for itself); "
          + "create one with another name");
    }
    PodExec.Result result = run(exec, backup, primary, command, BASE_TIMEOUT);
    if (result.exitCode() == BackupCommand.NOT_THE_LEADER) {
      // the primary changed between the look and the command: pending again, the next pass finds the new one
      return () -> update(client, backup, s -> {
        s.setPhase(PENDING);
        s.setConditions(List.of(condition(s, COMPLETED, false, ConditionReason.WAITING_FOR_PRIMARY, primary
            + " is no longer the primary; the backup starts again on the new one", backup)));
      });
    }
    if (result.exitCode() != 0) {
      return () -> fail(client, backup, ConditionReason.BACKUP_FAILED, "atrium-backup base failed in " + primary
          + " (exit " + result.exitCode() + "): " + tail(result.stderr()));
    }
    BackupCommand.BaseBackup taken;
    try {
      taken = BackupCommand.parseBase(result.stdout());
    } catch (IllegalArgumentException e) {
      return () -> fail(client, backup, ConditionReason.BACKUP_FAILED, e.getMessage());
    }
    completed(client, backup, taken);
    return afterBase(client, exec, backup, primary);
  }

  /** After the base backup: the platform's own data (when the spec asks for it), then the check. */
  private Runnable afterBase(KubernetesClient client, PodExec exec, PlatformBackup backup, String primary) {
    Optional<String> problem = takePlatformData(client, backup);
    if (problem.isPresent()) {
      return () -> fail(client, backup, ConditionReason.BACKUP_FAILED, problem.get());
    }
    return verify(client, exec, backup, primary);
  }

  /**
   * The platform's generated credentials, identity's keys and the object store's buckets, sealed to
   * spec.backup.encryptionKey beside the base backup (decision 0017); then what retention no longer keeps of them is
   * deleted. Nothing when the spec names no key, or when it was taken before the operator restarted.
   */
  private Optional<String> takePlatformData(KubernetesClient client, PlatformBackup backup) {
    PlatformBackup current = client.resource(backup).get();
    CollaborationPlatform platform = platform(backup, client);
    if (current == null || current.getStatus() == null || current.getStatus().getPlatformData() != null
        || platform == null || !BackupWiring.sealsPlatformData(platform.getSpec())) {
      return Optional.empty();
    }
    TenantKey key;
    try {
      key = TenantKey.publicKey(platform.getSpec().getBackup().getEncryptionKey());
    } catch (IllegalArgumentException e) {
      return Optional.of("spec.backup.encryptionKey: " + e.getMessage() + "; the database's base backup is in the "
          + "bucket, the platform's own data is not");
    }
    String name = platform.getMetadata().getName();
    Instant started = clock.instant();
    try {
      Release release = ReleaseCatalog.of(client.resources(PlatformRelease.class).list().getItems())
          .find(platform.getSpec().getVersion())
          .orElseThrow(() -> new IllegalStateException("PlatformRelease " + platform.getSpec().getVersion()
              + " is not in the cluster, so the platform's generated Secrets are not known"));
      PlatformData data = new PlatformData(client, stores);
      Map<String, Map<String, String>> secrets = data.generatedSecrets(platform, release);
      Map<String, String> dataKey = secrets.get(PlatformData.suffix(name, Names.backupDataKey(name)));
      if (dataKey == null || dataKey.get(BackupWiring.DATA_KEY) == null) {
        throw new IllegalStateException("Secret " + Names.backupDataKey(name) + " is not there yet");
      }
      boolean ownStore = BackupWiring.toOwnStore(platform.getSpec());
      PlatformDataArchive.Taken taken;
      PlatformDataArchive.Pruned pruned;
      try (S3Store to = data.backupStore(platform); S3Store tenant = data.tenantStore(platform)) {
        PlatformDataArchive archive = new PlatformDataArchive(to, name);
        taken = archive.take(tenant, bucket -> !(ownStore && bucket.equals(BackupWiring.OWN_BUCKET)),
            backup.getMetadata().getNamespace(), backup.getMetadata().getName(), current.getStatus().getBackupId(),
            secrets, PlatformDataArchive.dataKey(dataKey.get(BackupWiring.DATA_KEY)), key, started);
        int days = platform.getSpec().getBackup().getRetentionDays() == null ? 7
            : platform.getSpec().getBackup().getRetentionDays();
        pruned = archive.prune(started.minus(Duration.ofDays(days)));
      }
      LOG.info("PlatformBackup {}/{}: the platform's data ({} Secrets, {} objects, {} of {} bytes copied) sealed to key "
          + "{} in {} s; retention removed {} earlier ones and {} blobs", backup.getMetadata().getNamespace(),
          backup.getMetadata().getName(), taken.secrets(), taken.objects(), taken.copiedBytes(), taken.objectBytes(),
          taken.keyThumbprint(), Duration.between(started, clock.instant()).toSeconds(), pruned.backups().size(),
          pruned.blobs());
      update(client, backup, s -> {
        PlatformDataStatus status = new PlatformDataStatus();
        status.setLocation(taken.location());
        status.setKeyThumbprint(taken.keyThumbprint());
        status.setSecrets(taken.secrets());
        status.setObjects(taken.objects());
        status.setObjectBytes(taken.objectBytes());
        status.setCopiedBytes(taken.copiedBytes());
        status.setCompletedAt(now());
        s.setPlatformData(status);
      });
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("the database's base backup is in the bucket, but the platform's own data could not be "
          + "taken: " + causes(e));
    }
  }

  /** The check: restored into a scratch directory in the pod, started, its tables counted. */
  private Runnable verify(KubernetesClient client, PodExec exec, PlatformBackup backup, String primary) {
    PlatformBackup current = client.resource(backup).get();
    String id = current == null || current.getStatus() == null ? null : current.getStatus().getBackupId();
    if (id == null) {
      return null; // deleted meanwhile
    }
    // the reserve verify leaves the live database is a share of the claim, not of the node's whole shared disk
    CollaborationPlatform platform = platform(backup, client);
    OptionalLong claim = BackupWiring.claimBytes(platform == null ? null : platform.getSpec());
    List<String> command = claim.isPresent() ? BackupCommand.verify(id, claim.getAsLong()) : BackupCommand.verify(id);
    PodExec.Result result = run(exec, backup, primary, command, VERIFY_TIMEOUT);
    Optional<BackupCommand.Verification> verification = Optional.empty();
    String problem = null;
    if (result.exitCode() == 0) {
      try {
        verification = Optional.of(BackupCommand.parseVerification(result.stdout()))
            .filter(BackupCommand.Verification::verified);
        problem = verification.isEmpty() ? "atrium-backup verify answered verified: false" : null;
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    } else {
      problem = "atrium-backup verify failed in " + primary + " (exit " + result.exitCode() + "): "
          + tail(result.stderr());
    }
    String failure = problem;
    Optional<BackupCommand.Verification> found = verification;
    LOG.info("PlatformBackup {}/{}: verified {}", backup.getMetadata().getNamespace(), backup.getMetadata().getName(),
        found.isPresent());
    return () -> update(client, backup, s -> {
      s.setVerified(found.isPresent());
      s.setVerifiedAt(now());
      found.ifPresent(v -> s.setVerifiedRows(new java.util.TreeMap<>(v.rows())));
      List<Condition> conditions = new ArrayList<>(s.getConditions().stream()
          .filter(c -> !VERIFIED.equals(c.getType())).toList());
      conditions.add(found.isPresent()
          ? condition(s, VERIFIED, true, ConditionReason.VERIFIED, "Restored into a scratch directory in " + primary
              + ", started, and " + found.get().rows().size() + " tables read", backup)
          : condition(s, VERIFIED, false, ConditionReason.VERIFICATION_FAILED, failure, backup));
      s.setConditions(conditions);
    });
  }

  /** A backup that was running when the operator stopped: in the bucket, finished; or interrupted. */
  private Runnable recover(KubernetesClient client, PodExec exec, PlatformBackup backup, String primary) {
    String name = backup.getMetadata().getName();
    PodExec.Result result = run(exec, backup, primary, BackupCommand.list(), LIST_TIMEOUT);
    if (result.exitCode() != 0) {
      return () -> fail(client, backup, ConditionReason.BACKUP_INTERRUPTED, "The operator restarted while the base "
          + "backup ran, and the backups in the bucket could not be listed (exit " + result.exitCode() + "): "
          + tail(result.stderr()));
    }
    Optional<BackupCommand.BaseBackup> done;
    try {
      done = BackupCommand.parseList(result.stdout()).stream()
          .filter(b -> name.equals(b.name()) && "DONE".equals(b.status())).findFirst();
    } catch (IllegalArgumentException e) {
      return () -> fail(client, backup, ConditionReason.BACKUP_INTERRUPTED, e.getMessage());
    }
    if (done.isEmpty()) {
      return () -> fail(client, backup, ConditionReason.BACKUP_INTERRUPTED, "The operator restarted while the base "
          + "backup ran, and the bucket has no finished backup of this name; create another PlatformBackup");
    }
    completed(client, backup, done.get());
    return afterBase(client, exec, backup, primary);
  }

  private void completed(KubernetesClient client, PlatformBackup backup, BackupCommand.BaseBackup taken) {
    update(client, backup, s -> {
      s.setPhase(PHASE_COMPLETED);
      s.setBackupId(taken.backupId());
      s.setCompletedAt(taken.endTime());
      s.setBeginWal(taken.beginWal());
      s.setEndWal(taken.endWal());
      s.setBeginLsn(taken.beginLsn());
      s.setEndLsn(taken.endLsn());
      s.setTimeline(taken.timeline());
      s.setSizeBytes(taken.sizeBytes());
      s.setConditions(List.of(condition(s, COMPLETED, true, ConditionReason.BACKUP_COMPLETED, "Base backup "
          + taken.backupId() + " (WAL " + taken.beginWal() + " to " + taken.endWal() + ") is in the bucket", backup)));
    });
    LOG.info("PlatformBackup {}/{}: base backup {} completed", backup.getMetadata().getNamespace(),
        backup.getMetadata().getName(), taken.backupId());
  }

  private void fail(KubernetesClient client, PlatformBackup backup, ConditionReason reason, String message) {
    LOG.warn("PlatformBackup {}/{}: {}", backup.getMetadata().getNamespace(), backup.getMetadata().getName(), message);
    update(client, backup, s -> {
      s.setPhase(FAILED);
      s.setConditions(List.of(condition(s, COMPLETED, false, reason, message, backup)));
    });
  }

  private static PodExec.Result run(PodExec exec, PlatformBackup backup, String pod, List<String> command,
      Duration timeout) {
    try {
      return exec.run(backup.getMetadata().getNamespace(), pod, BackupCommand.CONTAINER, command, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new PodExec.Result(-1, "", "interrupted: the operator is stopping");
    } catch (KubernetesClientException e) {
      return new PodExec.Result(-1, "", "exec refused: " + causes(e));
    }
  }

  /** Reads the backup again, changes its status, and writes it. */
  private void update(KubernetesClient client, PlatformBackup backup, Consumer<PlatformBackupStatus> change) {
    PlatformBackup current = client.resource(backup).get();
    if (current == null) {
      return; // deleted meanwhile
    }
    PlatformBackupStatus status = copy(current.getStatus() == null ? new PlatformBackupStatus() : current.getStatus());
    change.accept(status);
    writeStatus(client, current, status);
  }

  private UpdateControl<PlatformBackup> pending(PlatformBackup backup, PlatformBackupStatus status, Problem problem) {
    PlatformBackupStatus pending = copy(status);
    pending.setPhase(PENDING);
    pending.setConditions(List.of(condition(pending, COMPLETED, false, problem.reason(), problem.message(), backup)));
    pending.setObservedGeneration(backup.getMetadata().getGeneration());
    UpdateControl<PlatformBackup> control = Serialization.asJson(pending).equals(Serialization.asJson(status))
        ? UpdateControl.noUpdate() : UpdateControl.patchStatus(statusPatch(backup, pending));
    return control.rescheduleAfter(RECHECK_WHILE_PENDING);
  }

  private static void writeStatus(KubernetesClient client, PlatformBackup backup, PlatformBackupStatus status) {
    status.setObservedGeneration(backup.getMetadata().getGeneration());
    client.resources(PlatformBackup.class).inNamespace(backup.getMetadata().getNamespace())
        .withName(backup.getMetadata().getName()).patchStatus(statusPatch(backup, status));
  }

  private static PlatformBackup statusPatch(PlatformBackup backup, PlatformBackupStatus status) {
    PlatformBackup patch = new PlatformBackup();
    patch.setMetadata(new ObjectMetaBuilder().withName(backup.getMetadata().getName())
        .withNamespace(backup.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return patch;
  }

  private Condition condition(PlatformBackupStatus status, String type, boolean value, ConditionReason reason,
      String message, PlatformBackup backup) {
    long generation = backup.getMetadata().getGeneration() == null ? 0 : backup.getMetadata().getGeneration();
    return StatusAggregator.condition(status.getConditions(), type, value, reason.token(), message, generation, clock);
  }

  private static PlatformBackupStatus copy(PlatformBackupStatus status) {
    return Serialization.unmarshal(Serialization.asJson(status), PlatformBackupStatus.class);
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** An exception's message and its causes' (the client's own says only "An error has occurred."). */
  static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < STDERR_KEPT; t = t.getCause() == t ? null : t.getCause()) {
      text.append(text.isEmpty() ? "" : "; caused by ").append(t.getClass().getSimpleName()).append(": ")
          .append(t.getMessage());
    }
    return text.toString();
  }

  /** The end of a command's stderr, where its reason is. */
  static String tail(String stderr) {
    String text = stderr == null ? "" : stderr.strip();
    return text.length() <= STDERR_KEPT ? text : "..." + text.substring(text.length() - STDERR_KEPT);
  }
}
