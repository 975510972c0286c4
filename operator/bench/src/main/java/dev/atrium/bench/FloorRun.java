package dev.atrium.bench;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.OperatorConfig;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.platform.PlatformModel;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.release.ReleaseCatalog;
import dev.atrium.testing.kube.RequestCounter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor: what creating the same objects costs without an operator. A plain client computes
 * each platform's desired state with the operator's own models, creates its generated Secrets,
 * applies every object once with server-side apply, and nothing else: no informers, no reads, no
 * status. The run ends when every Deployment and StatefulSet is Ready by the same rule the
 * operator's status uses.
 *
 * <p>The platforms are created for real first (through the uncounted client, as in the operator
 * run), with no operator running: the object the API server returns from the create carries the
 * uid the owner references need and every schema default, so the models see what the operator
 * would see. One warm-up platform is applied and Ready before the window opens, as in the operator run.
 */
final class FloorRun {

  static final String FIELD_MANAGER = "atrium-bench-floor";

  private final SecureRandom random = new SecureRandom();
  /** Deployment key -> its autoscaler's minimum: until the autoscaler raised it there, it is not at strength. */
  private final Map<String, Integer> autoscalingFloors = new ConcurrentHashMap<>();

  /** What one platform's apply consisted of. */
  private record Applied(int objects, int secrets, int workloads, int pods, int volumeClaims) {
  }

  /**
   * @param admin a client that is not counted: it creates the platforms and watches the workloads
   * @param threads how many platforms are applied at once (the operator's reconciliation threads)
   */
  static Map<String, Object> run(KubernetesClient admin, Platforms platforms, int threads, Duration timeout) {
    return new FloorRun().execute(admin, platforms, threads, timeout);
  }

