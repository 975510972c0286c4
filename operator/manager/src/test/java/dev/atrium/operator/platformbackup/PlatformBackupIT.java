package dev.atrium.operator.platformbackup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.BackupSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.PlatformBackup;
import dev.atrium.api.v1alpha1.PlatformBackupStatus;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.operator.OperatorHarness;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Labels;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PlatformBackup reconciler against the local control plane, with the database's pods as KWOK pods and the
 * image's atrium-backup played by a script: what it runs, in which pod and container, and what it writes for each
 * answer. The image's command itself is BackupRestoreIT's (real PostgreSQL, barman-cloud and an object store), and
 * both together on the real node are PlatformNodeIT's.
 */
@WithKubeCluster
class PlatformBackupIT {

  private static final java.util.concurrent.atomic.AtomicInteger PLATFORMS = new java.util.concurrent.atomic.AtomicInteger();
  private static final String BASE_ANSWER = PlatformBackups.BASE_ANSWER;
  private static final String VERIFY_ANSWER = PlatformBackups.VERIFY_ANSWER;

  /** Every command the reconciler ran, as "pod container command...". */
  private final List<String> ran = new CopyOnWriteArrayList<>();
  /** The script's answers, by subcommand; each answer is used once, the last one again. */
  private final Map<String, List<PodExec.Result>> answers = new java.util.concurrent.ConcurrentHashMap<>();
  private Operator operator;
  /** Run once, as the reconciler takes a backup's turn and gets ready to run its command. */
  private final java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextCommand =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** The tests share a namespace: each has a platform of its own. */
  private final String platform = "acme" + PLATFORMS.incrementAndGet();

  @BeforeEach
  void start(KubernetesClient client) {
    OperatorHarness.installCrd(client);
  }

  private void startOperator(KubernetesClient client) {
    PodExec script = (namespace, pod, container, command, timeout) -> {
      if (pod.startsWith(platform + "-")) { // not what an earlier test left
        ran.add(pod + " " + container + " " + String.join(" ", command));
      }
      List<PodExec.Result> queue = answers.getOrDefault(command.get(1), List.of());
      if (queue.isEmpty()) {
        return new PodExec.Result(1, "", "no answer scripted for " + command);
      }
      return queue.size() > 1 ? queue.removeFirst() : queue.getFirst();
    };
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(new PlatformBackupReconciler(Clock.systemUTC(), c -> {
      Runnable hook = beforeNextCommand.getAndSet(null);
      if (hook != null) {
        hook.run();
      }
      return script;
    }, (endpoint, id, secret) -> {
      throw new AssertionError("no S3 store is reached without spec.backup.encryptionKey: " + endpoint);
    }));
    operator.start();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
  }

  private void answer(String subcommand, PodExec.Result... results) {
    answers.put(subcommand, new CopyOnWriteArrayList<>(List.of(results)));
  }

  @Test
  void anOnDemandBackupWaitsForThePrimaryRunsInItAndIsVerified(KubernetesClient client, TestNamespace ns) {
    platform(client, ns, true);
    pod(client, ns, platform + "-database-0", Labels.PATRONI_REPLICA);
    answer("base", new PodExec.Result(0, BASE_ANSWER.formatted("before-migration"), ""));
    answer("verify", new PodExec.Result(0, VERIFY_ANSWER, ""));
    startOperator(client);

    backup(client, ns, "before-migration");
    PlatformBackupStatus pending = await(client, ns, "before-migration", s -> "Pending".equals(s.getPhase()));
    assertThat(reason(pending, "Completed")).isEqualTo("WaitingForPrimary");
    assertThat(ran).isEmpty();

    pod(client, ns, platform + "-database-1", Labels.PATRONI_LEADER);
    PlatformBackupStatus done = await(client, ns, "before-migration", s -> s.getVerified() != null);
    assertThat(done.getPhase()).isEqualTo("Completed");
    assertThat(done.getPod()).isEqualTo(platform + "-database-1");
    assertThat(done.getBackupId()).isEqualTo("20261129T020001");
    assertThat(done.getEndWal()).isEqualTo("000000010000000000000005");
    assertThat(done.getSizeBytes()).isEqualTo(31_457_280L);
    assertThat(done.getVerified()).isTrue();
    assertThat(done.getVerifiedRows()).containsEntry("messages.public.messages", 2401L);
    assertThat(reason(done, "Completed")).isEqualTo("BackupCompleted");
    assertThat(reason(done, "Verified")).isEqualTo("Verified");
    assertThat(ran).containsExactly(
        platform + "-database-1 postgresql atrium-backup base --name before-migration",
        // the reserve of free space verify keeps is a share of the spec's 20Gi claim, not of the node's disk
        platform + "-database-1 postgresql atrium-backup verify 20261129T020001 --volume-bytes 21474836480");
  }

