package dev.atrium.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.api.v1alpha1.BackupTrigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {

  private static final Instant NOW = Instant.parse("2026-11-29T10:17:42Z");

  @Test
  void aPlatformWithNoBackupYetGetsOneAtOnceAndTheNextAtTheSchedule() {
    BackupSchedule.Plan plan = BackupSchedule.plan("acme", "0 2 * * *", List.of(), NOW);
    assertThat(plan.create()).contains("acme-20261129-1017");
    assertThat(plan.next()).contains(Instant.parse("2026-11-30T02:00:00Z"));
  }

  @Test
  void betweenTwoSlotsNothingIsCreatedAndTheNextSlotIsWhenToLookAgain() {
    var taken = new BackupSchedule.Existing("acme-20261129-0200", BackupTrigger.Scheduled,
        Instant.parse("2026-11-29T02:00:01Z"), false);
    BackupSchedule.Plan plan = BackupSchedule.plan("acme", "0 2 * * *", List.of(taken), NOW);
    assertThat(plan.create()).isEmpty();
    assertThat(plan.next()).contains(Instant.parse("2026-11-30T02:00:00Z"));
  }

  @Test
  void aSlotThatHasComeIsTakenOnceNamedAfterItsTime() {
    var yesterday = new BackupSchedule.Existing("acme-20261128-0200", BackupTrigger.Scheduled,
        Instant.parse("2026-11-28T02:00:03Z"), false);
    BackupSchedule.Plan plan = BackupSchedule.plan("acme", "0 2 * * *", List.of(yesterday), NOW);
    assertThat(plan.create()).contains("acme-20261129-0200");

    // the next pass, before the watch has shown the new one: the name is the same, so a second create only conflicts;
    // once it is seen, nothing more is due
    var made = new BackupSchedule.Existing("acme-20261129-0200", BackupTrigger.Scheduled, NOW, false);
    assertThat(BackupSchedule.plan("acme", "0 2 * * *", List.of(yesterday, made), NOW).create()).isEmpty();
  }

  @Test
  void slotsMissedWhileTheOperatorWasAwayAreMadeUpByOneBackupForTheLatest() {
    var lastWeek = new BackupSchedule.Existing("acme-20261122-0200", BackupTrigger.Scheduled,
        Instant.parse("2026-11-22T02:00:00Z"), false);
    BackupSchedule.Plan plan = BackupSchedule.plan("acme", "0 2 * * *", List.of(lastWeek), NOW);
    assertThat(plan.create()).contains("acme-20261129-0200");
  }

  @Test
  void anOnDemandBackupCountsAsTheFirstButDoesNotMoveTheSchedule() {
    var onDemand = new BackupSchedule.Existing("before-migration", BackupTrigger.OnDemand,
        Instant.parse("2026-11-29T09:00:00Z"), false);
    BackupSchedule.Plan plan = BackupSchedule.plan("acme", "0 2 * * *", List.of(onDemand), NOW);
    assertThat(plan.create()).isEmpty();
    assertThat(plan.next()).contains(Instant.parse("2026-11-30T02:00:00Z"));
  }

  @Test
  void afterAFailedFirstBackupTheNextIsTriedOnlyAfterAPause() {
    var failed = new BackupSchedule.Existing("acme-20261129-1015", BackupTrigger.Scheduled,
        Instant.parse("2026-11-29T10:15:00Z"), true);
    BackupSchedule.Plan soon = BackupSchedule.plan("acme", "0 2 * * *", List.of(failed), NOW);
    assertThat(soon.create()).isEmpty();
    assertThat(soon.next()).contains(Instant.parse("2026-11-29T10:25:00Z"));

    BackupSchedule.Plan later = BackupSchedule.plan("acme", "0 2 * * *", List.of(failed),
        Instant.parse("2026-11-29T10:25:30Z"));
    assertThat(later.create()).contains("acme-20261129-1025");
  }

  @Test
  void aScheduleTheParserRefusesIsAnErrorThatNamesTheField() {
    assertThatThrownBy(() -> BackupSchedule.plan("acme", "0 25 * * *", List.of(), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hour");
  }
}