  private Map<String, Object> execute(KubernetesClient admin, Platforms platforms, int threads, Duration timeout) {
    int n = platforms.count();
    ReleaseCatalog catalog = ReleaseCatalog.of(platforms.releases());
    RequestCounter requests = RequestCounter.countingOnly();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, Object> result = new LinkedHashMap<>();
    try (KubernetesClient client = requests.client(admin.getConfiguration());
        Readiness readiness = new Readiness()
            .watch(admin.apps().deployments().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .runnableInformer(0), this::deploymentReady)
            .watch(admin.apps().statefulSets().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .runnableInformer(0), FloorRun::statefulSetReady)) {
      CollaborationPlatform warmup = admin.resource(platforms.warmup()).create();
      int warmupWorkloads = apply(client, warmup, release(catalog, warmup)).workloads();
      readiness.awaitAllReady(warmupWorkloads, timeout, ready -> ConvergenceBenchmark.progress("floor: warming up"));

      requests.reset();
      long start = System.nanoTime();
      List<Future<Applied>> applies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        CollaborationPlatform platform = admin.resource(platforms.platform(i)).create();
        Release release = release(catalog, platform);
        applies.add(pool.submit(() -> apply(client, platform, release)));
      }
      long created = System.nanoTime();
      List<Applied> applied = new ArrayList<>();
      for (Future<Applied> apply : applies) {
        applied.add(apply.get());
      }
      long allApplied = System.nanoTime();
      int workloads = applied.stream().mapToInt(Applied::workloads).sum();
      // the warm-up's workloads are among those it sees, Ready before the window opened
      long allReady = readiness.awaitAllReady(warmupWorkloads + workloads, timeout, ready -> ConvergenceBenchmark
          .progress("floor: %d of %d workloads Ready", ready - warmupWorkloads, workloads));

      result.put("secondsToAllReady", OperatorRun.seconds(allReady - start));
      result.put("secondsToCreateAll", OperatorRun.seconds(created - start));
      result.put("secondsToApplyAll", OperatorRun.seconds(allApplied - start));
      result.put("requestsByMethod", requests.byMethod());
      result.put("requestsTotal", requests.total());
      result.put("requestsByResource", requests.byResource());
      result.put("threads", threads);
      Applied one = applied.get(0);
      result.put("objectsPerPlatform", one.objects());
      result.put("secretsPerPlatform", one.secrets());
      result.put("workloadsPerPlatform", one.workloads());
      result.put("podsPerPlatform", one.pods());
      result.put("volumeClaimsPerPlatform", one.volumeClaims());
      return result;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the floor could not apply a platform: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Release release(ReleaseCatalog catalog, CollaborationPlatform platform) {
    return catalog.find(platform.getSpec().getVersion())
        .orElseThrow(() -> new IllegalStateException("no release " + platform.getSpec().getVersion()));
  }

  private Applied apply(KubernetesClient client, CollaborationPlatform platform, Release release) {
    DesiredState desired = PlatformModel.from(PlatformContext.of(platform, release, OperatorConfig.DEFAULT_REGISTRY));
    int workloads = 0;
    int pods = 0;
    int claims = 0;
    Map<String, Integer> floors = new LinkedHashMap<>();
    for (HasMetadata resource : desired.resources()) {
      if (resource instanceof HorizontalPodAutoscaler hpa) {
        floors.put(key("Deployment", hpa.getMetadata().getNamespace(), hpa.getSpec().getScaleTargetRef().getName()),
            Objects.requireNonNullElse(hpa.getSpec().getMinReplicas(), 1));
      }
    }
    autoscalingFloors.putAll(floors);
    for (HasMetadata resource : desired.resources()) {
      if (resource instanceof Deployment d) {
        workloads++;
        pods += Math.max(Objects.requireNonNullElse(d.getSpec().getReplicas(), 1),
            floors.getOrDefault(key(d), 0));
      } else if (resource instanceof StatefulSet s) {
        workloads++;
        int replicas = Objects.requireNonNullElse(s.getSpec().getReplicas(), 1);
        pods += replicas;
        claims += replicas * s.getSpec().getVolumeClaimTemplates().size();
      }
    }
    for (GeneratedSecret secret : desired.secrets()) {
      client.secrets().inNamespace(secret.metadata().getNamespace()).resource(generated(secret)).create();
    }
    for (HasMetadata resource : desired.resources()) {
      client.resource(resource).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    return new Applied(desired.resources().size(), desired.secrets().size(), workloads, pods, claims);
  }

  /** Random credentials, as the operator's CredentialsWriter makes them. */
  private Secret generated(GeneratedSecret wanted) {
    Map<String, String> data = new LinkedHashMap<>();
    for (String key : wanted.keys()) {
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      data.put(key, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    return new SecretBuilder().withMetadata(wanted.metadata()).withType("Opaque").withStringData(data).build();
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  private static String key(HasMetadata resource) {
    return key(resource.getKind(), resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  /** Ready as the operator's status counts a Deployment: every replica updated, available and ready. */
  private boolean deploymentReady(Deployment deployment) {
    int desired = Math.max(autoscalingFloors.getOrDefault(key(deployment), 0),
        Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1));
    var s = deployment.getStatus();
    return s != null && Objects.equals(s.getObservedGeneration(), deployment.getMetadata().getGeneration())
        && Objects.requireNonNullElse(s.getUpdatedReplicas(), 0) == desired
        && Objects.requireNonNullElse(s.getReplicas(), 0) == desired
        && Objects.requireNonNullElse(s.getAvailableReplicas(), 0) == desired
        && Objects.requireNonNullElse(s.getReadyReplicas(), 0) == desired;
  }

  /** Ready as the operator's status counts a StatefulSet: every replica updated and ready, one revision. */
  private static boolean statefulSetReady(StatefulSet statefulSet) {
    int desired = Objects.requireNonNullElse(statefulSet.getSpec().getReplicas(), 1);
    var s = statefulSet.getStatus();
    return s != null && Objects.equals(s.getObservedGeneration(), statefulSet.getMetadata().getGeneration())
        && Objects.requireNonNullElse(s.getUpdatedReplicas(), 0) == desired
        && Objects.equals(s.getCurrentRevision(), s.getUpdateRevision())
        && Objects.requireNonNullElse(s.getReadyReplicas(), 0) == desired;
  }
}