  @Test
  void aFailedBaseBackupIsFailedWithTheEndOfWhatTheToolSaidAndIsNotVerified(KubernetesClient client,
      TestNamespace ns) {
    platform(client, ns, true);
    pod(client, ns, platform + "-database-0", Labels.PATRONI_LEADER);
    answer("base", new PodExec.Result(2, "", "ERROR: Barman cloud backup exception: bucket unreachable"));
    startOperator(client);

    backup(client, ns, "nightly-unreachable");
    PlatformBackupStatus failed = await(client, ns, "nightly-unreachable", s -> "Failed".equals(s.getPhase()));
    assertThat(reason(failed, "Completed")).isEqualTo("BackupFailed");
    assertThat(message(failed, "Completed")).contains("exit 2").contains("bucket unreachable");
    assertThat(failed.getVerified()).isNull();
    assertThat(ran).singleElement().asString().contains(" base ");

    // a name barman keeps for itself fails at once, and nothing runs
    backup(client, ns, "latest");
    PlatformBackupStatus refused = await(client, ns, "latest", s -> "Failed".equals(s.getPhase()));
    assertThat(message(refused, "Completed")).contains("latest").contains("another name");
    assertThat(ran).hasSize(1);
  }

  @Test
  void aPrimaryThatLostItsRoleBeforeTheCommandRanSendsTheBackupToTheNewOne(KubernetesClient client,
      TestNamespace ns) {
    platform(client, ns, true);
    pod(client, ns, platform + "-database-0", Labels.PATRONI_LEADER);
    answer("base", new PodExec.Result(3, "", "not the leader"),
        new PodExec.Result(0, BASE_ANSWER.formatted("nightly"), ""));
    answer("verify", new PodExec.Result(0, VERIFY_ANSWER, ""));
    startOperator(client);

    backup(client, ns, "nightly");
    PlatformBackupStatus done = await(client, ns, "nightly", s -> Boolean.TRUE.equals(s.getVerified()));
    assertThat(done.getPhase()).isEqualTo("Completed");
    assertThat(ran.stream().filter(c -> c.contains(" base ")).count()).isEqualTo(2);
  }

  @Test
  void aBackupDeletedAsItsTurnCameDoesNotHoldUpTheNextOneOfItsPlatform(KubernetesClient client, TestNamespace ns) {
    platform(client, ns, true);
    pod(client, ns, platform + "-database-0", Labels.PATRONI_LEADER);
    answer("base", new PodExec.Result(0, BASE_ANSWER.formatted("second"), ""));
    answer("verify", new PodExec.Result(0, VERIFY_ANSWER, ""));
    // deleted after the reconciler took the platform's turn for it, before it wrote Running: that write fails
    beforeNextCommand.set(() -> client.resources(PlatformBackup.class).inNamespace(ns.name()).withName("deleted")
        .withTimeout(30, TimeUnit.SECONDS).delete());
    startOperator(client);

    backup(client, ns, "deleted");
    client.resources(PlatformBackup.class).inNamespace(ns.name()).withName("deleted")
        .waitUntilCondition(Objects::isNull, 1, TimeUnit.MINUTES);
    assertThat(beforeNextCommand.get()).as("deleted by the hook, as its turn came").isNull();
    backup(client, ns, "second");
    PlatformBackupStatus done = await(client, ns, "second", s -> Boolean.TRUE.equals(s.getVerified()));
    assertThat(done.getPhase()).isEqualTo("Completed");
    assertThat(ran).noneMatch(c -> c.contains("--name deleted"));
  }

