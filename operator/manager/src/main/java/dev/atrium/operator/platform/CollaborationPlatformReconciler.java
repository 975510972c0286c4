package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.AutoscalingPolicy;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.api.v1alpha1.ComponentStatus;
import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.operator.apply.MatchMemo;
import dev.atrium.operator.apply.ResourceApplier;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.model.PlatformContext;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.release.ReleaseCatalog;
import dev.atrium.operator.upgrade.UpgradeDecision;
import dev.atrium.operator.upgrade.UpgradePlanner;
import dev.atrium.operator.upgrade.WorkloadState;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a CollaborationPlatform: computes the desired state from the component models,
 * creates missing credentials, applies what differs, and reports. It decides nothing about what
 * an object looks like; the models do. On bad input it writes nothing but the status.
 */
@ControllerConfiguration(name = CollaborationPlatformReconciler.NAME, fieldManager = ResourceApplier.FIELD_MANAGER)
public class CollaborationPlatformReconciler implements Reconciler<CollaborationPlatform> {

  public static final String NAME = "collaborationplatform";
  private static final Logger LOG = LoggerFactory.getLogger(CollaborationPlatformReconciler.class);
  private static final Duration RECHECK_WHEN_DEGRADED = Duration.ofSeconds(30);

  /**
   * Every kind the operator applies; each is watched, narrowed to objects it manages. Secrets are
   * not among them: see {@link CredentialsWriter} for why they are asked for by name.
   */
  static final List<Class<? extends HasMetadata>> OWNED = List.of(Deployment.class, StatefulSet.class, Service.class,
      ConfigMap.class, PodDisruptionBudget.class, HorizontalPodAutoscaler.class, NetworkPolicy.class,
      Ingress.class);

  /** The cluster's PlatformReleases (cluster-scoped), watched; set when the event sources are prepared. */
  private volatile InformerEventSource<PlatformRelease, CollaborationPlatform> releases;
  /** The cluster's AutoscalingPolicies (cluster-scoped), watched. */
  private volatile InformerEventSource<AutoscalingPolicy, CollaborationPlatform> policies;
  private final Clock clock;
  private final String defaultRegistry;
  private final OperatorMetrics metrics;
  private final StatusAggregator aggregator;
  private final CredentialsWriter credentials;
  /** About 42 objects a platform: room for a few thousand platforms before any comparison is redone. */
  private final MatchMemo matched = new MatchMemo(200_000);

  public CollaborationPlatformReconciler(String defaultRegistry, OperatorMetrics metrics, Clock clock) {
    this.defaultRegistry = defaultRegistry;
    this.metrics = metrics;
    this.clock = clock;
    this.aggregator = new StatusAggregator(clock);
    this.credentials = new CredentialsWriter(clock);
  }

