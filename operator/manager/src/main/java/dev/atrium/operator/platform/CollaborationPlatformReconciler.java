package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.AutoscalingPolicy;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.api.v1alpha1.ComponentStatus;
import dev.atrium.api.v1alpha1.BackupTrigger;
import dev.atrium.api.v1alpha1.PlatformBackup;
import dev.atrium.api.v1alpha1.PlatformRelease;
import dev.atrium.api.v1alpha1.RestoreStatus;
import dev.atrium.api.v1alpha1.UpgradeStatus;
import dev.atrium.operator.apply.MatchMemo;
import dev.atrium.operator.apply.ResourceApplier;
import dev.atrium.operator.backup.BackupSchedule;
import dev.atrium.operator.database.BackupWiring;
import dev.atrium.operator.platformdata.S3Store;
import dev.atrium.operator.platformdata.TenantKey;
import dev.atrium.operator.hibernation.Hibernation;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.monitoring.OperatorMetrics;
import dev.atrium.operator.release.Release;
import dev.atrium.operator.release.ReleaseCatalog;
import dev.atrium.operator.platform.StatusAggregator.Problem;
import dev.atrium.operator.upgrade.BackupGate;
import dev.atrium.operator.upgrade.UpgradeDecision;
import dev.atrium.operator.upgrade.UpgradePhase;
import dev.atrium.operator.upgrade.UpgradePlanner;
import dev.atrium.operator.upgrade.WorkloadState;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
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
  private static final Duration HIBERNATING_RECHECK = Duration.ofSeconds(3);
  /**
   * How often an upgrade step waiting for its component's rollout looks again, events or not. The workloads' events
   * wake it as a rule; a wake-up once lost cost a CI run the step's whole deadline (8 minutes on a StatefulSet
   * already rolled out).
   */
  private static final Duration ROLLOUT_RECHECK = Duration.ofSeconds(10);
  /** How often a restore that refills the buckets is looked at (its thread sends no event). */
  private static final Duration RESTORE_RECHECK = Duration.ofSeconds(5);
  /** status.restore.phase. */
  static final String RESTORING_OBJECTS = "RestoringObjects";
  static final String RESTORED = "Restored";
  static final String RESTORE_FAILED = "Failed";
  /** How many backups an upgrade takes before it gives up and waits for a person, and how far apart. */
  static final int BEFORE_UPGRADE_TRIES = 3;
  static final Duration BEFORE_UPGRADE_RETRY = Duration.ofMinutes(1);

  /**
   * Every kind the operator applies; each is watched, narrowed to objects it manages. Secrets are
   * not among them: see {@link CredentialsWriter} for why they are asked for by name.
   */
  static final List<Class<? extends HasMetadata>> OWNED = List.of(Deployment.class, StatefulSet.class, Service.class,
      ConfigMap.class, PodDisruptionBudget.class, HorizontalPodAutoscaler.class, NetworkPolicy.class,
      Ingress.class, ServiceAccount.class, Role.class, RoleBinding.class);

  /** The cluster's PlatformReleases (cluster-scoped), watched; set when the event sources are prepared. */
  private volatile InformerEventSource<PlatformRelease, CollaborationPlatform> releases;
  /** The informers of the kinds the operator applies, by kind. */
  private final Map<Class<? extends HasMetadata>, InformerEventSource<? extends HasMetadata, CollaborationPlatform>>
      ownedSources = new java.util.concurrent.ConcurrentHashMap<>();
  /** The PlatformBackups in the platforms' namespaces, watched: each wakes the platform its spec names. */
  private volatile InformerEventSource<PlatformBackup, CollaborationPlatform> backups;
  /** The cluster's AutoscalingPolicies (cluster-scoped), watched. */
  private volatile InformerEventSource<AutoscalingPolicy, CollaborationPlatform> policies;
  private final Clock clock;
  private final String defaultRegistry;
  private final OperatorMetrics metrics;
  private final StatusAggregator aggregator;
  private final CredentialsWriter credentials;
  private final PlatformDataRestore restores;
  /** About 42 objects a platform: room for a few thousand platforms before any comparison is redone. */
  private final MatchMemo matched = new MatchMemo(200_000);

  public CollaborationPlatformReconciler(String defaultRegistry, OperatorMetrics metrics, Clock clock) {
    this(defaultRegistry, metrics, clock, S3Store::connect);
  }

  /** @param stores how the operator reaches S3 endpoints, for a restore's platform data (tests map them) */
  public CollaborationPlatformReconciler(String defaultRegistry, OperatorMetrics metrics, Clock clock,
      S3Store.Connector stores) {
    this.defaultRegistry = defaultRegistry;
    this.metrics = metrics;
    this.clock = clock;
    this.aggregator = new StatusAggregator(clock);
    this.credentials = new CredentialsWriter(clock);
    this.restores = new PlatformDataRestore(stores);
  }

  @Override
  public List<EventSource<?, CollaborationPlatform>> prepareEventSources(EventSourceContext<CollaborationPlatform> context) {
    metrics.observePlatforms(() -> context.getPrimaryCache().list().map(CollaborationPlatformReconciler::gaugeState));
    List<EventSource<?, CollaborationPlatform>> sources = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : OWNED) {
      InformerEventSource<? extends HasMetadata, CollaborationPlatform> source = informer(kind, context);
      ownedSources.put(kind, source);
      sources.add(source);
    }
    releases = clusterScoped(PlatformRelease.class, context, release -> platformsUsing(context,
        p -> release.getMetadata().getName().equals(p.getSpec().getVersion())
            || p.getStatus() != null && p.getStatus().getUpgrade() != null
            && release.getMetadata().getName().equals(p.getStatus().getUpgrade().getFromVersion())));
    sources.add(releases);
    policies = clusterScoped(AutoscalingPolicy.class, context, policy -> platformsUsing(context,
        p -> ScalingResolver.names(p.getSpec(), policy.getMetadata().getName())));
    sources.add(policies);
    backups = new InformerEventSource<>(InformerEventSourceConfiguration.from(PlatformBackup.class,
            CollaborationPlatform.class)
        .withName(PlatformBackup.class.getSimpleName())
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(backup -> backup.getSpec() == null || backup.getSpec().getPlatform() == null
            ? Set.of() : Set.of(new ResourceID(backup.getSpec().getPlatform(), backup.getMetadata().getNamespace())))
        .build(), context);
    sources.add(backups);
    return sources;
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
        ready, components.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count(), components.size(),
        Boolean.TRUE.equals(platform.getSpec().getHibernate()));
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
    Outcome outcome;
    try {
      outcome = converge(new Pass(platform, context, clock.instant()));
    } catch (RuntimeException e) {
      // whatever failed, the status says so with a reason rather than going stale
      LOG.warn("Reconciling {}/{} failed", platform.getMetadata().getNamespace(), platform.getMetadata().getName(), e);
      outcome = Outcome.failed(new Pass(platform, context, clock.instant()), failure(e));
    }
    metrics.reconciled(outcome.result(), (System.nanoTime() - started) / 1e9);
    return report(context.getClient(), platform, outcome);
  }

  /**
   * One reconcile, step by step: each step either lets the next run or stops the pass with a problem, after which
   * nothing more is written (the status still is). Reading it top to bottom is reading what the operator does.
   */
  private Outcome converge(Pass pass) {
    return resolveRelease(pass)
        .or(() -> checkReferencedSecrets(pass))
        .or(() -> resolveScaling(pass))
        .or(() -> observeWorkloads(pass))
        .or(() -> gateUpgradeOnBackup(pass))
        .or(() -> planUpgrade(pass))
        .or(() -> planHibernation(pass))
        .or(() -> buildDesiredState(pass))
        .or(() -> openRestoredData(pass))
        .or(() -> ensureCredentials(pass))
        .or(() -> applyDesiredState(pass))
        .or(() -> pruneUnwanted(pass))
        .or(() -> observeWorkloads(pass))
        .or(() -> scheduleBackups(pass))
        .or(() -> refillBuckets(pass))
        .map(stop -> Outcome.stopped(pass, stop))
        .orElseGet(() -> Outcome.converged(pass));
  }

  /** Release: the PlatformRelease spec.version names must be in the cluster. */
  private Optional<Problem> resolveRelease(Pass pass) {
    String version = pass.platform.getSpec().getVersion();
    pass.catalog = ReleaseCatalog.of(releases.list().toList());
    pass.release = pass.catalog.find(version).orElse(null);
    if (pass.release == null && pass.catalog.whyUnusable(version).isPresent()) {
      return Optional.of(new Problem(ConditionReason.INVALID_RELEASE, pass.catalog.whyUnusable(version).get()
          + ". Nothing was changed."));
    }
    if (pass.release == null) {
      return Optional.of(new Problem(ConditionReason.UNKNOWN_VERSION, "No PlatformRelease " + version
          + " in the cluster (there are: "
          + (pass.catalog.versions().isEmpty() ? "none" : String.join(", ", pass.catalog.versions()))
          + "); apply the release's manifest (examples/releases/) or set spec.version to one of them. "
          + "Nothing was changed."));
    }
    List<Component> missing = pass.release.missingFor(Component.enabled(pass.platform.getSpec()));
    if (!missing.isEmpty()) {
      return Optional.of(new Problem(ConditionReason.INVALID_RELEASE, "Release " + version + " ships no image of "
          + missing.stream().map(Component::specField).collect(Collectors.joining(", "))
          + ", which the spec switches on; switch " + (missing.size() == 1 ? "it" : "them")
          + " off (" + missing.stream().map(c -> c.specField() + ".enabled: false").collect(Collectors.joining(", "))
          + ") or use a release that ships " + (missing.size() == 1 ? "it" : "them") + ". Nothing was changed."));
    }
    return Optional.empty();
  }

  /** Referenced Secrets: the ones the spec names (LDAP bind, TLS, pull secrets) exist with their keys. */
  private Optional<Problem> checkReferencedSecrets(Pass pass) {
    KubernetesClient client = pass.context.getClient();
    return ReferencedSecrets.problem(ReferencedSecrets.of(pass.platform.getSpec()), name ->
        Optional.ofNullable(client.secrets().inNamespace(pass.namespace()).withName(name).get())
            .map(CollaborationPlatformReconciler::keysOf))
        .map(message -> new Problem(ConditionReason.MISSING_SECRET, message + ". Nothing was changed."));
  }

  /** Scaling: the plan of every AutoscalingPolicy a component names, at this instant. Never stops the pass. */
  private Optional<Problem> resolveScaling(Pass pass) {
    pass.scaling = ScalingResolver.resolve(pass.platform.getSpec(), name -> policies.get(new ResourceID(name)),
        pass.now);
    pass.problem = pass.scaling.problem();
    return Optional.empty();
  }

  /**
   * Observe: each switched-on component's workload from the informers' caches. Before the plan, for the planner;
   * again at the end, for the status: what this pass wrote is in the caches by then, so a workload it just changed
   * is not reported Ready for the new generation before its controller has rolled it out.
   */
  private Optional<Problem> observeWorkloads(Pass pass) {
    String name = pass.platform.getMetadata().getName();
    Map<Component, Integer> floors = new EnumMap<>(Component.class);
    if (pass.scaling != null) {
      floors.putAll(pass.scaling.floors());
    }
    if (pass.hibernation != null) {
      pass.hibernation.atZero().forEach(floors::remove); // asleep, no autoscaler's minimum applies
    }
    pass.observedDone = true;
    pass.observed.clear();
    for (Component component : Component.enabled(pass.platform.getSpec())) {
      String workload = Names.workload(name, component);
      HasMetadata object = component.stateful() ? find(pass.context, StatefulSet.class, workload)
          : find(pass.context, Deployment.class, workload);
      WorkloadState state = object == null ? null : object instanceof StatefulSet sts ? ComponentHealth.of(sts)
          : ComponentHealth.of((Deployment) object, floors.getOrDefault(component, 0));
      pass.observed.put(component, new Observed(state, object == null ? null : imageOf(object),
          object == null ? null : sleepView(object, state)));
    }
    return Optional.empty();
  }

  /**
   * Hibernation: which components run no pod because the platform sleeps (spec.hibernate) or is waking. Never stops
   * the pass. Going to sleep it counts the pods themselves, terminating ones too: a workload's status forgets a pod
   * as soon as it is told to stop, and the data stores must outlast the services' draining.
   */
  private Optional<Problem> planHibernation(Pass pass) {
    boolean hibernate = Boolean.TRUE.equals(pass.platform.getSpec().getHibernate());
    Map<Component, Hibernation.Workload> workloads = new EnumMap<>(Component.class);
    pass.observed.forEach((component, observed) -> {
      if (observed.sleepView() != null) {
        workloads.put(component, observed.sleepView());
      }
    });
    if (hibernate) {
      Map<String, Long> pods = pass.context.getClient().pods().inNamespace(pass.namespace())
          .withLabel(Labels.INSTANCE, pass.platform.getMetadata().getName())
          .withLabel(Labels.PART_OF, Labels.PART_OF_VALUE)
          .list().getItems().stream()
          .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().getOrDefault(Labels.NAME, ""),
              Collectors.counting()));
      workloads.replaceAll((component, w) -> new Hibernation.Workload(w.replicas(),
          pods.getOrDefault(component.id(), 0L).intValue(), w.healthy()));
    }
    boolean stepUnderWay = pass.upgrade.phase().filter(p -> p == UpgradePhase.PROGRESSING).isPresent();
    pass.hibernation = Hibernation.plan(hibernate, Component.enabled(pass.platform.getSpec()), workloads,
        stepUnderWay);
    return Optional.empty();
  }

  /**
   * Backup before an upgrade (spec.backup.beforeUpgrade): when spec.version asks for a newer release and the
   * upgrade's first component has not moved, a PlatformBackup is asked for (trigger BeforeUpgrade), and the plan
   * holds the upgrade until it completed and verified. One taken for this target since the platform last finished
   * an upgrade serves; an older one does not (the data has changed since). Never stops the pass.
   */
  private Optional<Problem> gateUpgradeOnBackup(Pass pass) {
    pass.backupGate = BackupGate.notNeeded();
    var spec = pass.platform.getSpec();
    var status = pass.platform.getStatus();
    String running = status == null ? null : status.getVersion();
    String target = spec.getVersion();
    if (!BackupWiring.enabled(spec) || Boolean.FALSE.equals(spec.getBackup().getBeforeUpgrade()) || running == null
        || running.equals(target) || !pass.release.upgradesFrom(running)) {
      return Optional.empty(); // no backups, none asked for, a first install, steady, or a return
    }
    var recorded = status.getUpgrade();
    if (recorded != null && target.equals(recorded.getToVersion()) && recorded.getCompleted() != null
        && !recorded.getCompleted().isEmpty()) {
      return Optional.empty(); // under way: its backup was taken before its first component moved
    }
    Instant since = recorded == null || recorded.getFinishedAt() == null ? Instant.EPOCH
        : Instant.parse(recorded.getFinishedAt());
    String name = pass.platform.getMetadata().getName();
    List<PlatformBackup> tries = backups.list(pass.namespace(), b -> b.getSpec() != null
            && name.equals(b.getSpec().getPlatform()) && b.getSpec().getTrigger() == BackupTrigger.BeforeUpgrade
            && target.equals(labelOf(b, Labels.UPGRADE_TO)) && created(b).isAfter(since)).toList();
    Optional<PlatformBackup> taken = tries.stream()
        .max(java.util.Comparator.comparing(CollaborationPlatformReconciler::created));
    // a backup that failed (a lost connection, a primary that changed) is taken again, a few times, a minute apart;
    // one that ran and did not verify is not: that needs a person
    boolean failedToRun = taken.isPresent() && taken.get().getStatus() != null
        && "Failed".equals(taken.get().getStatus().getPhase());
    if (failedToRun && tries.size() < BEFORE_UPGRADE_TRIES) {
      Instant again = created(taken.get()).plus(BEFORE_UPGRADE_RETRY);
      if (pass.now.isBefore(again)) {
        pass.backupGate = new BackupGate(BackupGate.State.WAITING, taken.get().getMetadata().getName(),
            "failed; another is taken at " + again);
        pass.backupRecheckAt = again;
        return Optional.empty();
      }
      taken = Optional.empty();
    }
    if (taken.isEmpty()) {
      String backup = BackupSchedule.beforeUpgradeName(name, target, pass.now);
      createBackup(pass, backup, BackupTrigger.BeforeUpgrade, Map.of(Labels.UPGRADE_TO, target));
      pass.backupGate = new BackupGate(BackupGate.State.WAITING, backup, "asked for now");
      return Optional.empty();
    }
    var backupStatus = taken.get().getStatus();
    String phase = backupStatus == null || backupStatus.getPhase() == null ? "Pending" : backupStatus.getPhase();
    String said = backupStatus == null ? "" : backupStatus.getConditions().stream()
        .map(c -> c.getType() + " " + c.getReason() + ": " + c.getMessage()).collect(Collectors.joining("; "));
    // a backup just created has no status yet: it waits
    Boolean verified = backupStatus == null ? null : backupStatus.getVerified();
    BackupGate.State state = "Failed".equals(phase) || Boolean.FALSE.equals(verified) ? BackupGate.State.FAILED
        : Boolean.TRUE.equals(verified) ? BackupGate.State.VERIFIED : BackupGate.State.WAITING;
    pass.backupGate = new BackupGate(state, taken.get().getMetadata().getName(),
        phase + (said.isEmpty() ? "" : ": " + said));
    return Optional.empty();
  }

  private static Instant created(PlatformBackup backup) {
    return backup.getMetadata().getCreationTimestamp() == null ? Instant.now()
        : Instant.parse(backup.getMetadata().getCreationTimestamp());
  }

  private static String labelOf(HasMetadata object, String label) {
    return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(label);
  }

  /** Upgrade plan: which release each component runs now; one component at a time moves during an upgrade. */
  private Optional<Problem> planUpgrade(Pass pass) {
    Map<Component, WorkloadState> workloads = new EnumMap<>(Component.class);
    pass.observed.forEach((component, observed) -> {
      if (observed.state() != null) {
        workloads.put(component, observed.state());
      }
    });
    UpgradeDecision upgrade = UpgradePlanner.plan(pass.platform, pass.catalog, workloads, pass.now, pass.backupGate);
    pass.upgrade = upgrade;
    upgrade.versions().forEach((component, v) -> pass.catalog.find(v)
        .ifPresent(r -> pass.componentReleases.put(component, r)));
    if (upgrade.problemReason() != null) {
      Problem problem = new Problem(upgrade.problemReason(), upgrade.problemMessage());
      if (upgrade.refused() || pass.componentReleases.size() < Component.values().length) {
        return Optional.of(problem); // refused: nothing moves
      }
      pass.problem = problem; // halted or rolled back: what stands is still applied, and said
    }
    return Optional.empty();
  }

  /** Desired state: every switched-on component's objects from the pure models. */
  private Optional<Problem> buildDesiredState(Pass pass) {
    PlatformContext ctx = PlatformContext.of(pass.platform, pass.release, defaultRegistry)
        .withComponentReleases(pass.componentReleases, pass.upgrade.databasePartition())
        .withScaling(pass.scaling.plans(), pass.now)
        .withAtZero(atZero(pass));
    pass.desired = PlatformModel.from(ctx);
    return Optional.empty();
  }

  /** What runs at zero replicas: what hibernation puts to sleep, and netdisk while a restore refills its buckets. */
  private static Set<Component> atZero(Pass pass) {
    Set<Component> atZero = EnumSet.noneOf(Component.class);
    atZero.addAll(pass.hibernation.atZero());
    if (BackupWiring.restoresPlatformData(pass.platform.getSpec()) && !restored(pass.platform)) {
      atZero.add(Component.NETDISK); // its rows would name files not back yet
    }
    return atZero;
  }

  private static boolean restored(CollaborationPlatform platform) {
    return platform.getStatus() != null && platform.getStatus().getRestore() != null
        && RESTORED.equals(platform.getStatus().getRestore().getPhase());
  }

  /**
   * Restore with the tenant's key: the old platform's data opened (its Secrets' values for the credentials, its objects
   * for the buckets). One that cannot be opened stops the pass before any credential is generated: a new one would
   * never be replaced by the backup's.
   */
  private Optional<Problem> openRestoredData(Pass pass) {
    if (!BackupWiring.restoresPlatformData(pass.platform.getSpec()) || restored(pass.platform)) {
      return Optional.empty();
    }
    RestoreStatus status = new RestoreStatus();
    try {
      PlatformDataRestore.Opened data = restores.open(pass.context.getClient(), pass.platform);
      pass.restoredData = data;
      status.setPhase(RESTORING_OBJECTS);
      status.setBackup(data.index().backup());
      status.setTakenAt(data.index().takenAt());
      status.setSecrets(data.manifest().secrets().size());
      pass.restore = status;
      return Optional.empty();
    } catch (RuntimeException e) {
      String message = PlatformDataRestore.causes(e);
      status.setPhase(RESTORE_FAILED);
      status.setMessage(message);
      pass.restore = status;
      pass.restoreRecheckAt = pass.now.plus(PlatformDataRestore.RETRY);
      return Optional.of(new Problem(ConditionReason.RESTORE_FAILED, "spec.restore.decryptionKey: the old platform's "
          + "own data cannot be read: " + message + ". Until it can, no credential is generated and nothing is applied; "
          + "it is tried again every minute (a platform made with the wrong key can be deleted and made again)."));
    }
  }

  /** A restore's buckets: refilled from the backup once the new object store is up; netdisk waits at zero till then. */
  private Optional<Problem> refillBuckets(Pass pass) {
    if (pass.restoredData == null) {
      return Optional.empty();
    }
    Observed store = pass.observed.get(Component.OBJECT_STORE);
    if (store == null || store.state() == null || !store.state().healthy()) {
      pass.restore.setMessage("waits for the object store to be ready");
      pass.restoreRecheckAt = pass.now.plus(RESTORE_RECHECK);
      return Optional.empty();
    }
    switch (restores.refill(pass.context.getClient(), pass.platform, pass.restoredData, pass.now)) {
      case PlatformDataRestore.Refill.Running running -> {
        pass.restore.setMessage("refilling " + pass.restoredData.manifest().objects().size() + " objects");
        pass.restoreRecheckAt = pass.now.plus(RESTORE_RECHECK);
      }
      case PlatformDataRestore.Refill.Done done -> {
        pass.restore.setPhase(RESTORED);
        pass.restore.setObjects((long) pass.restoredData.manifest().objects().size());
        pass.restore.setObjectBytes(done.bytes());
        pass.restore.setRestoredAt(pass.now.truncatedTo(ChronoUnit.SECONDS).toString());
        restores.forget(pass.platform.getMetadata().getUid());
        LOG.info("Platform {}/{}: {} objects ({} bytes) restored from backup {}", pass.namespace(),
            pass.platform.getMetadata().getName(), pass.restore.getObjects(), done.bytes(),
            pass.restore.getBackup());
        pass.restoreRecheckAt = pass.now.plus(Duration.ofSeconds(1)); // netdisk wakes on the next pass
      }
      case PlatformDataRestore.Refill.Failed failed -> {
        pass.restore.setPhase(RESTORE_FAILED);
        pass.restore.setMessage(failed.message());
        pass.problem = new Problem(ConditionReason.RESTORE_FAILED, "The buckets could not be refilled from backup "
            + pass.restore.getBackup() + ": " + failed.message() + "; tried again at " + failed.retryAt()
            + ", netdisk waits at zero replicas");
        pass.restoreRecheckAt = failed.retryAt();
      }
    }
    return Optional.empty();
  }

  /** Credentials: generated Secrets created once; one that exists and is not this platform's stops everything. */
  private Optional<Problem> ensureCredentials(Pass pass) {
    String name = pass.platform.getMetadata().getName();
    for (GeneratedSecret secret : pass.desired.secrets()) {
      Map<String, String> restoredValues = pass.restoredData == null ? null
          : pass.restoredData.manifest().secrets().get(PlatformData.suffix(name, secret.metadata().getName()));
      CredentialsWriter.Outcome written = credentials.ensure(pass.context.getClient(), secret,
          pass.platform.getMetadata().getUid(), restoredValues);
      if (written == CredentialsWriter.Outcome.CREATED) {
        metrics.wrote("Secret", "created");
        LOG.info("Created Secret {}/{}", pass.namespace(), secret.metadata().getName());
      } else if (written == CredentialsWriter.Outcome.NOT_OURS) {
        return Optional.of(new Problem(ConditionReason.OBJECT_CONFLICT, "Secret " + secret.metadata().getName()
            + " exists but was not generated for this platform (no owner reference to it or no managed-by label): "
            + "the operator does not adopt it, change it or deploy anything that would use it. Delete it to have "
            + "the credentials generated, or rename the platform. Nothing was changed."));
      }
    }
    return Optional.empty();
  }

  /** Apply: server-side apply of what differs; an object of the same name that is someone else's stops the pass. */
  private Optional<Problem> applyDesiredState(Pass pass) {
    ResourceApplier applier = new ResourceApplier(pass.context.getClient(), matched);
    Map<String, HasMetadata> live = liveObjects(pass.context);
    for (HasMetadata resource : pass.desired.resources()) {
      HasMetadata current = live.get(key(resource));
      ResourceApplier.Applied applied;
      try {
        applied = applier.apply(resource, current);
      } catch (ResourceApplier.Conflict conflict) {
        return Optional.of(new Problem(ConditionReason.OBJECT_CONFLICT, conflict.getMessage()
            + ": the operator does not adopt it or change it, and applies nothing after it. Delete or rename it."));
      } catch (KubernetesClientException e) {
        // name the object and keep the server's own words, not the whole request
        return Optional.of(new Problem(ConditionReason.APPLY_FAILED, "The API server refused "
            + resource.getKind() + " " + resource.getMetadata().getName() + ": " + serverWords(e)));
      }
      if (applied.result() != ResourceApplier.Result.UNCHANGED) {
        remember(pass, applied.object(), current);
        metrics.wrote(resource.getKind(), applied.result().name().toLowerCase(Locale.ROOT));
        LOG.info("{} {} {}/{}", applied.result() == ResourceApplier.Result.CREATED ? "Created" : "Updated",
            resource.getKind(), pass.namespace(), resource.getMetadata().getName());
      }
    }
    return Optional.empty();
  }

  /**
   * Puts what the API server returned into the informer's cache before its watch event comes, so that the next
   * pass sees it: an object just created is never taken for someone else's.
   */
  @SuppressWarnings("unchecked")
  private void remember(Pass pass, HasMetadata written, HasMetadata previous) {
    var source = (InformerEventSource<HasMetadata, CollaborationPlatform>) ownedSources.get(written.getClass());
    if (source == null) {
      return;
    }
    ResourceID platform = ResourceID.fromResource(pass.platform);
    if (previous == null) {
      source.handleRecentResourceCreate(platform, written);
    } else {
      source.handleRecentResourceUpdate(platform, written, previous);
    }
  }

  /**
   * Prune: delete what this platform owns and no longer wants (see {@link Pruning} for what is never deleted).
   * Only after everything wanted was applied, so a failed pass deletes nothing.
   */
  private Optional<Problem> pruneUnwanted(Pass pass) {
    List<HasMetadata> live = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : Pruning.PRUNABLE) {
      live.addAll(pass.context.getSecondaryResources(kind));
    }
    for (HasMetadata unwanted : Pruning.unwanted(live, pass.desired, pass.platform.getMetadata().getName(),
        pass.platform.getMetadata().getUid())) {
      try {
        // the version the cache saw: an object changed since is looked at again on the event that change sends
        pass.context.getClient().resource(unwanted).lockResourceVersion(unwanted.getMetadata().getResourceVersion())
            .delete();
        metrics.wrote(unwanted.getKind(), "deleted");
        pass.pruned.add(unwanted.getKind() + " " + unwanted.getMetadata().getName());
        LOG.info("Deleted {} {}/{}: no longer wanted", unwanted.getKind(), pass.namespace(),
            unwanted.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 && e.getCode() != 409) {
          return Optional.of(new Problem(ConditionReason.PRUNE_FAILED, "The API server refused to delete "
              + unwanted.getKind() + " " + unwanted.getMetadata().getName() + ", which is no longer wanted: "
              + serverWords(e)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Backups: with spec.backup on, the PlatformBackup the schedule wants now is created (owned by the platform; the
   * PlatformBackup reconciler takes it), and the status sums up the platform's backups. Never stops the pass; a
   * schedule the operator cannot read is reported, and the backups already taken stand.
   */
  private Optional<Problem> scheduleBackups(Pass pass) {
    String name = pass.platform.getMetadata().getName();
    List<PlatformBackup> existing = backups.list(pass.namespace(),
        b -> b.getSpec() != null && name.equals(b.getSpec().getPlatform())).toList();
    boolean enabled = BackupWiring.enabled(pass.platform.getSpec())
        && !Boolean.TRUE.equals(pass.platform.getSpec().getHibernate());
    Optional<Instant> next = Optional.empty();
    if (enabled) {
      try {
        BackupSchedule.Plan plan = BackupSchedule.plan(name, pass.platform.getSpec().getBackup().getSchedule(),
            existing.stream().map(CollaborationPlatformReconciler::scheduled).toList(), pass.now);
        // the first one waits until every component is up (the bucket may be in the tenant's own object store);
        // the platform's becoming Ready brings a pass
        boolean first = existing.stream().noneMatch(b -> b.getStatus() == null
            || !"Failed".equals(b.getStatus().getPhase()));
        boolean allUp = pass.observed.values().stream().allMatch(o -> o.state() != null && o.state().healthy());
        if (!first || allUp) {
          plan.create().ifPresent(backup -> createBackup(pass, backup, BackupTrigger.Scheduled, Map.of()));
        }
        next = plan.next();
        if (next.isPresent() && (pass.backupRecheckAt == null || next.get().isBefore(pass.backupRecheckAt))) {
          pass.backupRecheckAt = next.get(); // or sooner, when an upgrade's backup is to be taken again
        }
      } catch (IllegalArgumentException e) {
        pass.problem = new Problem(ConditionReason.INVALID_BACKUP_SCHEDULE, "spec.backup.schedule: " + e.getMessage()
            + ". No backup is scheduled; the ones taken stand.");
      }
    }
    if (BackupWiring.sealsPlatformData(pass.platform.getSpec()) && pass.problem == null) {
      try {
        TenantKey.publicKey(pass.platform.getSpec().getBackup().getEncryptionKey());
      } catch (IllegalArgumentException e) {
        pass.problem = new Problem(ConditionReason.INVALID_BACKUP_ENCRYPTION_KEY, "spec.backup.encryptionKey: "
            + e.getMessage() + ". Backups fail until it is a public key the operator can seal to; the ones taken "
            + "stand.");
      }
    }
    pass.backups = dev.atrium.operator.backup.BackupSummary.of(BackupWiring.enabled(pass.platform.getSpec()), existing, next);
    return Optional.empty();
  }

  private static BackupSchedule.Existing scheduled(PlatformBackup backup) {
    return new BackupSchedule.Existing(backup.getMetadata().getName(),
        backup.getSpec().getTrigger() == null ? BackupTrigger.OnDemand : backup.getSpec().getTrigger(),
        backup.getMetadata().getCreationTimestamp() == null ? Instant.EPOCH
            : Instant.parse(backup.getMetadata().getCreationTimestamp()),
        backup.getStatus() != null && "Failed".equals(backup.getStatus().getPhase()));
  }

  private void createBackup(Pass pass, String name, BackupTrigger trigger, Map<String, String> labels) {
    PlatformBackup backup = new PlatformBackup();
    Map<String, String> all = new java.util.LinkedHashMap<>(Labels.platform(pass.platform.getMetadata().getName()));
    all.putAll(labels);
    backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(pass.namespace())
        .withLabels(all)
        .withOwnerReferences(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
            .withApiVersion(pass.platform.getApiVersion()).withKind(pass.platform.getKind())
            .withName(pass.platform.getMetadata().getName()).withUid(pass.platform.getMetadata().getUid())
            .build())
        .build());
    var spec = new dev.atrium.api.v1alpha1.PlatformBackupSpec();
    spec.setPlatform(pass.platform.getMetadata().getName());
    spec.setTrigger(trigger);
    backup.setSpec(spec);
    try {
      PlatformBackup created = pass.context.getClient().resource(backup).create();
      backups.handleRecentResourceCreate(ResourceID.fromResource(pass.platform), created);
      metrics.wrote("PlatformBackup", "created");
      LOG.info("Created PlatformBackup {}/{} ({})", pass.namespace(), name, trigger);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e; // already there: made by an earlier pass whose watch event has not come yet
      }
    }
  }

  /** The Degraded problem of a pass that threw: API refusals in the server's words, anything else by its type. */
  private static Problem failure(RuntimeException e) {
    if (e instanceof KubernetesClientException k) {
      return new Problem(ConditionReason.APPLY_FAILED, "The API server refused a request: " + serverWords(k));
    }
    return new Problem(ConditionReason.RECONCILE_FAILED, "The operator failed (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); it retries, and its log has the details");
  }

  private static String serverWords(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : "HTTP " + e.getCode() + " " + e.getMessage();
  }

  private static String imageOf(HasMetadata workload) {
    var template = workload instanceof StatefulSet sts ? sts.getSpec().getTemplate()
        : ((Deployment) workload).getSpec().getTemplate();
    return template.getSpec().getContainers().get(0).getImage();
  }

  /** The keys of a Secret only: its values are never needed here, so they are never copied. */
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
    return Pruning.key(resource.getKind(), resource.getMetadata().getName());
  }

  /**
   * A component's workload as observed: its state (null when it has none yet), the image its pods run, and what
   * hibernation reads of it (null when it has none).
   */
  private record Observed(WorkloadState state, String image, Hibernation.Workload sleepView) {
  }

  /** What hibernation reads of a workload: the replicas its spec asks for and the pods its status counts. */
  private static Hibernation.Workload sleepView(HasMetadata workload, WorkloadState state) {
    Integer replicas = workload instanceof StatefulSet sts ? sts.getSpec().getReplicas()
        : ((Deployment) workload).getSpec().getReplicas();
    Integer pods = workload instanceof StatefulSet sts ? sts.getStatus() == null ? null : sts.getStatus().getReplicas()
        : ((Deployment) workload).getStatus() == null ? null : ((Deployment) workload).getStatus().getReplicas();
    return new Hibernation.Workload(replicas == null ? 1 : replicas, pods == null ? 0 : pods, state.healthy());
  }

  /** What one reconcile knows so far; each step fills in its part. */
  private static final class Pass {
    final CollaborationPlatform platform;
    final Context<CollaborationPlatform> context;
    final Instant now;
    ReleaseCatalog catalog;
    Release release;
    ScalingResolver.Resolved scaling;
    final Map<Component, Observed> observed = new EnumMap<>(Component.class);
    boolean observedDone;
    UpgradeDecision upgrade;
    Hibernation.Plan hibernation;
    final Map<Component, Release> componentReleases = new EnumMap<>(Component.class);
    DesiredState desired;
    /** A restore's platform data, opened (only while the restore is not done). */
    PlatformDataRestore.Opened restoredData;
    RestoreStatus restore;
    Instant restoreRecheckAt;
    final List<String> pruned = new ArrayList<>();
    /** The platform's backups in short, and when the schedule takes the next. */
    dev.atrium.api.v1alpha1.BackupStatus backups;
    Instant backupRecheckAt;
    BackupGate backupGate = BackupGate.notNeeded();
    /** A problem that did not stop the pass (a missing policy, a halted upgrade): reported as Degraded. */
    Problem problem;

    Pass(CollaborationPlatform platform, Context<CollaborationPlatform> context, Instant now) {
      this.platform = platform;
      this.context = context;
      this.now = now;
    }

    String namespace() {
      return platform.getMetadata().getNamespace();
    }
  }

  /**
   * What one pass found: the problem if there is one, and when to look again regardless of events (an autoscaling
   * window's boundary, the end of an upgrade's soak), if at all.
   */
  private record Outcome(Pass pass, Problem problem, Instant recheckAt, String result) {

    /** Every step ran; a problem that did not stop the pass may still be reported. */
    static Outcome converged(Pass pass) {
      Instant recheckAt = pass.scaling.nextChange().orElse(null);
      if (pass.upgrade.recheckAfter() != null) {
        recheckAt = earlier(recheckAt, pass.now.plus(pass.upgrade.recheckAfter()));
      }
      recheckAt = earlier(recheckAt, pass.backupRecheckAt);
      recheckAt = earlier(recheckAt, pass.restoreRecheckAt);
      UpgradeStatus upgrade = pass.upgrade.status();
      if (upgrade != null && UpgradePhase.PROGRESSING.token().equals(upgrade.getPhase())
          && upgrade.getHealthySince() == null) {
        recheckAt = earlier(recheckAt, pass.now.plus(ROLLOUT_RECHECK));
      }
      if (pass.hibernation.stage() == Hibernation.Stage.HIBERNATING) {
        // pods that finish terminating send the operator no event (it watches no pods): look again soon
        recheckAt = earlier(recheckAt, pass.now.plus(HIBERNATING_RECHECK));
      }
      return new Outcome(pass, pass.problem, recheckAt, pass.problem == null ? "ok" : "degraded");
    }

    /** The earlier of two times, either of which may be null (no time). */
    private static Instant earlier(Instant a, Instant b) {
      return a == null || b != null && b.isBefore(a) ? b : a;
    }

    /** A step stopped the pass: nothing after it was written. */
    static Outcome stopped(Pass pass, Problem problem) {
      return new Outcome(pass, problem, pass.restoreRecheckAt, "degraded"); // a restore's source may come back
    }

    /** The pass threw. */
    static Outcome failed(Pass pass, Problem problem) {
      return new Outcome(pass, problem, null, "error");
    }

    UpgradeDecision upgrade() {
      return pass.upgrade;
    }
  }

  /** Each switched-on component's line of the status, from the one observation of this pass. */
  private List<ComponentStatus> componentStatuses(Pass pass) {
    if (!pass.observedDone) {
      observeWorkloads(pass); // a pass stopped early still reports what runs
    }
    List<ComponentStatus> statuses = new ArrayList<>();
    pass.observed.forEach((component, observed) -> {
      String fallback = pass.release == null ? null : pass.release.version();
      String version = observed.state() == null ? null
          : observed.state().version() != null ? observed.state().version() : fallback;
      statuses.add(ComponentHealth.status(component, observed.state(), observed.image(), version));
    });
    return statuses;
  }

  private UpdateControl<CollaborationPlatform> report(KubernetesClient client, CollaborationPlatform platform,
      Outcome outcome) {
    String namespace = platform.getMetadata().getNamespace();
    String name = platform.getMetadata().getName();
    String portal = Wiring.portalScheme(platform.getSpec()) + "://" + platform.getSpec().getDomain() + "/";
    CollaborationPlatformStatus previous = platform.getStatus();
    RestoreStatus restore = outcome.pass().restore;
    String restoring = restore != null && !RESTORED.equals(restore.getPhase())
        ? "the buckets are being refilled from backup " + restore.getBackup() : null;
    CollaborationPlatformStatus status = aggregator.aggregate(previous, platform.getMetadata().getGeneration(),
        componentStatuses(outcome.pass()), platform.getSpec().getVersion(), portal, outcome.problem(), restoring);
    if (outcome.upgrade() != null) {
      aggregator.upgrade(status, previous, outcome.upgrade().status(), outcome.upgrade().runningVersion(),
          platform.getMetadata().getGeneration());
    }
    aggregator.hibernation(status, previous, outcome.pass().hibernation, platform.getMetadata().getGeneration());
    status.setBackup(outcome.pass().backups != null ? outcome.pass().backups
        : previous == null ? null : previous.getBackup()); // a pass stopped early leaves the summary as it was
    status.setRestore(outcome.pass().restore != null ? outcome.pass().restore
        : previous == null ? null : previous.getRestore());
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
            .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason()
                + (StatusAggregator.DEGRADED.equals(c.getType()) ? ": " + c.getMessage() : "") + ")")
            .collect(Collectors.joining(", ")));
      }
      List<PlatformEvents.Event> events = new ArrayList<>(PlatformEvents.between(previous, status));
      if (outcome.upgrade() != null) {
        outcome.upgrade().events().forEach(e -> events.add(PlatformEvents.Event.of(e)));
      }
      PlatformEvents.record(client, platform, PlatformEvents.distinctReasons(events));
      control = UpdateControl.patchStatus(patch);
    }
    if (!outcome.pass().pruned.isEmpty()) {
      PlatformEvents.record(client, platform, List.of(new PlatformEvents.Event(PlatformEvents.Type.Normal,
          ConditionReason.PRUNED.token(), "Deleted what is no longer wanted: " + String.join(", ",
              outcome.pass().pruned))));
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
