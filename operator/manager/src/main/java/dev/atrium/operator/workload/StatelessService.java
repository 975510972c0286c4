package dev.atrium.operator.workload;

import dev.atrium.api.v1alpha1.PodMetricTarget;
import dev.atrium.api.v1alpha1.ScalingRules;
import dev.atrium.api.v1alpha1.StatelessComponentSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.scaling.ScalingPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of a platform service (a Spring Boot application): ConfigMap, Deployment, Service,
 * PodDisruptionBudget and, when autoscaling bounds are given, a HorizontalPodAutoscaler.
 *
 * @param config non-secret settings, passed as environment variables through the ConfigMap
 * @param secretEnv settings read from Secrets (never put into the ConfigMap)
 */
public record StatelessService(PlatformContext ctx, Component component, StatelessComponentSpec spec,
    Map<String, String> config, List<EnvVar> secretEnv) {

  /** Spring Boot's actuator health groups, which the services expose on their HTTP port. */
  static final String LIVENESS_PATH = "/actuator/health/liveness";
  static final String READINESS_PATH = "/actuator/health/readiness";

  /**
   * The service's objects. Without autoscaling it has no HorizontalPodAutoscaler (one written before is pruned);
   * while the AutoscalingPolicy it names is missing or invalid, the autoscaler it has is kept as it is. While it
   * sleeps (hibernation) it has none either: an autoscaler would raise it to its minimum.
   */
  public DesiredState desired() {
    List<HasMetadata> resources = new ArrayList<>();
    ConfigMap configMap = Workloads.config(ctx, component, config);
    resources.add(configMap);
    resources.add(deployment(ConfigHash.of(configMap.getData())));
    resources.add(Workloads.clientService(ctx, component, Labels.selector(ctx.name(), component)));
    resources.add(Workloads.disruptionBudget(ctx, component));
    Optional<ScalingPlan> plan = ctx.scaling(component, spec.getAutoscaling());
    plan.ifPresent(p -> resources.add(autoscaler(p)));
    DesiredState desired = DesiredState.of(resources);
    if (plan.isEmpty() && spec.getAutoscaling() != null && !ctx.atZero(component)) {
      return desired.keeping(new DesiredState.Kept("HorizontalPodAutoscaler", Names.workload(ctx.name(), component),
          "AutoscalingPolicy " + spec.getAutoscaling().getPolicy() + " is missing or invalid: the last autoscaler "
              + "keeps scaling the component"));
    }
    return desired;
  }

  Deployment deployment(String configHash) {
    String name = Names.workload(ctx.name(), component);
    DeploymentBuilder builder = new DeploymentBuilder()
        .withMetadata(Workloads.metadata(ctx, component, name))
        .withNewSpec()
          // with autoscaling the HPA owns the replica count, so it is left out of what is applied; asleep, it is 0.
          // Left out again on waking, the field the operator alone owned is removed and defaults to 1, from where
          // the autoscaler, written again, raises it to its minimum
          .withReplicas(spec.getAutoscaling() == null || ctx.atZero(component)
              ? (Integer) ctx.replicas(component, spec.getReplicas()) : null)
          .withRevisionHistoryLimit(5)
          .withNewSelector().withMatchLabels(Labels.selector(ctx.name(), component)).endSelector()
          .withNewStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1))
            .endRollingUpdate()
          .endStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(Labels.of(ctx.name(), component, ctx.version(component)))
              .addToAnnotations(ConfigHash.ANNOTATION, configHash)
            .endMetadata()
            .withSpec(Workloads.podSpec(ctx, component, 45L, List.of(container()), List.of(Workloads.tmpVolume())))
          .endTemplate()
        .endSpec();
    return builder.build();
  }

  private Container container() {
    return new ContainerBuilder()
        .withName(component.id())
        .withImage(ctx.image(component))
        .withImagePullPolicy("IfNotPresent")
        .addNewPort().withName(component.portName()).withContainerPort(component.port()).withProtocol("TCP").endPort()
        .addNewEnvFrom().withNewConfigMapRef().withName(Names.config(ctx.name(), component)).endConfigMapRef().endEnvFrom()
        .withEnv(secretEnv)
        .withResources(ctx.resources(component, spec.getResources()))
        .withSecurityContext(PodSecurity.container())
        // slow JVM starts are covered by the startup probe, so liveness can be strict once running
        .withStartupProbe(httpProbe(LIVENESS_PATH, 2, 60))
        .withReadinessProbe(httpProbe(READINESS_PATH, 5, 3))
        .withLivenessProbe(httpProbe(LIVENESS_PATH, 10, 3))
        // let endpoints drop the pod before the JVM starts its graceful shutdown
        .withNewLifecycle().withNewPreStop().withNewSleep(5L).endPreStop().endLifecycle()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
  }

  private Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString(component.portName())).endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private HorizontalPodAutoscaler autoscaler(ScalingPlan plan) {
    List<MetricSpec> metrics = new ArrayList<>();
    if (plan.targetCPUUtilizationPercentage() != null) {
      metrics.add(utilization("cpu", plan.targetCPUUtilizationPercentage()));
    }
    if (plan.targetMemoryUtilizationPercentage() != null) {
      metrics.add(utilization("memory", plan.targetMemoryUtilizationPercentage()));
    }
    for (PodMetricTarget pods : plan.podMetrics()) {
      metrics.add(new MetricSpecBuilder().withType("Pods")
          .withNewPods().withNewMetric().withName(pods.getName()).endMetric()
            .withNewTarget().withType("AverageValue").withAverageValue(new Quantity(pods.getAverageValue())).endTarget()
          .endPods()
          .build());
    }
    HorizontalPodAutoscalerBehavior behavior = plan.scaleUp() == null && plan.scaleDown() == null ? null
        : new HorizontalPodAutoscalerBehaviorBuilder()
            .withScaleUp(rules(plan.scaleUp()))
            .withScaleDown(rules(plan.scaleDown()))
            .build();
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(Workloads.metadata(ctx, component, Names.workload(ctx.name(), component)))
        .withNewSpec()
          .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
            .withName(Names.workload(ctx.name(), component)).endScaleTargetRef()
          // the floor the policy's time windows set for now; the operator comes back at the next boundary
          .withMinReplicas(plan.floor(ctx.now()))
          .withMaxReplicas(plan.maxReplicas())
          .withMetrics(metrics)
          .withBehavior(behavior)
        .endSpec()
        .build();
  }

  private static MetricSpec utilization(String resource, int percent) {
    return new MetricSpecBuilder().withType("Resource")
        .withNewResource().withName(resource)
          .withNewTarget().withType("Utilization").withAverageUtilization(percent).endTarget()
        .endResource()
        .build();
  }

  private static HPAScalingRules rules(ScalingRules rules) {
    if (rules == null) {
      return null;
    }
    HPAScalingRulesBuilder builder = new HPAScalingRulesBuilder()
        .withStabilizationWindowSeconds(rules.getStabilizationWindowSeconds())
        .withSelectPolicy("Max");
    int period = rules.getPeriodSeconds() == null ? 60 : rules.getPeriodSeconds();
    if (rules.getPods() != null) {
      builder.addNewPolicy().withType("Pods").withValue(rules.getPods()).withPeriodSeconds(period).endPolicy();
    }
    if (rules.getPercent() != null) {
      builder.addNewPolicy().withType("Percent").withValue(rules.getPercent()).withPeriodSeconds(period).endPolicy();
    }
    return builder.build();
  }
}
