package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.AutoscalingPolicy;
import dev.atrium.api.v1alpha1.AutoscalingSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.StatelessComponentSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.scaling.ScalingPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the plan of every policy a platform's components name, at an instant. Pure: the policies
 * come in through a lookup. A missing or invalid policy is a problem for the platform, but not a
 * reason to change that component's autoscaler: it keeps the last good one.
 */
final class ScalingResolver {

  /**
   * @param plans the components whose policy was found and valid, with its plan
   * @param floors the fewest replicas of every autoscaled component now (inline or from its plan)
   * @param nextChange the earliest time a floor changes; the operator requeues the platform then
   * @param problem what is wrong with a named policy, or null
   */
  record Resolved(Map<Component, ScalingPlan> plans, Map<Component, Integer> floors, Optional<Instant> nextChange,
      StatusAggregator.Problem problem) {
  }

  private ScalingResolver() {
  }

  static Resolved resolve(CollaborationPlatformSpec spec, Function<String, Optional<AutoscalingPolicy>> policies,
      Instant now) {
    Map<Component, ScalingPlan> plans = new EnumMap<>(Component.class);
    Map<Component, Integer> floors = new EnumMap<>(Component.class);
    Instant next = null;
    List<String> missing = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (Component component : Component.values()) {
      StatelessComponentSpec stateless = stateless(spec, component);
      AutoscalingSpec autoscaling = stateless == null ? null : stateless.getAutoscaling();
      if (autoscaling == null) {
        continue;
      }
      if (autoscaling.getPolicy() == null) {
        floors.put(component, ScalingPlan.inline(autoscaling).floor(now));
        continue;
      }
      Optional<AutoscalingPolicy> policy = policies.apply(autoscaling.getPolicy());
      if (policy.isEmpty()) {
        missing.add(component.specField() + " names AutoscalingPolicy " + autoscaling.getPolicy()
            + ", which does not exist");
        continue;
      }
      try {
        ScalingPlan plan = ScalingPlan.of(policy.get(), now);
        plans.put(component, plan);
        floors.put(component, plan.floor(now));
        Instant change = plan.nextChange(now).orElse(null);
        if (change != null && (next == null || change.isBefore(next))) {
          next = change;
        }
      } catch (IllegalArgumentException e) {
        invalid.add(component.specField() + " names AutoscalingPolicy " + autoscaling.getPolicy()
            + ", which cannot be followed: " + e.getMessage());
      }
    }
    StatusAggregator.Problem problem = null;
    if (!missing.isEmpty() || !invalid.isEmpty()) {
      List<String> all = new ArrayList<>(missing);
      all.addAll(invalid);
      problem = new StatusAggregator.Problem(missing.isEmpty() ? ConditionReason.INVALID_AUTOSCALING_POLICY
          : ConditionReason.MISSING_AUTOSCALING_POLICY,
          String.join("; ", all) + ". Those components keep the scaling they had; everything else was applied.");
    }
    return new Resolved(plans, floors, Optional.ofNullable(next), problem);
  }

  /** A switched-on platform service's block of the spec; null for a data store or a service switched off. */
  static StatelessComponentSpec stateless(CollaborationPlatformSpec spec, Component component) {
    return component.enabledIn(spec) ? component.statelessSpec(spec).orElse(null) : null;
  }

  /** The policies a platform names, for waking it when one of them changes. */
  static boolean names(CollaborationPlatformSpec spec, String policy) {
    for (Component component : Component.values()) {
      StatelessComponentSpec stateless = stateless(spec, component);
      if (stateless != null && stateless.getAutoscaling() != null
          && policy.equals(stateless.getAutoscaling().getPolicy())) {
        return true;
      }
    }
    return false;
  }
}
