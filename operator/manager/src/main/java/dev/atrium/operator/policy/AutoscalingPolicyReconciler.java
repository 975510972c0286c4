package dev.atrium.operator.policy;

import dev.atrium.api.v1alpha1.AutoscalingPolicy;
import dev.atrium.api.v1alpha1.AutoscalingPolicyStatus;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.platform.StatusAggregator;
import dev.atrium.operator.scaling.ScalingPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells on each AutoscalingPolicy whether it can be followed (what the schema cannot check: time
 * zones, cron fields, overlapping windows with different floors) and what floor it sets now, and
 * comes back when that floor changes. Platforms do not wait for it: they check a policy themselves.
 * Runs only in an operator that watches all namespaces, so that one writer owns the status.
 */
@ControllerConfiguration(name = AutoscalingPolicyReconciler.NAME)
public class AutoscalingPolicyReconciler implements Reconciler<AutoscalingPolicy> {

  public static final String NAME = "autoscalingpolicy";
  public static final String VALID = "Valid";
  private static final Logger LOG = LoggerFactory.getLogger(AutoscalingPolicyReconciler.class);
  private final Clock clock;

  public AutoscalingPolicyReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<AutoscalingPolicy> reconcile(AutoscalingPolicy policy, Context<AutoscalingPolicy> context) {
    Instant now = clock.instant();
    AutoscalingPolicyStatus previous = policy.getStatus();
    List<Condition> previousConditions = previous == null ? List.of() : previous.getConditions();
    long generation = policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
    AutoscalingPolicyStatus status = new AutoscalingPolicyStatus();
    status.setObservedGeneration(generation);
    Optional<Instant> next = Optional.empty();
    try {
      ScalingPlan plan = ScalingPlan.of(policy, now);
      status.setConditions(List.of(StatusAggregator.condition(previousConditions, VALID, true, ConditionReason.AS_EXPECTED.token(),
          "Every schedule and time zone is understood and no overlapping windows disagree", generation, clock)));
      status.setCurrentMinReplicas(plan.floor(now));
      status.setActiveWindows(plan.activeWindows(now));
      next = plan.nextChange(now);
      status.setNextChange(next.map(Instant::toString).orElse(null));
    } catch (IllegalArgumentException e) {
      status.setConditions(List.of(StatusAggregator.condition(previousConditions, VALID, false, ConditionReason.INVALID_WINDOWS.token(),
          e.getMessage() + ". Platforms naming this policy keep the scaling they had.", generation, clock)));
    }
    UpdateControl<AutoscalingPolicy> control;
    if (previous != null && Serialization.asJson(previous).equals(Serialization.asJson(status))) {
      control = UpdateControl.noUpdate();
    } else {
      if (previous == null || !Serialization.asJson(previous.getConditions())
          .equals(Serialization.asJson(status.getConditions()))) {
        LOG.info("AutoscalingPolicy {}: {}={} ({})", policy.getMetadata().getName(), VALID,
            status.getConditions().get(0).getStatus(), status.getConditions().get(0).getMessage());
      }
      AutoscalingPolicy patch = new AutoscalingPolicy();
      patch.setMetadata(new ObjectMetaBuilder().withName(policy.getMetadata().getName()).build());
      patch.setStatus(status);
      control = UpdateControl.patchStatus(patch);
    }
    // come back when a window starts or ends, so the status shows the floor of the moment
    return next.map(at -> control.rescheduleAfter(Duration.between(now, at).plusSeconds(1))).orElse(control);
  }
}
