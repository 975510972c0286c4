package dev.atrium.operator.scaling;

import dev.atrium.api.v1alpha1.AutoscalingPolicy;
import dev.atrium.api.v1alpha1.AutoscalingPolicySpec;
import dev.atrium.api.v1alpha1.AutoscalingSpec;
import dev.atrium.api.v1alpha1.PodMetricTarget;
import dev.atrium.api.v1alpha1.ScalingRules;
import dev.atrium.api.v1alpha1.ScalingWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one component scales, from a policy or from inline bounds: everything its autoscaler needs
 * except the instant. {@link #floor(Instant)} is what the windows say for that instant, so the
 * answer after an operator restart is the same as before it.
 *
 * @param policy the policy's name; null for inline bounds
 */
public record ScalingPlan(String policy, int minReplicas, int maxReplicas, Integer targetCPUUtilizationPercentage,
    Integer targetMemoryUtilizationPercentage, List<PodMetricTarget> podMetrics, ScalingRules scaleUp,
    ScalingRules scaleDown, WindowSchedule windows) {

  /** How far ahead overlapping windows are looked for: long enough for weekly and monthly schedules. */
  public static final Duration CHECK_HORIZON = Duration.ofDays(62);
  private static final Pattern DURATION = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?$");

  public ScalingPlan {
    podMetrics = List.copyOf(podMetrics);
  }

  /** Inline bounds on a component: a CPU target and no windows. */
  public static ScalingPlan inline(AutoscalingSpec spec) {
    return new ScalingPlan(null, spec.getMinReplicas(), spec.getMaxReplicas(),
        spec.getTargetCPUUtilizationPercentage() == null ? 70 : spec.getTargetCPUUtilizationPercentage(), null,
        List.of(), null, null, new WindowSchedule(List.of()));
  }

  /**
   * The plan a policy describes.
   *
   * @throws IllegalArgumentException when the policy cannot be followed (a bad schedule or time zone,
   *     windows that overlap with different floors); the message names the window and says what is wrong
   */
  public static ScalingPlan of(AutoscalingPolicy policy, Instant now) {
    AutoscalingPolicySpec spec = policy.getSpec();
    List<TimeWindow> windows = new ArrayList<>();
    for (ScalingWindow w : spec.getWindows() == null ? List.<ScalingWindow>of() : spec.getWindows()) {
      windows.add(TimeWindow.of(w.getName(), w.getSchedule(), w.getTimeZone() == null ? "UTC" : w.getTimeZone(),
          duration(w.getName(), w.getDuration()), w.getMinReplicas()));
    }
    WindowSchedule schedule = new WindowSchedule(windows);
    List<String> problems = schedule.problems(now, CHECK_HORIZON);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new ScalingPlan(policy.getMetadata().getName(), spec.getMinReplicas(), spec.getMaxReplicas(),
        spec.getTargetCPUUtilizationPercentage(), spec.getTargetMemoryUtilizationPercentage(),
        spec.getPodMetrics() == null ? List.of() : spec.getPodMetrics(), spec.getScaleUp(), spec.getScaleDown(),
        schedule);
  }

  /** The fewest replicas at {@code now}: the policy's minimum, raised by the windows in force. */
  public int floor(Instant now) {
    return Math.min(maxReplicas, windows.floor(now, minReplicas));
  }

  /** When the floor may change next, so the operator looks again exactly then. */
  public Optional<Instant> nextChange(Instant now) {
    return windows.nextBoundary(now);
  }

  public List<String> activeWindows(Instant now) {
    return windows.activeAt(now).stream().map(TimeWindow::name).toList();
  }

  /** A window's duration as the schema allows it (e.g. 1h45m, 90m). */
  static Duration duration(String window, String text) {
    Matcher m = text == null ? null : DURATION.matcher(text);
    if (m == null || !m.matches() || (m.group(1) == null && m.group(2) == null)) {
      throw new IllegalArgumentException("window '" + window + "': duration '" + text
          + "' is not hours and minutes such as 1h45m");
    }
    Duration d = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
        .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    if (d.isZero()) {
      throw new IllegalArgumentException("window '" + window + "': duration must be longer than 0");
    }
    return d;
  }
}