  @Test
  void aBackupFoundRunningAfterARestartIsLookedUpInTheBucket(KubernetesClient client, TestNamespace ns) {
    platform(client, ns, true);
    pod(client, ns, platform + "-database-0", Labels.PATRONI_LEADER);
    backup(client, ns, "finished-meanwhile");
    backup(client, ns, "lost-meanwhile");
    for (String name : List.of("finished-meanwhile", "lost-meanwhile")) {
      // as an operator that stopped while the command ran left it
      PlatformBackupStatus running = new PlatformBackupStatus();
      running.setPhase("Running");
      running.setPod(platform + "-database-0");
      PlatformBackup patch = new PlatformBackup();
      patch.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns.name()).build());
      patch.setStatus(running);
      client.resources(PlatformBackup.class).inNamespace(ns.name()).withName(name).patchStatus(patch);
    }
    answer("list", new PodExec.Result(0, "{\"backups\":[" + BASE_ANSWER.formatted("finished-meanwhile")
        .replace("}", ",\"status\":\"DONE\"}") + "]}", ""));
    answer("verify", new PodExec.Result(0, VERIFY_ANSWER, ""));
    startOperator(client);

    PlatformBackupStatus found = await(client, ns, "finished-meanwhile", s -> s.getVerified() != null);
    assertThat(found.getPhase()).isEqualTo("Completed");
    assertThat(found.getBackupId()).isEqualTo("20261129T020001");
    assertThat(found.getVerified()).isTrue();
    PlatformBackupStatus lost = await(client, ns, "lost-meanwhile", s -> "Failed".equals(s.getPhase()));
    assertThat(reason(lost, "Completed")).isEqualTo("BackupInterrupted");
    assertThat(ran).noneMatch(c -> c.contains(" base "));
  }

  @Test
  void aBackupOfAPlatformWithoutBackupsWaitsAndSaysWhy(KubernetesClient client, TestNamespace ns) {
    platform(client, ns, false);
    pod(client, ns, platform + "-database-0", Labels.PATRONI_LEADER);
    startOperator(client);

    backup(client, ns, "too-early");
    PlatformBackupStatus pending = await(client, ns, "too-early", s -> "Pending".equals(s.getPhase()));
    assertThat(reason(pending, "Completed")).isEqualTo("BackupNotConfigured");
    backup(client, ns, "no-such-platform", "nobody");
    assertThat(reason(await(client, ns, "no-such-platform", s -> "Pending".equals(s.getPhase())), "Completed"))
        .isEqualTo("PlatformNotFound");
    assertThat(ran).isEmpty();
  }

  private void platform(KubernetesClient client, TestNamespace ns, boolean backups) {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getMetadata().setName(this.platform);
    platform.getMetadata().setNamespace(ns.name());
    if (backups) {
      BackupSpec backup = new BackupSpec();
      backup.setEnabled(true);
      BackupDestination to = new BackupDestination();
      to.setEndpoint("http://backup.site.example:8333");
      to.setBucket("acme-backups");
      to.setAccessKeyId(ref("backup-keys", "id"));
      to.setSecretAccessKey(ref("backup-keys", "secret"));
      backup.setDestination(to);
      platform.getSpec().setBackup(backup);
    }
    client.resource(platform).create();
  }

  private static SecretKeyRef ref(String name, String key) {
    return PlatformBackups.ref(name, key);
  }

  /** A database pod as Patroni labels it; KWOK runs it and makes it ready. */
  private void pod(KubernetesClient client, TestNamespace ns, String name, String role) {
    client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns.name())
        .withLabels(Map.of(Labels.INSTANCE, platform, Labels.NAME, "database", Labels.PATRONI_ROLE, role))
        .endMetadata()
        .withNewSpec().addNewContainer().withName("postgresql").withImage("registry.atrium.dev/atrium/postgresql:15")
        .endContainer().endSpec().build()).create();
  }

  private void backup(KubernetesClient client, TestNamespace ns, String name) {
    backup(client, ns, name, platform);
  }

  private static void backup(KubernetesClient client, TestNamespace ns, String name, String platform) {
    PlatformBackups.create(client, ns, name, platform);
  }

  private static PlatformBackupStatus await(KubernetesClient client, TestNamespace ns, String name,
      Predicate<PlatformBackupStatus> condition) {
    return PlatformBackups.await(client, ns, name, condition, 2);
  }

  private static String reason(PlatformBackupStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).map(c -> c.getReason())
        .filter(Objects::nonNull).findFirst().orElse(null);
  }

  private static String message(PlatformBackupStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).map(c -> c.getMessage())
        .findFirst().orElse("");
  }
}
