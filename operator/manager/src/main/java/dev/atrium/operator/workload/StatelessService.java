package dev.atrium.operator.workload;

import dev.atrium.api.v1alpha1.AutoscalingSpec;
import dev.atrium.api.v1alpha1.StatelessComponentSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.model.PlatformContext;
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
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  public List<HasMetadata> resources() {
    List<HasMetadata> resources = new ArrayList<>();
    ConfigMap configMap = Workloads.config(ctx, component, config);
    resources.add(configMap);
    resources.add(deployment(ConfigHash.of(configMap.getData())));
    resources.add(Workloads.clientService(ctx, component, Labels.selector(ctx.name(), component)));
    resources.add(Workloads.disruptionBudget(ctx, component));
    if (spec.getAutoscaling() != null) {
      resources.add(autoscaler(spec.getAutoscaling()));
    }
    return resources;
  }

  Deployment deployment(String configHash) {
    String name = Names.workload(ctx.name(), component);
    DeploymentBuilder builder = new DeploymentBuilder()
        .withMetadata(Workloads.metadata(ctx, component, name))
        .withNewSpec()
          // with autoscaling the HPA owns the replica count, so it is left out of what is applied
          .withReplicas(spec.getAutoscaling() == null ? spec.getReplicas() : null)
          .withRevisionHistoryLimit(5)
          .withNewSelector().withMatchLabels(Labels.selector(ctx.name(), component)).endSelector()
          .withNewStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1))
            .endRollingUpdate()
          .endStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(Labels.of(ctx.name(), component, ctx.version()))
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
        .addNewPort().withName("http").withContainerPort(component.port()).withProtocol("TCP").endPort()
        .addNewEnvFrom().withNewConfigMapRef().withName(Names.config(ctx.name(), component)).endConfigMapRef().endEnvFrom()
        .withEnv(secretEnv)
        .withResources(Workloads.resources(spec.getResources(), "250m", "512Mi", "1Gi"))
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

  private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private HorizontalPodAutoscaler autoscaler(AutoscalingSpec autoscaling) {
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(Workloads.metadata(ctx, component, Names.workload(ctx.name(), component)))
        .withNewSpec()
          .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
            .withName(Names.workload(ctx.name(), component)).endScaleTargetRef()
          .withMinReplicas(autoscaling.getMinReplicas())
          .withMaxReplicas(autoscaling.getMaxReplicas())
          .addNewMetric().withType("Resource")
            .withNewResource().withName("cpu")
              .withNewTarget().withType("Utilization")
                .withAverageUtilization(autoscaling.getTargetCPUUtilizationPercentage() == null ? 70
                    : autoscaling.getTargetCPUUtilizationPercentage())
              .endTarget()
            .endResource()
          .endMetric()
        .endSpec()
        .build();
  }
}
