package dev.atrium.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How a stateless component scales: replica bounds, metric targets, scaling speed, and time windows
 * that raise the floor (e.g. the 08:30 log-in rush). Cluster-scoped, so one policy serves many tenants;
 * components name it in {@code autoscaling.policy}.
 */
@Group(CollaborationPlatform.GROUP)
@Version(CollaborationPlatform.VERSION)
@Kind("AutoscalingPolicy")
@Plural("autoscalingpolicies")
@Singular("autoscalingpolicy")
@ShortNames("asp")
@AdditionalPrinterColumn(name = "Min", jsonPath = ".spec.minReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Max", jsonPath = ".spec.maxReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Floor now", jsonPath = ".status.currentMinReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Valid", jsonPath = ".status.conditions[?(@.type==\"Valid\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AutoscalingPolicy extends CustomResource<AutoscalingPolicySpec, AutoscalingPolicyStatus> {

  private static final long serialVersionUID = 1L;
}
