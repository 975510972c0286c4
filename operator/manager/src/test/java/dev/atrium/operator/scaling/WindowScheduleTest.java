package dev.atrium.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The floor a policy's windows set at an instant, when it changes next, and what is wrong with
 * them. Every instant is given; no test reads a clock.
 */
class WindowScheduleTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final int BASE = 2;

  private static final TimeWindow OFFICE_HOURS =
      TimeWindow.of("office-hours", "15 8 * * MON-FRI", "Asia/Shanghai", Duration.ofHours(1).plusMinutes(45), 6);

  /** An instant given by its wall-clock time in a zone. */
  private static Instant local(String localDateTime, ZoneId zone) {
    return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
  }

  private static Instant shanghai(String localDateTime) {
    return local(localDateTime, SHANGHAI);
  }

  private static Optional<String> localBoundary(WindowSchedule schedule, Instant now, ZoneId zone) {
    return schedule.nextBoundary(now).map(i -> i.atZone(zone).toLocalDateTime().toString());
  }

  @Nested
  class OfficeHours {

    // 2025-03-03 is a Monday, 2025-03-07 a Friday
    private final WindowSchedule schedule = WindowSchedule.of(OFFICE_HOURS);

    @Test
    void floorInsideTheWindowIsTheWindows() {
      assertThat(schedule.floor(shanghai("2025-03-03T08:15"), BASE)).isEqualTo(6);
      assertThat(schedule.floor(shanghai("2025-03-03T09:00"), BASE)).isEqualTo(6);
      assertThat(schedule.floor(shanghai("2025-03-03T09:59:59.999"), BASE)).isEqualTo(6);
      assertThat(schedule.activeAt(shanghai("2025-03-05T09:00"))).containsExactly(OFFICE_HOURS);
    }

    @Test
    void floorOutsideTheWindowIsTheBase() {
      assertThat(schedule.floor(shanghai("2025-03-03T08:14:59"), BASE)).isEqualTo(BASE);
      assertThat(schedule.floor(shanghai("2025-03-03T10:00"), BASE)).isEqualTo(BASE);
      assertThat(schedule.floor(shanghai("2025-03-03T20:00"), BASE)).isEqualTo(BASE);
      // weekend
      assertThat(schedule.floor(shanghai("2025-03-08T09:00"), BASE)).isEqualTo(BASE);
      assertThat(schedule.activeAt(shanghai("2025-03-08T09:00"))).isEmpty();
    }

    @Test
    void aBaseAboveTheWindowWins() {
      assertThat(schedule.floor(shanghai("2025-03-03T09:00"), 8)).isEqualTo(8);
    }

    @Test
    void boundariesAreTheStartAndTheEndInLocalTime() {
      assertThat(localBoundary(schedule, shanghai("2025-03-03T07:00"), SHANGHAI)).hasValue("2025-03-03T08:15");
      assertThat(localBoundary(schedule, shanghai("2025-03-03T08:15"), SHANGHAI)).hasValue("2025-03-03T10:00");
      assertThat(localBoundary(schedule, shanghai("2025-03-03T09:30"), SHANGHAI)).hasValue("2025-03-03T10:00");
      assertThat(localBoundary(schedule, shanghai("2025-03-03T10:00"), SHANGHAI)).hasValue("2025-03-04T08:15");
      // Friday after the window: Monday
      assertThat(localBoundary(schedule, shanghai("2025-03-07T10:00"), SHANGHAI)).hasValue("2025-03-10T08:15");
    }

    @Test
    void requeueingAtEachBoundaryFlipsTheFloor() {
      Instant now = shanghai("2025-03-03T00:00");
      StringBuilder story = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        now = schedule.nextBoundary(now).orElseThrow();
        story.append(now.atZone(SHANGHAI).toLocalDateTime()).append('=').append(schedule.floor(now, BASE)).append(' ');
      }
      assertThat(story.toString().trim())
          .isEqualTo("2025-03-03T08:15=6 2025-03-03T10:00=2 2025-03-04T08:15=6 2025-03-04T10:00=2");
    }

    @Test
    void aRestartedOperatorComputesTheSameFloorFromTheClockAlone() {
      // the window started at 08:15, before either call; nothing is remembered between calls,
      // and a schedule built anew from the policy's text (as after a restart) says the same
      Instant now = shanghai("2025-03-03T09:40");
      WindowSchedule beforeRestart = schedule;
      WindowSchedule afterRestart = WindowSchedule.of(
          TimeWindow.of("office-hours", "15 8 * * MON-FRI", "Asia/Shanghai", Duration.ofMinutes(105), 6));
      assertThat(afterRestart).isEqualTo(beforeRestart);
      assertThat(beforeRestart.floor(now, BASE)).isEqualTo(6);
      assertThat(afterRestart.floor(now, BASE)).isEqualTo(6);
      assertThat(afterRestart.floor(now, BASE)).isEqualTo(beforeRestart.floor(now, BASE));
      assertThat(afterRestart.nextBoundary(now)).isEqualTo(beforeRestart.nextBoundary(now))
          .hasValue(shanghai("2025-03-03T10:00"));
      // a later call inside the same window, after a missed requeue
      Instant later = shanghai("2025-03-03T09:59");
      assertThat(afterRestart.floor(later, BASE)).isEqualTo(6);
      assertThat(afterRestart.nextBoundary(later)).hasValue(shanghai("2025-03-03T10:00"));
    }
  }

  @Nested
  class AcrossMidnightAndDst {

    @Test
    void aWindowActiveAcrossMidnightStillCountsAfterMidnight() {
      TimeWindow nightly = TimeWindow.of("batch", "0 22 * * *", "Europe/Berlin", Duration.ofHours(4), 3);
      WindowSchedule schedule = WindowSchedule.of(nightly);
      assertThat(schedule.floor(local("2025-06-10T21:59", BERLIN), BASE)).isEqualTo(BASE);
      assertThat(schedule.floor(local("2025-06-10T23:30", BERLIN), BASE)).isEqualTo(3);
      assertThat(schedule.floor(local("2025-06-11T01:30", BERLIN), BASE)).isEqualTo(3);
      assertThat(schedule.floor(local("2025-06-11T02:00", BERLIN), BASE)).isEqualTo(BASE);
      assertThat(localBoundary(schedule, local("2025-06-11T01:30", BERLIN), BERLIN)).hasValue("2025-06-11T02:00");
      assertThat(localBoundary(schedule, local("2025-06-11T02:00", BERLIN), BERLIN)).hasValue("2025-06-11T22:00");
    }

    @Test
    void aWindowInTheSpringForwardGapStartsWhenTheClockJumps() {
      WindowSchedule schedule = WindowSchedule.of(TimeWindow.of("early", "30 2 * * *", "America/New_York", Duration.ofHours(1), 4));
      Instant jump = Instant.parse("2025-03-09T07:00:00Z"); // 03:00 EDT
      assertThat(schedule.floor(jump.minusSeconds(1), BASE)).isEqualTo(BASE);
      assertThat(schedule.floor(jump, BASE)).isEqualTo(4);
      assertThat(schedule.floor(local("2025-03-09T03:59", NEW_YORK), BASE)).isEqualTo(4);
      assertThat(schedule.floor(local("2025-03-09T04:00", NEW_YORK), BASE)).isEqualTo(BASE);
      assertThat(schedule.nextBoundary(local("2025-03-09T01:00", NEW_YORK))).hasValue(jump);
      assertThat(localBoundary(schedule, jump, NEW_YORK)).hasValue("2025-03-09T04:00");
    }

    @Test
    void aWindowInTheRepeatedFallBackHourRunsOnce() {
      WindowSchedule schedule = WindowSchedule.of(TimeWindow.of("night", "30 1 * * *", "America/New_York", Duration.ofMinutes(30), 4));
      // 01:45 EDT is in the window; 01:45 EST, an hour later, is not
      assertThat(schedule.floor(Instant.parse("2025-11-02T05:45:00Z"), BASE)).isEqualTo(4);
      assertThat(schedule.floor(Instant.parse("2025-11-02T06:45:00Z"), BASE)).isEqualTo(BASE);
      assertThat(schedule.nextBoundary(Instant.parse("2025-11-02T05:45:00Z"))).hasValue(Instant.parse("2025-11-02T06:00:00Z"));
      assertThat(schedule.nextBoundary(Instant.parse("2025-11-02T06:00:00Z")))
          .hasValue(local("2025-11-03T01:30", NEW_YORK));
    }

    @Test
    void theDurationIsRealTimeAcrossAChange() {
      // 00:30 CET + 4h on the spring-forward day ends at 05:30 CEST
      WindowSchedule schedule = WindowSchedule.of(TimeWindow.of("n", "30 0 * * *", "Europe/Berlin", Duration.ofHours(4), 5));
      assertThat(localBoundary(schedule, local("2025-03-30T01:00", BERLIN), BERLIN)).hasValue("2025-03-30T05:30");
    }
  }

  @Nested
  class SeveralWindows {

    private final TimeWindow lunch = TimeWindow.of("lunch", "0 12 * * MON-FRI", "Asia/Shanghai", Duration.ofHours(1), 4);
    private final TimeWindow mondayMeeting =
        TimeWindow.of("monday-meeting", "0 9 * * MON", "Asia/Shanghai", Duration.ofMinutes(30), 10);

    @Test
    void theHighestActiveFloorWins() {
      WindowSchedule schedule = WindowSchedule.of(OFFICE_HOURS, lunch, mondayMeeting);
      assertThat(schedule.floor(shanghai("2025-03-03T09:10"), BASE)).isEqualTo(10);
      assertThat(schedule.activeAt(shanghai("2025-03-03T09:10"))).containsExactly(OFFICE_HOURS, mondayMeeting);
      assertThat(schedule.floor(shanghai("2025-03-03T09:30"), BASE)).isEqualTo(6);
      assertThat(schedule.floor(shanghai("2025-03-04T09:10"), BASE)).isEqualTo(6);
      assertThat(schedule.floor(shanghai("2025-03-04T12:10"), BASE)).isEqualTo(4);
    }

    @Test
    void theNextBoundaryIsTheEarliestOfAllWindows() {
      WindowSchedule schedule = WindowSchedule.of(OFFICE_HOURS, lunch, mondayMeeting);
      assertThat(localBoundary(schedule, shanghai("2025-03-03T08:30"), SHANGHAI)).hasValue("2025-03-03T09:00");
      assertThat(localBoundary(schedule, shanghai("2025-03-03T09:00"), SHANGHAI)).hasValue("2025-03-03T09:30");
      assertThat(localBoundary(schedule, shanghai("2025-03-03T09:30"), SHANGHAI)).hasValue("2025-03-03T10:00");
      assertThat(localBoundary(schedule, shanghai("2025-03-03T10:00"), SHANGHAI)).hasValue("2025-03-03T12:00");
    }

    @Test
    void noWindowsMeansTheBaseAndNoBoundary() {
      WindowSchedule empty = new WindowSchedule(List.of());
      assertThat(empty.floor(shanghai("2025-03-03T09:00"), BASE)).isEqualTo(BASE);
      assertThat(empty.nextBoundary(shanghai("2025-03-03T09:00"))).isEmpty();
      assertThat(empty.conflicts(shanghai("2025-03-03T09:00"), WindowSchedule.DEFAULT_HORIZON)).isEmpty();
    }

    @Test
    void aWindowThatNeverStartsHasNoBoundary() {
      WindowSchedule never = WindowSchedule.of(TimeWindow.of("never", "0 0 30 2 *", "UTC", Duration.ofHours(1), 3));
      assertThat(never.nextBoundary(Instant.parse("2025-01-01T00:00:00Z"))).isEmpty();
      assertThat(never.floor(Instant.parse("2025-01-01T00:00:00Z"), BASE)).isEqualTo(BASE);
    }
  }

  @Nested
  class Conflicts {

    private final Instant from = shanghai("2025-01-01T00:00");

    @Test
    void overlappingWindowsWithDifferentFloorsAreReportedWithAnExample() {
      TimeWindow standup = TimeWindow.of("standup", "0 9 * * MON", "Asia/Shanghai", Duration.ofMinutes(30), 4);
      List<WindowSchedule.Conflict> conflicts =
          WindowSchedule.of(OFFICE_HOURS, standup).conflicts(from, WindowSchedule.DEFAULT_HORIZON);
      assertThat(conflicts).hasSize(1);
      WindowSchedule.Conflict conflict = conflicts.get(0);
      assertThat(conflict.first()).isEqualTo(OFFICE_HOURS);
      assertThat(conflict.second()).isEqualTo(standup);
      // 2025-01-06 is the first Monday of 2025
      assertThat(conflict.example()).isEqualTo(shanghai("2025-01-06T09:00"));
      assertThat(conflict.message()).isEqualTo("windows 'office-hours' (minReplicas 6) and 'standup' (minReplicas 4) "
          + "overlap with different floors, e.g. at 2025-01-06T09:00+08:00[Asia/Shanghai]; make them not overlap "
          + "or give them the same minReplicas");
    }

    @Test
    void anExampleAlreadyUnderwayAtTheStartIsTheStart() {
      TimeWindow allMorning = TimeWindow.of("morning", "0 6 * * *", "Asia/Shanghai", Duration.ofHours(6), 3);
      Instant mondayNine = shanghai("2025-03-03T09:00");
      assertThat(WindowSchedule.of(OFFICE_HOURS, allMorning).conflicts(mondayNine, Duration.ofDays(1)))
          .extracting(WindowSchedule.Conflict::example).containsExactly(mondayNine);
    }

    @Test
    void windowsInDifferentZonesShowTheExampleInBoth() {
      // 09:00 Shanghai is 02:00 in Berlin in winter
      TimeWindow berlin = TimeWindow.of("berlin-night", "0 1 * * *", "Europe/Berlin", Duration.ofHours(2), 3);
      List<WindowSchedule.Conflict> conflicts =
          WindowSchedule.of(OFFICE_HOURS, berlin).conflicts(from, Duration.ofDays(30));
      assertThat(conflicts).singleElement().satisfies(c -> {
        assertThat(c.example()).isEqualTo(shanghai("2025-01-01T08:15"));
        assertThat(c.message()).contains("e.g. at 2025-01-01T08:15+08:00[Asia/Shanghai] "
            + "(2025-01-01T01:15+01:00[Europe/Berlin])");
      });
    }

    @Test
    void aRareOverlapIsFoundWithinTheHorizonOnly() {
      // Christmas 2025 is a Thursday
      TimeWindow christmas = TimeWindow.of("christmas", "0 9 25 12 *", "Asia/Shanghai", Duration.ofHours(3), 1);
      WindowSchedule schedule = WindowSchedule.of(OFFICE_HOURS, christmas);
      assertThat(schedule.conflicts(from, Duration.ofDays(30))).isEmpty();
      assertThat(schedule.conflicts(from, WindowSchedule.DEFAULT_HORIZON))
          .extracting(WindowSchedule.Conflict::example).containsExactly(shanghai("2025-12-25T09:00"));
    }

    @Test
    void equalFloorsMayOverlap() {
      TimeWindow sameFloor = TimeWindow.of("standup", "0 9 * * MON", "Asia/Shanghai", Duration.ofMinutes(30), 6);
      assertThat(WindowSchedule.of(OFFICE_HOURS, sameFloor).conflicts(from, WindowSchedule.DEFAULT_HORIZON)).isEmpty();
    }

    @Test
    void disjointAndAdjacentWindowsDoNotConflict() {
      TimeWindow lunch = TimeWindow.of("lunch", "0 12 * * MON-FRI", "Asia/Shanghai", Duration.ofHours(1), 4);
      // starts exactly when office hours end: half-open occurrences do not overlap
      TimeWindow afterOffice = TimeWindow.of("after", "0 10 * * MON-FRI", "Asia/Shanghai", Duration.ofHours(1), 3);
      TimeWindow weekend = TimeWindow.of("weekend", "0 9 * * SAT,SUN", "Asia/Shanghai", Duration.ofHours(8), 1);
      WindowSchedule schedule = WindowSchedule.of(OFFICE_HOURS, lunch, afterOffice, weekend);
      assertThat(schedule.conflicts(from, WindowSchedule.DEFAULT_HORIZON)).isEmpty();
      assertThat(schedule.problems(from, WindowSchedule.DEFAULT_HORIZON)).isEmpty();
    }

    @Test
    void everyConflictingPairIsReported() {
      TimeWindow a = TimeWindow.of("a", "0 9 * * *", "UTC", Duration.ofHours(2), 1);
      TimeWindow b = TimeWindow.of("b", "0 10 * * *", "UTC", Duration.ofHours(2), 2);
      TimeWindow c = TimeWindow.of("c", "30 10 * * *", "UTC", Duration.ofMinutes(10), 3);
      assertThat(WindowSchedule.of(a, b, c).conflicts(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofDays(2)))
          .extracting(x -> x.first().name() + "+" + x.second().name() + "@" + x.example())
          .containsExactly("a+b@2025-01-01T10:00:00Z", "a+c@2025-01-01T10:30:00Z", "b+c@2025-01-01T10:30:00Z");
    }
  }

  @Nested
  class Problems {

    private final Instant from = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aGoodScheduleHasNone() {
      assertThat(WindowSchedule.of(OFFICE_HOURS).problems(from, WindowSchedule.DEFAULT_HORIZON)).isEmpty();
      // a day less half an hour never overlaps itself where there is no DST
      TimeWindow nearlyAllDay = TimeWindow.of("long", "0 8 * * *", "Asia/Shanghai", Duration.ofMinutes(23 * 60 + 30), 2);
      assertThat(WindowSchedule.of(nearlyAllDay).problems(from, WindowSchedule.DEFAULT_HORIZON)).isEmpty();
    }

    @Test
    void aWindowLongerThanTheTimeBetweenItsStartsOverlapsItself() {
      TimeWindow hourly = TimeWindow.of("hourly", "0 * * * *", "UTC", Duration.ofMinutes(90), 3);
      assertThat(WindowSchedule.of(hourly).problems(from, Duration.ofDays(1))).containsExactly(
          // the occurrence that started at 23:00 is still active at 'from', so it comes first
          "window 'hourly' lasts 1h30m but starts again only 1h later (2024-12-31T23:00Z[UTC] and "
              + "2025-01-01T00:00Z[UTC]), so it overlaps itself; its duration must be shorter than the time "
              + "between two of its starts");
    }

    @Test
    void aWindowAsLongAsTheTimeBetweenItsStartsIsReported() {
      TimeWindow always = TimeWindow.of("always", "@daily", "UTC", Duration.ofDays(1), 3);
      assertThat(WindowSchedule.of(always).problems(from, Duration.ofDays(3)))
          .singleElement().asString().startsWith("window 'always' lasts 1d but starts again only 1d later");
    }

    @Test
    void theShortestGapMayBeUnevenWithinTheCronExpression() {
      TimeWindow twice = TimeWindow.of("twice", "0 8,9 * * *", "UTC", Duration.ofHours(2), 3);
      assertThat(WindowSchedule.of(twice).problems(from, Duration.ofDays(3)))
          .singleElement().asString().contains("lasts 2h but starts again only 1h later");
    }

    @Test
    void springForwardShortensTheDayAWindowMustFitIn() {
      // New York: 08:00 to 08:00 is 23h across 2025-03-09
      TimeWindow nearlyAllDay = TimeWindow.of("long", "0 8 * * *", "America/New_York", Duration.ofMinutes(23 * 60 + 30), 2);
      assertThat(WindowSchedule.of(nearlyAllDay).problems(from, WindowSchedule.DEFAULT_HORIZON)).containsExactly(
          "window 'long' lasts 23h30m but starts again only 23h later (2025-03-08T08:00-05:00[America/New_York] and "
              + "2025-03-09T08:00-04:00[America/New_York]), so it overlaps itself; its duration must be shorter than "
              + "the time between two of its starts");
    }

    @Test
    void aWindowThatNeverStartsIsReported() {
      TimeWindow never = TimeWindow.of("never", "0 0 30 2 *", "UTC", Duration.ofHours(1), 3);
      assertThat(WindowSchedule.of(never).problems(from, WindowSchedule.DEFAULT_HORIZON)).containsExactly(
          "window 'never' never starts: cron '0 0 30 2 *' matches no time in the next 8 years");
    }

    @Test
    void aNameUsedTwiceIsReported() {
      TimeWindow other = TimeWindow.of("office-hours", "0 20 * * *", "Asia/Shanghai", Duration.ofHours(1), 6);
      assertThat(WindowSchedule.of(OFFICE_HOURS, other).problems(from, WindowSchedule.DEFAULT_HORIZON))
          .containsExactly("window name 'office-hours' is used more than once");
    }

    @Test
    void conflictsAreAmongTheProblems() {
      TimeWindow standup = TimeWindow.of("standup", "0 9 * * MON", "Asia/Shanghai", Duration.ofMinutes(30), 4);
      assertThat(WindowSchedule.of(OFFICE_HOURS, standup).problems(from, WindowSchedule.DEFAULT_HORIZON))
          .singleElement().asString().startsWith("windows 'office-hours' (minReplicas 6) and 'standup'");
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
      assertThat(WindowSchedule.human(Duration.ofMinutes(105))).isEqualTo("1h45m");
      assertThat(WindowSchedule.human(Duration.ofHours(25))).isEqualTo("1d1h");
      assertThat(WindowSchedule.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
      assertThat(WindowSchedule.human(Duration.ZERO)).isEqualTo("0s");
    }
  }
}
