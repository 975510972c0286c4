package dev.atrium.operator.scaling;

import dev.atrium.operator.scaling.TimeWindow.Occurrence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The time windows of a policy, as pure functions of an instant.
 *
 * <p>Nothing here remembers what happened: the floor is what the windows say for {@code now}, found
 * afresh from the clock each time. So an operator that restarts, misses a requeue, or runs late
 * still sets the right floor at its next reconcile, and across DST the answer follows the same
 * rules as {@link CronSchedule}. The operator requeues at {@link #nextBoundary} to be on time.
 *
 * @param windows the windows, in the policy's order
 */
public record WindowSchedule(List<TimeWindow> windows) {

  /** A year and a day: every weekday, month and DST change of the year comes up at least once. */
  public static final Duration DEFAULT_HORIZON = Duration.ofDays(366);

  public WindowSchedule {
    windows = List.copyOf(windows);
  }

  public static WindowSchedule of(TimeWindow... windows) {
    return new WindowSchedule(List.of(windows));
  }

  /** The windows with an occurrence {@code s <= now < s + duration}, in the policy's order. */
  public List<TimeWindow> activeAt(Instant now) {
    return windows.stream().filter(w -> w.activeAt(now).isPresent()).toList();
  }

  /** The floor at {@code now}: the highest of {@code baseMin} and the active windows' minReplicas. */
  public int floor(Instant now, int baseMin) {
    int floor = baseMin;
    for (TimeWindow window : activeAt(now)) {
      floor = Math.max(floor, window.minReplicas());
    }
    return floor;
  }

  /**
   * The earliest instant after {@code now} at which the floor may change: the next start of any
   * window or the end of an active occurrence; empty when no window starts again within the cron
   * search horizon and none is active. Some of these instants leave the floor as it is (a lower
   * window starting under a higher one); requeueing there is harmless and keeps this simple.
   */
  public Optional<Instant> nextBoundary(Instant now) {
    Instant earliest = null;
    for (TimeWindow window : windows) {
      Optional<Instant> end = window.activeAt(now).map(Occurrence::end);
      Optional<Instant> start = window.nextStart(now);
      for (Optional<Instant> candidate : List.of(end, start)) {
        if (candidate.isPresent() && (earliest == null || candidate.get().isBefore(earliest))) {
          earliest = candidate.get();
        }
      }
    }
    return Optional.ofNullable(earliest);
  }

  /** Two windows that are active at once with different floors. */
  public record Conflict(TimeWindow first, TimeWindow second, Instant example, String message) {}

  /**
   * Pairs of windows whose occurrences overlap somewhere in {@code [from, from + horizon]} while
   * their minReplicas differ: the higher floor would win silently, which is rarely what the author
   * of the policy meant. Windows with equal floors may overlap freely.
   */
  public List<Conflict> conflicts(Instant from, Duration horizon) {
    Instant to = from.plus(horizon);
    List<Conflict> conflicts = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      for (int j = i + 1; j < windows.size(); j++) {
        TimeWindow a = windows.get(i);
        TimeWindow b = windows.get(j);
        if (a.minReplicas() != b.minReplicas()) {
          firstOverlap(a, b, from, to).ifPresent(t -> conflicts.add(new Conflict(a, b, t, conflictMessage(a, b, t))));
        }
      }
    }
    return conflicts;
  }

  /**
   * Walks both windows' occurrences in order, always dropping the one that ends first: it cannot
   * overlap anything later of the other, because occurrences of one window start and end in order.
   */
  private static Optional<Instant> firstOverlap(TimeWindow a, TimeWindow b, Instant from, Instant to) {
    Optional<Occurrence> x = a.firstEndingAfter(from);
    Optional<Occurrence> y = b.firstEndingAfter(from);
    while (x.isPresent() && y.isPresent() && !x.get().start().isAfter(to) && !y.get().start().isAfter(to)) {
      Occurrence p = x.get();
      Occurrence q = y.get();
      if (p.overlaps(q)) {
        Instant later = p.start().isAfter(q.start()) ? p.start() : q.start();
        return Optional.of(later.isBefore(from) ? from : later);
      }
      if (!p.end().isAfter(q.end())) {
        x = a.next(p);
      } else {
        y = b.next(q);
      }
    }
    return Optional.empty();
  }

  private static String conflictMessage(TimeWindow a, TimeWindow b, Instant at) {
    String where = at.atZone(a.zone()).toString();
    if (!a.zone().equals(b.zone())) {
      where += " (" + at.atZone(b.zone()) + ")";
    }
    return "windows '" + a.name() + "' (minReplicas " + a.minReplicas() + ") and '" + b.name()
        + "' (minReplicas " + b.minReplicas() + ") overlap with different floors, e.g. at " + where
        + "; make them not overlap or give them the same minReplicas";
  }

  /**
   * Everything wrong with the windows within {@code [from, from + horizon]}, one message each, fit
   * for a status condition; empty when they are fine. Besides {@link #conflicts}: two windows with
   * one name, a window that never starts (e.g. {@code 0 0 30 2 *}), and a window that lasts as long
   * as the time between two of its starts or longer, so that it overlaps itself or never ends, which
   * is surely a mistake in the duration or the cron expression. DST changes count: a daily window of
   * 23h30m overlaps itself on the day the clock springs forward.
   */
  public List<String> problems(Instant from, Duration horizon) {
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (TimeWindow window : windows) {
      if (!names.add(window.name())) {
        problems.add("window name '" + window.name() + "' is used more than once");
      }
    }
    Instant to = from.plus(horizon);
    for (TimeWindow window : windows) {
      Optional<Occurrence> first = window.firstEndingAfter(from);
      if (first.isEmpty()) {
        problems.add("window '" + window.name() + "' never starts: cron '" + window.start().expression()
            + "' matches no time in the next " + CronSchedule.SEARCH_YEARS + " years");
      } else {
        selfOverlap(window, first.get(), to).ifPresent(problems::add);
      }
    }
    conflicts(from, horizon).forEach(c -> problems.add(c.message()));
    return problems;
  }

  private static Optional<String> selfOverlap(TimeWindow window, Occurrence first, Instant to) {
    Occurrence previous = first;
    while (!previous.start().isAfter(to)) {
      Optional<Occurrence> next = window.next(previous);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      Duration gap = Duration.between(previous.start(), next.get().start());
      if (window.duration().compareTo(gap) >= 0) {
        return Optional.of("window '" + window.name() + "' lasts " + human(window.duration())
            + " but starts again only " + human(gap) + " later (" + previous.start().atZone(window.zone())
            + " and " + next.get().start().atZone(window.zone()) + "), so it overlaps itself; its duration must"
            + " be shorter than the time between two of its starts");
      }
      previous = next.get();
    }
    return Optional.empty();
  }

  /** 1h45m rather than PT1H45M, for people reading a condition. */
  static String human(Duration duration) {
    StringBuilder text = new StringBuilder();
    long days = duration.toDays();
    if (days > 0) {
      text.append(days).append('d');
    }
    if (duration.toHoursPart() > 0) {
      text.append(duration.toHoursPart()).append('h');
    }
    if (duration.toMinutesPart() > 0) {
      text.append(duration.toMinutesPart()).append('m');
    }
    if (duration.toSecondsPart() > 0 || text.isEmpty()) {
      text.append(duration.toSecondsPart()).append('s');
    }
    return text.toString();
  }
}
