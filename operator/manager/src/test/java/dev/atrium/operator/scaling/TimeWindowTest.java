package dev.atrium.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** A window built from a policy's text, and its occurrences. */
class TimeWindowTest {

  @Test
  void builtFromText() {
    TimeWindow window = TimeWindow.of("office-hours", "15 8 * * MON-FRI", "Asia/Shanghai", Duration.ofMinutes(105), 6);
    assertThat(window.name()).isEqualTo("office-hours");
    assertThat(window.start()).isEqualTo(CronSchedule.parse("15 8 * * 1-5"));
    assertThat(window.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(window.duration()).isEqualTo(Duration.ofHours(1).plusMinutes(45));
    assertThat(window.minReplicas()).isEqualTo(6);
  }

  @Test
  void aBadCronExpressionIsReportedWithTheWindowName() {
    assertThatThrownBy(() -> TimeWindow.of("rush", "15 25 * * *", "UTC", Duration.ofHours(1), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window 'rush': hour field '25' is out of range 0-23");
  }

  @Test
  void aBadTimeZoneIsReportedWithTheWindowName() {
    String expected = "window 'rush': time zone 'Mars/Olympus' is not a known IANA time zone "
        + "(e.g. Asia/Shanghai, Europe/Berlin, UTC)";
    assertThatThrownBy(() -> TimeWindow.of("rush", "15 8 * * *", "Mars/Olympus", Duration.ofHours(1), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> TimeWindow.of("rush", "15 8 * * *", null, Duration.ofHours(1), 3))
        .hasMessageStartingWith("window 'rush': time zone 'null' is not a known IANA time zone");
  }

  @Test
  void durationMustBePositive() {
    CronSchedule daily = CronSchedule.parse("@daily");
    assertThatThrownBy(() -> new TimeWindow("w", daily, ZoneId.of("UTC"), Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window 'w': duration PT0S must be positive");
    assertThatThrownBy(() -> new TimeWindow("w", daily, ZoneId.of("UTC"), Duration.ofMinutes(-5), 1))
        .hasMessage("window 'w': duration PT-5M must be positive");
  }

  @Test
  void minReplicasMustNotBeNegative() {
    assertThatThrownBy(() -> TimeWindow.of("w", "@daily", "UTC", Duration.ofHours(1), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window 'w': minReplicas -1 must not be negative");
  }

  @Test
  void occurrencesAreHalfOpen() {
    TimeWindow window = TimeWindow.of("w", "0 9 * * *", "UTC", Duration.ofHours(1), 2);
    TimeWindow.Occurrence occurrence = window.activeAt(OffsetDateTime.parse("2025-01-01T09:00Z").toInstant()).orElseThrow();
    assertThat(occurrence.start()).hasToString("2025-01-01T09:00:00Z");
    assertThat(occurrence.end()).hasToString("2025-01-01T10:00:00Z");
    assertThat(occurrence.window()).isEqualTo(window);
    assertThat(window.activeAt(OffsetDateTime.parse("2025-01-01T10:00Z").toInstant())).isEmpty();
    assertThat(window.activeAt(OffsetDateTime.parse("2025-01-01T08:59:59Z").toInstant())).isEmpty();
    assertThat(window.firstEndingAfter(OffsetDateTime.parse("2025-01-01T10:00Z").toInstant()))
        .map(TimeWindow.Occurrence::start).map(Object::toString).hasValue("2025-01-02T09:00:00Z");
  }
}
