package dev.atrium.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of cron expressions and their next fire, with the DST rules of {@link CronSchedule}. */
class CronScheduleTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** The next {@code count} fires after {@code from} (local time in {@code zone}), as offset date-times. */
  private static List<String> fires(String cron, ZoneId zone, String from, int count) {
    CronSchedule schedule = CronSchedule.parse(cron);
    Instant after = java.time.LocalDateTime.parse(from).atZone(zone).toInstant();
    List<String> fires = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ZonedDateTime fire = schedule.nextFire(after, zone).orElseThrow();
      fires.add(fire.toOffsetDateTime().toString());
      after = fire.toInstant();
    }
    return fires;
  }

  private static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  @Nested
  class Syntax {

    @Test
    void starAndStep() {
      assertThat(fires("*/15 * * * *", UTC, "2025-01-01T10:00", 5))
          .containsExactly("2025-01-01T10:15Z", "2025-01-01T10:30Z", "2025-01-01T10:45Z", "2025-01-01T11:00Z",
              "2025-01-01T11:15Z");
      assertThat(fires("* * * * *", UTC, "2025-01-01T10:00:30", 2))
          .containsExactly("2025-01-01T10:01Z", "2025-01-01T10:02Z");
    }

    @Test
    void listRangeAndRangeWithStep() {
      assertThat(fires("5,40 9 * * *", UTC, "2025-01-01T00:00", 3))
          .containsExactly("2025-01-01T09:05Z", "2025-01-01T09:40Z", "2025-01-02T09:05Z");
      assertThat(fires("0 10-12 * * *", UTC, "2025-01-01T00:00", 4))
          .containsExactly("2025-01-01T10:00Z", "2025-01-01T11:00Z", "2025-01-01T12:00Z", "2025-01-02T10:00Z");
      assertThat(fires("10-30/10 0 * * *", UTC, "2025-01-01T00:00", 4))
          .containsExactly("2025-01-01T00:10Z", "2025-01-01T00:20Z", "2025-01-01T00:30Z", "2025-01-02T00:10Z");
      assertThat(fires("0 1-5/2,22 * * *", UTC, "2025-01-01T00:00", 5))
          .containsExactly("2025-01-01T01:00Z", "2025-01-01T03:00Z", "2025-01-01T05:00Z", "2025-01-01T22:00Z",
              "2025-01-02T01:00Z");
    }

    @Test
    void startWithStepRunsToTheEndOfTheField() {
      assertThat(fires("50/5 0 * * *", UTC, "2025-01-01T00:00", 3))
          .containsExactly("2025-01-01T00:50Z", "2025-01-01T00:55Z", "2025-01-02T00:50Z");
      // day of week ends at Saturday, so Sunday (7) does not sneak in
      assertThat(CronSchedule.parse("0 0 * * 1/2")).isEqualTo(CronSchedule.parse("0 0 * * MON,WED,FRI"));
    }

    @Test
    void monthNamesInAnyCase() {
      assertThat(fires("0 0 1 jan,Jul *", UTC, "2025-01-01T00:00", 3))
          .containsExactly("2025-07-01T00:00Z", "2026-01-01T00:00Z", "2026-07-01T00:00Z");
      assertThat(CronSchedule.parse("0 0 1 MAR-may *")).isEqualTo(CronSchedule.parse("0 0 1 3-5 *"));
      assertThat(CronSchedule.parse("0 0 1 JAN-DEC/3 *")).isEqualTo(CronSchedule.parse("0 0 1 1,4,7,10 *"));
    }

    @Test
    void weekdayNamesInAnyCase() {
      // 2025-03-07 is a Friday
      assertThat(fires("0 9 * * mon-FRI", UTC, "2025-03-07T10:00", 2))
          .containsExactly("2025-03-10T09:00Z", "2025-03-11T09:00Z");
      assertThat(CronSchedule.parse("0 9 * * Sat,sun")).isEqualTo(CronSchedule.parse("0 9 * * 6,0"));
    }

    @Test
    void zeroAndSevenAreBothSunday() {
      assertThat(CronSchedule.parse("0 0 * * 7")).isEqualTo(CronSchedule.parse("0 0 * * 0"));
      assertThat(CronSchedule.parse("0 0 * * SUN")).isEqualTo(CronSchedule.parse("0 0 * * 0"));
      assertThat(CronSchedule.parse("0 0 * * 5-7")).isEqualTo(CronSchedule.parse("0 0 * * 0,5,6"));
      // Sunday at the end of a range is 7, so the range does not read as reversed
      assertThat(CronSchedule.parse("0 0 * * FRI-SUN")).isEqualTo(CronSchedule.parse("0 0 * * 0,5,6"));
      // 2025-06-01 is a Sunday
      assertThat(fires("0 0 * * 7", UTC, "2025-05-30T00:00", 2))
          .containsExactly("2025-06-01T00:00Z", "2025-06-08T00:00Z");
    }

    @Test
    void macrosMeanTheirExpansionAndKeepTheirText() {
      assertThat(CronSchedule.parse("@yearly")).isEqualTo(CronSchedule.parse("0 0 1 1 *"));
      assertThat(CronSchedule.parse("@annually")).isEqualTo(CronSchedule.parse("0 0 1 1 *"));
      assertThat(CronSchedule.parse("@monthly")).isEqualTo(CronSchedule.parse("0 0 1 * *"));
      assertThat(CronSchedule.parse("@weekly")).isEqualTo(CronSchedule.parse("0 0 * * 0"));
      assertThat(CronSchedule.parse("@daily")).isEqualTo(CronSchedule.parse("0 0 * * *"));
      assertThat(CronSchedule.parse("@midnight")).isEqualTo(CronSchedule.parse("0 0 * * *"));
      assertThat(CronSchedule.parse("@HOURLY")).isEqualTo(CronSchedule.parse("0 * * * *"));
      assertThat(CronSchedule.parse(" @daily ").expression()).isEqualTo("@daily");
      assertThat(fires("@weekly", UTC, "2025-05-30T00:00", 1)).containsExactly("2025-06-01T00:00Z");
    }

    @Test
    void extraWhitespaceIsIgnored() {
      assertThat(CronSchedule.parse("  15\t8  * *   MON-FRI ")).isEqualTo(CronSchedule.parse("15 8 * * MON-FRI"));
      assertThat(CronSchedule.parse("15 8 * * MON-FRI").toString()).isEqualTo("15 8 * * MON-FRI");
    }

    @Test
    void equalSchedulesHashAlike() {
      assertThat(CronSchedule.parse("0 0 * * 7").hashCode()).isEqualTo(CronSchedule.parse("0 0 * * SUN").hashCode());
      assertThat(CronSchedule.parse("0 0 1 * *")).isNotEqualTo(CronSchedule.parse("0 0 2 * *"));
      // the same days, but a restricted day-of-month ORs with the day of week where a star ANDs
      assertThat(CronSchedule.parse("0 0 1-31 * MON")).isNotEqualTo(CronSchedule.parse("0 0 * * MON"));
    }
  }

  @Nested
  class Errors {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        0 25 * * *       | hour field '25' is out of range 0-23
        60 * * * *       | minute field '60' is out of range 0-59
        0 0 0 * *        | day-of-month field '0' is out of range 1-31
        0 0 32 * *       | day-of-month field '32' is out of range 1-31
        0 0 1 13 *       | month field '13' is out of range 1-12
        0 0 1 0 *        | month field '0' is out of range 1-12
        0 0 * * 8        | day-of-week field '8' is out of range 0-7
        0 1-25 * * *     | hour field '25' is out of range 0-23 (in '1-25')
        0 1,2,99 * * *   | hour field '99' is out of range 0-23 (in '1,2,99')
        0 99999999999 * * * | hour field '99999999999' is out of range 0-23
        x * * * *        | minute field 'x' is not a number; allowed 0-59
        0 MON * * *      | hour field 'MON' is not a number; allowed 0-23
        0 -1 * * *       | hour field range '-1' lacks a start or an end; allowed 0-23
        0 0 1-,3 * *     | day-of-month field range '1-' lacks a start or an end; allowed 1-31 (in '1-,3')
        0 0 1 FOO *      | month field 'FOO' is not a number or a name; allowed 1-12 or JAN-DEC
        0 0 * * MONDAY   | day-of-week field 'MONDAY' is not a number or a name; allowed 0-7 or SUN-SAT (0 and 7 are Sunday)
        0 0 1 * JAN      | day-of-week field 'JAN' is not a number or a name; allowed 0-7 or SUN-SAT (0 and 7 are Sunday)
        */0 * * * *      | minute field step '0' must be a whole number of at least 1 (in '*/0')
        */x * * * *      | minute field step 'x' must be a whole number of at least 1 (in '*/x')
        0 1-5/ * * *     | hour field step '' must be a whole number of at least 1 (in '1-5/')
        0 5-3 * * *      | hour field range '5-3' is reversed; ranges go from low to high and do not wrap around (write two ranges, e.g. 22-23,0-2), allowed 0-23
        0 0 * * FRI-MON  | day-of-week field range 'FRI-MON' is reversed; ranges go from low to high and do not wrap around (write two ranges, e.g. 22-23,0-2), allowed 0-7 or SUN-SAT (0 and 7 are Sunday)
        0 0 1 DEC-JAN/2 * | month field range 'DEC-JAN' is reversed; ranges go from low to high and do not wrap around (write two ranges, e.g. 22-23,0-2), allowed 1-12 or JAN-DEC (in 'DEC-JAN/2')
        1,,2 * * * *     | minute field '1,,2' has an empty list element
        0 0, * * *       | hour field '0,' has an empty list element
        0 8 * *          | cron expression '0 8 * *' has 4 fields; expected 5: minute hour day-of-month month day-of-week
        0 8 * * * 2025   | cron expression '0 8 * * * 2025' has 6 fields; expected 5: minute hour day-of-month month day-of-week
        daily            | cron expression 'daily' has 1 field; expected 5: minute hour day-of-month month day-of-week
        @reboot          | cron macro '@reboot' is not known; allowed: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly
        """)
    void badExpressionsAreRefusedWithAMessageThatNamesTheFieldAndTheValue(String expression, String message) {
      assertThatThrownBy(() -> CronSchedule.parse(expression))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(message);
    }

    @Test
    void emptyExpressionIsRefused() {
      String message = "cron expression is empty; expected 5 fields (minute hour day-of-month month day-of-week) "
          + "or a macro such as @daily";
      assertThatThrownBy(() -> CronSchedule.parse(null)).hasMessage(message);
      assertThatThrownBy(() -> CronSchedule.parse("  ")).hasMessage(message);
    }
  }

  @Nested
  class NextFire {

    @Test
    void isStrictlyAfter() {
      CronSchedule schedule = CronSchedule.parse("0 8 * * *");
      assertThat(schedule.nextFire(at("2025-01-01T08:00Z"), UTC)).map(ZonedDateTime::toString)
          .hasValue("2025-01-02T08:00Z[UTC]");
      assertThat(schedule.nextFire(at("2025-01-01T07:59:59.999Z"), UTC)).map(ZonedDateTime::toString)
          .hasValue("2025-01-01T08:00Z[UTC]");
    }

    @Test
    void crossesMonthAndYearEnds() {
      assertThat(fires("0 0 * * *", UTC, "2025-01-31T23:59", 1)).containsExactly("2025-02-01T00:00Z");
      assertThat(fires("30 23 * * *", UTC, "2025-12-31T23:45", 1)).containsExactly("2026-01-01T23:30Z");
      assertThat(fires("0 0 1 * *", UTC, "2025-12-15T00:00", 2)).containsExactly("2026-01-01T00:00Z", "2026-02-01T00:00Z");
      // months without a 31st are skipped
      assertThat(fires("0 12 31 * *", UTC, "2025-01-31T13:00", 3))
          .containsExactly("2025-03-31T12:00Z", "2025-05-31T12:00Z", "2025-07-31T12:00Z");
    }

    @Test
    void february29thWaitsForALeapYear() {
      assertThat(fires("0 0 29 2 *", UTC, "2025-03-01T00:00", 2))
          .containsExactly("2028-02-29T00:00Z", "2032-02-29T00:00Z");
      // 2100 is not a leap year: eight years from 2096 to 2104, still within the horizon
      assertThat(fires("0 0 29 2 *", UTC, "2096-03-01T00:00", 1)).containsExactly("2104-02-29T00:00Z");
    }

    @Test
    void aDateThatNeverComesIsEmptyAndCheap() {
      CronSchedule never = CronSchedule.parse("0 0 30 2 *");
      assertThat(never.nextFire(at("2025-01-01T00:00Z"), UTC)).isEmpty();
      CronSchedule rare = CronSchedule.parse("59 23 31 DEC *");
      assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
        for (int i = 0; i < 1_000; i++) {
          assertThat(never.nextFire(at("2025-01-01T00:00Z").plusSeconds(i * 60L), UTC)).isEmpty();
          assertThat(rare.nextFire(at("2025-01-01T00:00Z").plusSeconds(i * 60L), UTC)).isPresent();
        }
      });
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
      // Fridays and the 13th: 2025-07-13 is a Sunday
      assertThat(fires("0 0 13 * FRI", UTC, "2025-06-30T00:00", 5))
          .containsExactly("2025-07-04T00:00Z", "2025-07-11T00:00Z", "2025-07-13T00:00Z", "2025-07-18T00:00Z",
              "2025-07-25T00:00Z");
      // 1-31 is a restriction (it does not start with *), so with MON it matches every day
      assertThat(fires("0 0 1-31 * MON", UTC, "2025-09-02T12:00", 2))
          .containsExactly("2025-09-03T00:00Z", "2025-09-04T00:00Z");
    }

    @Test
    void dayOfMonthAndDayOfWeekWhenEitherStartsWithStar() {
      // Vixie cron: */2 starts with *, so it is ANDed: Mondays that fall on odd days
      assertThat(fires("0 0 */2 * MON", UTC, "2025-08-31T00:00", 4))
          .containsExactly("2025-09-01T00:00Z", "2025-09-15T00:00Z", "2025-09-29T00:00Z", "2025-10-13T00:00Z");
      assertThat(fires("0 0 1 * *", UTC, "2025-08-31T00:00", 1)).containsExactly("2025-09-01T00:00Z");
      assertThat(fires("0 0 * * MON", UTC, "2025-08-31T00:00", 2))
          .containsExactly("2025-09-01T00:00Z", "2025-09-08T00:00Z");
    }

    @Test
    void returnsTheFireInTheRequestedZone() {
      ZonedDateTime fire = CronSchedule.parse("15 8 * * MON-FRI").nextFire(at("2025-03-03T00:00Z"), SHANGHAI).orElseThrow();
      assertThat(fire.getZone()).isEqualTo(SHANGHAI);
      // 00:00Z is 08:00 in Shanghai, so 08:15 the same Monday
      assertThat(fire.toOffsetDateTime()).hasToString("2025-03-03T08:15+08:00");
    }
  }

  @Nested
  class DaylightSaving {

    @Test
    void newYorkSpringForwardGapFiresWhenTheClockJumps() {
      // 2025-03-09 02:00 EST jumps to 03:00 EDT: 02:30 does not exist that day
      assertThat(fires("30 2 * * *", NEW_YORK, "2025-03-08T00:00", 3))
          .containsExactly("2025-03-08T02:30-05:00", "2025-03-09T03:00-04:00", "2025-03-10T02:30-04:00");
    }

    @Test
    void severalTimesInOneGapFireOnce() {
      assertThat(fires("*/15 2 * * *", NEW_YORK, "2025-03-09T00:00", 3))
          .containsExactly("2025-03-09T03:00-04:00", "2025-03-10T02:00-04:00", "2025-03-10T02:15-04:00");
      // 03:00 itself coincides with the jump and fires once with it
      assertThat(fires("30 2,3 * * *", NEW_YORK, "2025-03-09T00:00", 3))
          .containsExactly("2025-03-09T03:00-04:00", "2025-03-09T03:30-04:00", "2025-03-10T02:30-04:00");
    }

    @Test
    void newYorkFallBackFiresOnceAtTheFirstOccurrence() {
      // 2025-11-02 02:00 EDT falls back to 01:00 EST: 01:30 happens twice
      assertThat(fires("30 1 * * *", NEW_YORK, "2025-11-01T12:00", 2))
          .containsExactly("2025-11-02T01:30-04:00", "2025-11-03T01:30-05:00");
      // asked during the repeated hour, it does not fire the second 01:30
      assertThat(CronSchedule.parse("30 1 * * *").nextFire(at("2025-11-02T01:10-05:00"), NEW_YORK))
          .map(z -> z.toOffsetDateTime().toString()).hasValue("2025-11-03T01:30-05:00");
      assertThat(fires("0,30 * * * *", NEW_YORK, "2025-11-02T00:45", 4))
          .containsExactly("2025-11-02T01:00-04:00", "2025-11-02T01:30-04:00", "2025-11-02T02:00-05:00",
              "2025-11-02T02:30-05:00");
    }

    @Test
    void berlinSpringForwardAndFallBack() {
      // 2025-03-30 02:00 CET jumps to 03:00 CEST
      assertThat(fires("30 2 * * *", BERLIN, "2025-03-29T12:00", 2))
          .containsExactly("2025-03-30T03:00+02:00", "2025-03-31T02:30+02:00");
      // 2025-10-26 03:00 CEST falls back to 02:00 CET: 02:30 happens twice, fires once
      assertThat(fires("30 2 * * *", BERLIN, "2025-10-25T12:00", 2))
          .containsExactly("2025-10-26T02:30+02:00", "2025-10-27T02:30+01:00");
    }

    @Test
    void shanghaiHasNoDaylightSaving() {
      assertThat(fires("15 8 * * *", SHANGHAI, "2025-03-08T00:00", 3))
          .containsExactly("2025-03-08T08:15+08:00", "2025-03-09T08:15+08:00", "2025-03-10T08:15+08:00");
      assertThat(fires("15 8 * * *", SHANGHAI, "2025-10-25T09:00", 2))
          .containsExactly("2025-10-26T08:15+08:00", "2025-10-27T08:15+08:00");
    }
  }
}
