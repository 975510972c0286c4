package dev.atrium.operator.scaling;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A time window that raises the replica floor: it starts whenever {@code start} fires in
 * {@code zone} and lasts {@code duration} of real time from there.
 *
 * <p>The duration is real elapsed time, not wall-clock time: the HPA cares how long the floor is
 * up, and a window that spans a DST change ends that long after it started, its local end shifted
 * by the change (office hours never span one). An occurrence is half-open, active from its start
 * inclusive to its end exclusive, so a window that ends as another starts never counts twice.
 *
 * @param name how conditions and messages name the window
 * @param start when it starts, in {@code zone}
 * @param zone the IANA time zone of the cron expression
 * @param duration how long each occurrence lasts; positive
 * @param minReplicas the floor while it is active; not negative
 */
public record TimeWindow(String name, CronSchedule start, ZoneId zone, Duration duration, int minReplicas) {

  public TimeWindow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("window '" + name + "': duration " + duration + " must be positive");
    }
    if (minReplicas < 0) {
      throw new IllegalArgumentException("window '" + name + "': minReplicas " + minReplicas + " must not be negative");
    }
  }

  /**
   * A window from the text of a policy: every problem becomes an IllegalArgumentException whose
   * message names the window and the bad value, fit for a status condition.
   */
  public static TimeWindow of(String name, String cron, String zone, Duration duration, int minReplicas) {
    CronSchedule schedule;
    try {
      schedule = CronSchedule.parse(cron);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("window '" + name + "': " + e.getMessage(), e);
    }
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(zone == null ? "" : zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("window '" + name + "': time zone '" + zone
          + "' is not a known IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)", e);
    }
    return new TimeWindow(name, schedule, zoneId, duration, minReplicas);
  }

  /** One occurrence of the window, {@code [start, end)}. */
  public record Occurrence(TimeWindow window, Instant start, Instant end) {

    public boolean contains(Instant instant) {
      return !instant.isBefore(start) && instant.isBefore(end);
    }

    boolean overlaps(Occurrence other) {
      return start.isBefore(other.end) && other.start.isBefore(end);
    }
  }

  /**
   * The occurrence active at {@code now}, if any. It started at most {@code duration} ago, so it is
   * the first start after {@code now - duration}: nothing is remembered, and an operator restarted
   * in the middle of a window finds it from the clock alone.
   */
  public Optional<Occurrence> activeAt(Instant now) {
    return firstEndingAfter(now).filter(o -> o.contains(now));
  }

  /** The first occurrence that ends after {@code instant}: the one active then, or else the next. */
  public Optional<Occurrence> firstEndingAfter(Instant instant) {
    return startAfter(instant.minus(duration));
  }

  /** The occurrence after the given one. */
  public Optional<Occurrence> next(Occurrence occurrence) {
    return startAfter(occurrence.start());
  }

  /** The next start strictly after {@code instant}. */
  public Optional<Instant> nextStart(Instant instant) {
    return start.nextFire(instant, zone).map(z -> z.toInstant());
  }

  private Optional<Occurrence> startAfter(Instant instant) {
    return nextStart(instant).map(s -> new Occurrence(this, s, s.plus(duration)));
  }
}