  @Override
  public List<EventSource<?, CollaborationPlatform>> prepareEventSources(EventSourceContext<CollaborationPlatform> context) {
    metrics.observePlatforms(() -> context.getPrimaryCache().list().map(CollaborationPlatformReconciler::gaugeState));
    List<EventSource<?, CollaborationPlatform>> sources = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : OWNED) {
      sources.add(informer(kind, context));
    }
    releases = clusterScoped(PlatformRelease.class, context, release -> platformsUsing(context,
        p -> release.getMetadata().getName().equals(p.getSpec().getVersion())
            || p.getStatus() != null && p.getStatus().getUpgrade() != null
            && release.getMetadata().getName().equals(p.getStatus().getUpgrade().getFromVersion())));
    sources.add(releases);
    policies = clusterScoped(AutoscalingPolicy.class, context, policy -> platformsUsing(context,
        p -> ScalingResolver.names(p.getSpec(), policy.getMetadata().getName())));
    sources.add(policies);
    return sources;
  }

  /** The releases the cluster offers now. */
  private ReleaseCatalog catalog() {
    return ReleaseCatalog.of(releases.list().toList());
  }

  /**
   * An informer on a cluster-scoped Atrium kind, whose changes wake the platforms the mapper names
   * (the kinds carry no owner reference: many platforms share one).
   */
  static <R extends HasMetadata> InformerEventSource<R, CollaborationPlatform> clusterScoped(Class<R> kind,
      EventSourceContext<CollaborationPlatform> context, Function<R, Set<ResourceID>> platforms) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, CollaborationPlatform.class)
        .withName(kind.getSimpleName())
        .withSecondaryToPrimaryMapper(platforms::apply)
        .build(), context);
  }

  static Set<ResourceID> platformsUsing(EventSourceContext<CollaborationPlatform> context,
      Predicate<CollaborationPlatform> uses) {
    return context.getPrimaryCache().list(uses).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** A platform as the per-platform gauges show it: from its reported status, the same as kubectl shows. */
  static OperatorMetrics.PlatformState gaugeState(CollaborationPlatform platform) {
    CollaborationPlatformStatus status = platform.getStatus();
    List<ComponentStatus> components = status == null ? List.of() : status.getComponents();
    boolean ready = status != null && status.getConditions().stream()
        .anyMatch(c -> StatusAggregator.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    return new OperatorMetrics.PlatformState(platform.getMetadata().getNamespace(), platform.getMetadata().getName(),
        ready, components.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count(), components.size());
  }

  private static <R extends HasMetadata> InformerEventSource<R, CollaborationPlatform> informer(Class<R> kind,
      EventSourceContext<CollaborationPlatform> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, CollaborationPlatform.class)
        .withName(kind.getSimpleName())
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(CollaborationPlatform.class))
        .build(), context);
  }

  @Override
  public UpdateControl<CollaborationPlatform> reconcile(CollaborationPlatform platform,
      Context<CollaborationPlatform> context) {
    long started = System.nanoTime();
    String result = "ok";
    try {
      Outcome outcome = converge(platform, context);
      result = outcome.problem() == null ? "ok" : "degraded";
      return report(context.getClient(), platform, outcome);
    } catch (KubernetesClientException e) {
      result = "error";
      LOG.warn("Reconciling {}/{} failed: HTTP {} {}", platform.getMetadata().getNamespace(),
          platform.getMetadata().getName(), e.getCode(), e.getMessage());
      return report(context.getClient(), platform, new Outcome(observe(platform, context, null, Map.of()),
          new StatusAggregator.Problem("ApplyFailed", "The API server refused a change: " + e.getMessage()), null,
          null));
    } finally {
      metrics.reconciled(result, (System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * What one pass found: components' health, a problem if there is one, and when to look again
   * regardless of events (an autoscaling window's boundary), if at all.
   */
  private record Outcome(List<ComponentStatus> components, StatusAggregator.Problem problem, Release release,
      Instant recheckAt, UpgradeDecision upgrade) {

    Outcome(List<ComponentStatus> components, StatusAggregator.Problem problem, Release release, Instant recheckAt) {
      this(components, problem, release, recheckAt, null);
    }
  }

  private Outcome converge(CollaborationPlatform platform, Context<CollaborationPlatform> context) {
    String version = platform.getSpec().getVersion();
    ReleaseCatalog catalog = catalog();
    Optional<Release> release = catalog.find(version);
    if (release.isEmpty()) {
      return new Outcome(observe(platform, context, null, Map.of()), new StatusAggregator.Problem("UnknownVersion",
          "No PlatformRelease " + version + " in the cluster (there are: "
              + (catalog.versions().isEmpty() ? "none" : String.join(", ", catalog.versions()))
              + "); apply the release's manifest (examples/releases/) or set spec.version to one of them. "
              + "Nothing was changed."), null, null);
    }
    String namespace = platform.getMetadata().getNamespace();
    Optional<String> missing = ReferencedSecrets.problem(ReferencedSecrets.of(platform.getSpec()), name ->
        Optional.ofNullable(context.getClient().secrets().inNamespace(namespace).withName(name).get())
            .map(CollaborationPlatformReconciler::keysOf));
    if (missing.isPresent()) {
      return new Outcome(observe(platform, context, release.get(), Map.of()),
          new StatusAggregator.Problem("MissingSecret", missing.get() + ". Nothing was changed."), release.get(), null);
    }

    Instant now = clock.instant();
    // which release each component runs now: one component at a time moves during an upgrade
    UpgradeDecision upgrade = UpgradePlanner.plan(platform.getSpec(), platform.getStatus(), catalog,
        observedWorkloads(platform, context), now);
    Map<Component, Release> componentReleases = new EnumMap<>(Component.class);
    upgrade.versions().forEach((component, v) -> catalog.find(v).ifPresent(r -> componentReleases.put(component, r)));
    if (upgrade.problemReason() != null && (UpgradePlanner.UPGRADE_NOT_ALLOWED.equals(upgrade.problemReason())
        || UpgradePlanner.SOURCE_RELEASE_MISSING.equals(upgrade.problemReason())
        || componentReleases.size() < Component.values().length)) {
      return new Outcome(observe(platform, context, release.get(), Map.of()),
          // word for word: the planner tells a new refusal from a known one by the Degraded message
          new StatusAggregator.Problem(upgrade.problemReason(), upgrade.problemMessage()),
          release.get(), null, upgrade);
    }
    ScalingResolver.Resolved scaling = ScalingResolver.resolve(platform.getSpec(),
        name -> policies.get(new ResourceID(name)), now);
    PlatformContext ctx = PlatformContext.of(platform, release.get(), defaultRegistry)
        .withComponentReleases(componentReleases, upgrade.databasePartition())
        .withScaling(scaling.plans(), now);
    DesiredState desired = PlatformModel.from(ctx);
    for (GeneratedSecret secret : desired.secrets()) {
      if (credentials.ensure(context.getClient(), secret)) {
        metrics.wrote("Secret", "created");
        LOG.info("Created Secret {}/{}", namespace, secret.metadata().getName());
      }
    }
    ResourceApplier applier = new ResourceApplier(context.getClient(), matched);
    Map<String, HasMetadata> live = liveObjects(context);
    for (HasMetadata resource : desired.resources()) {
      ResourceApplier.Result applied;
      try {
        applied = applier.apply(resource, live.get(key(resource)));
      } catch (KubernetesClientException e) {
        // name the object and keep the server's own words, not the whole request
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage();
        throw new KubernetesClientException(resource.getKind() + " " + resource.getMetadata().getName() + ": "
            + reason, e.getCode(), e.getStatus());
      }
      if (applied != ResourceApplier.Result.UNCHANGED) {
        String outcome = applied.name().toLowerCase(Locale.ROOT);
        metrics.wrote(resource.getKind(), outcome);
        LOG.info("{} {} {}/{}", applied == ResourceApplier.Result.CREATED ? "Created" : "Updated", resource.getKind(),
            namespace, resource.getMetadata().getName());
      }
    }
    StatusAggregator.Problem problem = upgrade.problemReason() != null
        ? new StatusAggregator.Problem(upgrade.problemReason(), upgrade.problemMessage()) : scaling.problem();
    Instant recheckAt = scaling.nextChange().orElse(null);
    if (upgrade.recheckAfter() != null) {
      Instant upgradeRecheck = now.plus(upgrade.recheckAfter());
      recheckAt = recheckAt == null || upgradeRecheck.isBefore(recheckAt) ? upgradeRecheck : recheckAt;
    }
    return new Outcome(observe(platform, context, release.get(), scaling.floors()), problem, release.get(), recheckAt,
        upgrade);
  }

  /** Each component's workload as the upgrade planner needs it, from the informers' caches. */
  private static Map<Component, WorkloadState> observedWorkloads(CollaborationPlatform platform,
      Context<CollaborationPlatform> context) {
    Map<Component, WorkloadState> observed = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      String workload = Names.workload(platform.getMetadata().getName(), component);
      if (component.stateful()) {
        StatefulSet sts = find(context, StatefulSet.class, workload);
        if (sts != null) {
          observed.put(component, ComponentHealth.workload(sts));
        }
      } else {
        Deployment deployment = find(context, Deployment.class, workload);
        if (deployment != null) {
          observed.put(component, ComponentHealth.workload(deployment));
        }
      }
    }
    return observed;
  }

  /** The Secret's keys only: its values are never needed here, so they are never copied. */
  private static Map<String, ?> keysOf(Secret secret) {
    Map<String, Boolean> keys = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().keySet().forEach(k -> keys.put(k, Boolean.TRUE));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().keySet().forEach(k -> keys.put(k, Boolean.TRUE));
    }
    return keys;
  }

  private static Map<String, HasMetadata> liveObjects(Context<CollaborationPlatform> context) {
    Map<String, HasMetadata> live = new HashMap<>();
    for (Class<? extends HasMetadata> kind : OWNED) {
      context.getSecondaryResources(kind).forEach(r -> live.put(key(r), r));
    }
    return live;
  }

  /** The cached object of a kind and name among this platform's secondaries, or null. */
  private static <R extends HasMetadata> R find(Context<CollaborationPlatform> context, Class<R> kind, String name) {
    return context.getSecondaryResourcesAsStream(kind).filter(r -> name.equals(r.getMetadata().getName()))
        .findFirst().orElse(null);
  }

  private static String key(HasMetadata resource) {
    return resource.getKind() + "/" + resource.getMetadata().getName();
  }

  /** Each component's health as the informers see it; with no release, from what runs now. */
  private static List<ComponentStatus> observe(CollaborationPlatform platform, Context<CollaborationPlatform> context,
      Release release, Map<Component, Integer> floors) {
    String name = platform.getMetadata().getName();
    List<ComponentStatus> components = new ArrayList<>();
    for (Component component : Component.values()) {
      String workload = Names.workload(name, component);
      String version = release == null ? null : release.version();
      if (component.stateful()) {
        StatefulSet sts = find(context, StatefulSet.class, workload);
        components.add(ComponentHealth.of(component, sts, sts == null ? null
            : sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), versionOf(sts, version)));
      } else {
        Deployment deployment = find(context, Deployment.class, workload);
        components.add(ComponentHealth.of(component, deployment, floors.getOrDefault(component, 0),
            deployment == null ? null
            : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
            versionOf(deployment, version)));
      }
    }
    return components;
  }

  private static String versionOf(HasMetadata workload, String fallback) {
    if (workload == null) {
      return null;
    }
    String labelled = workload.getMetadata().getLabels() == null ? null
        : workload.getMetadata().getLabels().get(Labels.VERSION);
    return labelled != null ? labelled : fallback;
  }

  private UpdateControl<CollaborationPlatform> report(KubernetesClient client, CollaborationPlatform platform,
      Outcome outcome) {
    String namespace = platform.getMetadata().getNamespace();
    String name = platform.getMetadata().getName();
    String portal = Wiring.portalScheme(platform.getSpec()) + "://" + platform.getSpec().getDomain() + "/";
    CollaborationPlatformStatus previous = platform.getStatus();
    CollaborationPlatformStatus status = aggregator.aggregate(previous, platform.getMetadata().getGeneration(),
        outcome.components(), platform.getSpec().getVersion(), portal, outcome.problem());
    if (outcome.upgrade() != null) {
      aggregator.upgrade(status, previous, outcome.upgrade().status(), outcome.upgrade().runningVersion(),
          platform.getMetadata().getGeneration());
    }
    UpdateControl<CollaborationPlatform> control;
    if (sameStatus(previous, status)) {
      control = UpdateControl.noUpdate();
    } else {
      CollaborationPlatform patch = new CollaborationPlatform();
      patch.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
          .build());
      patch.setStatus(status);
      if (previous == null || !status.getPhase().equals(previous.getPhase())) {
        LOG.info("Platform {}/{} is {}: {}", namespace, name, status.getPhase(), status.getConditions().stream()
            .filter(c -> "True".equals(c.getStatus()) || StatusAggregator.READY.equals(c.getType()))
            .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ")")
            .collect(Collectors.joining(", ")));
      }
      List<String[]> events = new ArrayList<>(PlatformEvents.between(previous, status));
      if (outcome.upgrade() != null) {
        outcome.upgrade().events().forEach(e -> events.add(new String[] {e.type(), e.reason(), e.message()}));
      }
      PlatformEvents.record(client, platform, events);
      control = UpdateControl.patchStatus(patch);
    }
    Duration recheck = outcome.problem() != null ? RECHECK_WHEN_DEGRADED : null;
    if (outcome.recheckAt() != null) {
      // at the boundary of an autoscaling window the floor changes, whatever else happens
      Duration untilBoundary = Duration.between(clock.instant(), outcome.recheckAt()).plusSeconds(1);
      recheck = recheck == null || untilBoundary.compareTo(recheck) < 0 ? untilBoundary : recheck;
    }
    return recheck != null ? control.rescheduleAfter(recheck.isNegative() ? Duration.ofSeconds(1) : recheck) : control;
  }

  private static boolean sameStatus(CollaborationPlatformStatus a, CollaborationPlatformStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Serialization.asJson(a).equals(Serialization.asJson(b));
  }
}
