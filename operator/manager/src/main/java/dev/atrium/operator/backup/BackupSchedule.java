package dev.atrium.operator.backup;

import dev.atrium.api.v1alpha1.BackupTrigger;
import dev.atrium.operator.scaling.CronSchedule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * When a platform's next scheduled base backup is due. A platform with backups on and no base backup yet gets one at
 * once (archived WAL is of no use without one); after that, one at each time the cron schedule fires (UTC), named
 * after that time so that a second operator pass, or a restarted operator, finds it made already. Slots missed while
 * the operator was away are made up by one backup, not one each.
 */
public final class BackupSchedule {

  /** How long after a failed first backup the next is tried. */
  public static final java.time.Duration RETRY_AFTER_FAILURE = java.time.Duration.ofMinutes(10);
  private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private BackupSchedule() {
  }

  /** A platform's PlatformBackup as the schedule sees it. */
  public record Existing(String name, BackupTrigger trigger, Instant created, boolean failed) {
  }

  /** What to do: create {@code name} now (when present), and look again at {@code next}. */
  public record Plan(Optional<String> create, Optional<Instant> next) {
  }

  /**
   * @param schedule the cron expression of spec.backup.schedule
   * @param existing every PlatformBackup of the platform
   * @throws IllegalArgumentException when the expression is not understood (the message names the field)
   */
  public static Plan plan(String platform, String schedule, List<Existing> existing, Instant now) {
    CronSchedule cron = CronSchedule.parse(schedule);
    boolean anyUsable = existing.stream().anyMatch(e -> !e.failed());
    if (!anyUsable) {
      // the first base backup, at once; after a failed one, again only after a pause, not on every pass
      Optional<Instant> retry = existing.stream().map(Existing::created).max(Comparator.naturalOrder())
          .map(failed -> failed.plus(RETRY_AFTER_FAILURE));
      if (retry.isPresent() && retry.get().isAfter(now)) {
        return new Plan(Optional.empty(), retry);
      }
      Instant slot = now.truncatedTo(ChronoUnit.MINUTES);
      return new Plan(Optional.of(name(platform, slot)).filter(n -> existing.stream().noneMatch(
          e -> e.name().equals(n))), next(cron, slot));
    }
    Instant last = existing.stream().filter(e -> e.trigger() == BackupTrigger.Scheduled).map(Existing::created)
        .max(Comparator.naturalOrder())
        .orElseGet(() -> existing.stream().map(Existing::created).max(Comparator.naturalOrder()).orElseThrow());
    Optional<Instant> due = Optional.empty();
    Optional<Instant> next = next(cron, last);
    while (next.isPresent() && !next.get().isAfter(now)) {
      due = next;
      next = next(cron, next.get());
    }
    return new Plan(due.map(slot -> name(platform, slot)).filter(n -> existing.stream().noneMatch(
        e -> e.name().equals(n))), next);
  }

  /** The scheduled backup of {@code slot}: platform-yyyyMMdd-HHmm. */
  public static String name(String platform, Instant slot) {
    return platform + "-" + SLOT.format(slot);
  }

  /** The backup taken before the upgrade to {@code version}: platform-before-1-0-1-yyyyMMdd-HHmmss. */
  public static String beforeUpgradeName(String platform, String version, Instant now) {
    return platform + "-before-" + version.replace('.', '-') + "-"
        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
  }

  private static Optional<Instant> next(CronSchedule cron, Instant after) {
    return cron.nextFire(after, ZoneOffset.UTC).map(java.time.ZonedDateTime::toInstant);
  }
}
