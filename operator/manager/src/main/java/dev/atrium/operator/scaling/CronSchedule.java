package dev.atrium.operator.scaling;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}), as
 * Vixie cron and Kubernetes CronJobs read it, evaluated in a time zone.
 *
 * <p>Syntax: {@code *}, lists {@code a,b}, ranges {@code a-b}, steps {@code *}{@code /n},
 * {@code a-b/n} and {@code a/n} (from a to the field's maximum), month names JAN-DEC and weekday
 * names SUN-SAT in any case, 0 and 7 both Sunday (so {@code FRI-SUN} is Friday to Sunday), and the
 * macros {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}. Ranges do not wrap
 * around. As in Vixie cron, when day-of-month and day-of-week are both restricted (neither field
 * starts with {@code *}) a day matches if either matches; otherwise both must.
 *
 * <p>Daylight saving time. A schedule names local wall-clock times, so that "08:15" stays 08:15 for
 * the people in that zone all year; two rules decide the days when the clock jumps:
 * <ul>
 *   <li>a local time that does not exist (the spring-forward gap, e.g. 02:30 in New York on the
 *       second Sunday of March) fires at the instant the clock jumps, i.e. the first instant whose
 *       wall clock is past the scheduled time (03:00 new time). A window that should have started
 *       in the skipped hour starts as soon as its local time has passed rather than an hour late,
 *       and several times in one gap fire once;</li>
 *   <li>a local time that occurs twice (fall-back) fires once, at its first occurrence (the
 *       earlier offset), as Vixie cron does not re-run what the clock repeats; so a window does not
 *       start a second time an hour after it started.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; equal expressions (after normalisation) are equal.
 */
public final class CronSchedule {

  /**
   * How far {@link #nextFire} looks ahead before it gives up: eight years, so that a schedule for
   * 29 February finds its day even across 2100, which is not a leap year.
   */
  public static final int SEARCH_YEARS = 8;

  private static final Map<String, String> MACROS = Map.of(
      "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *",
      "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");

  private static final String MACRO_NAMES = "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly";

  private static final List<String> MONTH_NAMES =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

  private static final List<String> DAY_NAMES = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** The five fields: their names in messages, ranges and names. */
  private enum Field {
    MINUTE("minute", 0, 59, List.of(), 0, "0-59"),
    HOUR("hour", 0, 23, List.of(), 0, "0-23"),
    DAY_OF_MONTH("day-of-month", 1, 31, List.of(), 0, "1-31"),
    MONTH("month", 1, 12, MONTH_NAMES, 1, "1-12 or JAN-DEC"),
    DAY_OF_WEEK("day-of-week", 0, 7, DAY_NAMES, 0, "0-7 or SUN-SAT (0 and 7 are Sunday)");

    final String label;
    final int min;
    final int max;
    final List<String> names;
    final int firstNameValue;
    final String allowed;

    Field(String label, int min, int max, List<String> names, int firstNameValue, String allowed) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.names = names;
      this.firstNameValue = firstNameValue;
      this.allowed = allowed;
    }
  }

  private final String expression;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  /** Bit 0 is Sunday, 6 Saturday; 7 is folded onto 0. */
  private final long daysOfWeek;
  private final boolean dayOfMonthStar;
  private final boolean dayOfWeekStar;

  private CronSchedule(String expression, long[] bits, boolean dayOfMonthStar, boolean dayOfWeekStar) {
    this.expression = expression;
    this.minutes = bits[0];
    this.hours = bits[1];
    this.daysOfMonth = bits[2];
    this.months = bits[3];
    long dow = bits[4];
    this.daysOfWeek = (dow | (dow >>> 7)) & 0x7F;
    this.dayOfMonthStar = dayOfMonthStar;
    this.dayOfWeekStar = dayOfWeekStar;
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException with a message that names the field, the bad value and what
   *     is allowed, fit for a status condition
   */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cron expression is empty; expected 5 fields "
          + "(minute hour day-of-month month day-of-week) or a macro such as @daily");
    }
    String trimmed = expression.trim();
    String fieldsText = trimmed;
    if (trimmed.startsWith("@")) {
      fieldsText = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
      if (fieldsText == null) {
        throw new IllegalArgumentException("cron macro '" + trimmed + "' is not known; allowed: " + MACRO_NAMES);
      }
    }
    String[] parts = fieldsText.split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("cron expression '" + trimmed + "' has " + parts.length
          + (parts.length == 1 ? " field" : " fields")
          + "; expected 5: minute hour day-of-month month day-of-week");
    }
    Field[] fields = Field.values();
    long[] bits = new long[5];
    for (int i = 0; i < 5; i++) {
      bits[i] = parseField(fields[i], parts[i]);
    }
    return new CronSchedule(trimmed, bits, parts[2].startsWith("*"), parts[4].startsWith("*"));
  }

  private static long parseField(Field field, String text) {
    long bits = 0;
    for (String element : text.split(",", -1)) {
      if (element.isEmpty()) {
        throw new IllegalArgumentException(field.label + " field '" + text + "' has an empty list element");
      }
      bits |= parseElement(field, text, element);
    }
    return bits;
  }

  /** One list element: {@code *}, {@code a}, {@code a-b}, each optionally followed by {@code /step}. */
  private static long parseElement(Field field, String fieldText, String element) {
    int slash = element.indexOf('/');
    String range = slash < 0 ? element : element.substring(0, slash);
    int step = 1;
    if (slash >= 0) {
      String stepText = element.substring(slash + 1);
      Integer parsed = number(stepText);
      if (parsed == null || parsed < 1) {
        throw new IllegalArgumentException(field.label + " field step '" + stepText
            + "' must be a whole number of at least 1" + in(fieldText, stepText));
      }
      step = parsed;
    }
    int low;
    int high;
    if (range.equals("*")) {
      low = field.min;
      high = openEnd(field);
    } else {
      int dash = range.indexOf('-');
      if (dash < 0) {
        low = value(field, fieldText, range);
        high = slash < 0 ? low : openEnd(field);
      } else {
        if (dash == 0 || dash == range.length() - 1) {
          throw new IllegalArgumentException(field.label + " field range '" + range
              + "' lacks a start or an end; allowed " + field.allowed + in(fieldText, range));
        }
        low = value(field, fieldText, range.substring(0, dash));
        high = value(field, fieldText, range.substring(dash + 1));
        if (field == Field.DAY_OF_WEEK && high == 0 && low > 0) {
          high = 7; // FRI-SUN: Sunday as the end of a range is 7
        }
        if (high < low) {
          throw new IllegalArgumentException(field.label + " field range '" + range
              + "' is reversed; ranges go from low to high and do not wrap around (write two ranges, "
              + "e.g. 22-23,0-2), allowed " + field.allowed + in(fieldText, range));
        }
      }
    }
    long bits = 0;
    for (long v = low; v <= high; v += step) {
      bits |= 1L << v;
    }
    return bits;
  }

  /** Where {@code *} and {@code a/n} end: the field's maximum, but Saturday for the day of the week. */
  private static int openEnd(Field field) {
    return field == Field.DAY_OF_WEEK ? 6 : field.max;
  }

  private static int value(Field field, String fieldText, String token) {
    Integer parsed = number(token);
    if (parsed == null) {
      int index = field.names.indexOf(token.toUpperCase(Locale.ROOT));
      if (index < 0) {
        String kind = field.names.isEmpty() ? "a number" : "a number or a name";
        throw new IllegalArgumentException(field.label + " field '" + token + "' is not " + kind
            + "; allowed " + field.allowed + in(fieldText, token));
      }
      return index + field.firstNameValue;
    }
    if (parsed < field.min || parsed > field.max) {
      throw new IllegalArgumentException(field.label + " field '" + token + "' is out of range "
          + field.min + "-" + field.max + in(fieldText, token));
    }
    return parsed;
  }

  /** Where a bad token stands, when it is not the whole field. */
  private static String in(String fieldText, String token) {
    return fieldText.equals(token) ? "" : " (in '" + fieldText + "')";
  }

  /** A whole non-negative number in ASCII digits, or null; one too long for any range reads as too large. */
  private static Integer number(String text) {
    if (text.isEmpty()) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return text.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(text);
  }

  /** The expression as written (a macro stays a macro). */
  public String expression() {
    return expression;
  }

  /**
   * The first time strictly after {@code after} at which the schedule fires in {@code zone}, or
   * empty if it does not fire within {@link #SEARCH_YEARS} years (e.g. {@code 0 0 30 2 *}).
   *
   * <p>It walks matching days (skipping months that do not match) and within a day only the
   * matching hours and minutes, so a far fire costs a few thousand cheap day checks at most. The
   * DST rules are those of the class comment.
   */
  public Optional<ZonedDateTime> nextFire(Instant after, ZoneId zone) {
    LocalDateTime afterLocal = LocalDateTime.ofInstant(after, zone);
    LocalDate first = afterLocal.toLocalDate();
    LocalDate limit = first.plusYears(SEARCH_YEARS);
    LocalDate day = first;
    while (!day.isAfter(limit)) {
      if ((months & (1L << day.getMonthValue())) == 0) {
        day = day.withDayOfMonth(1).plusMonths(1);
        continue;
      }
      if (dayMatches(day)) {
        Optional<Instant> fire = firstFireOn(day, day.equals(first) ? afterLocal.getHour() : 0, afterLocal, after, zone);
        if (fire.isPresent()) {
          return Optional.of(fire.get().atZone(zone));
        }
      }
      day = day.plusDays(1);
    }
    return Optional.empty();
  }

  /**
   * The first fire on a day after {@code after}. Local times map to instants in order (a gap time
   * to the jump, an overlap time to its first occurrence), so a local time not after
   * {@code afterLocal} cannot fire after {@code after}, and the first one that does is the answer.
   */
  private Optional<Instant> firstFireOn(LocalDate day, int fromHour, LocalDateTime afterLocal, Instant after, ZoneId zone) {
    for (int h = nextBit(hours, fromHour); h >= 0; h = nextBit(hours, h + 1)) {
      for (int m = nextBit(minutes, 0); m >= 0; m = nextBit(minutes, m + 1)) {
        LocalDateTime local = LocalDateTime.of(day, LocalTime.of(h, m));
        if (!local.isAfter(afterLocal)) {
          continue;
        }
        Instant instant = resolve(local, zone);
        if (instant.isAfter(after)) {
          return Optional.of(instant);
        }
      }
    }
    return Optional.empty();
  }

  /** The instant a local time fires at: the jump for a time in a gap, the first of two in an overlap. */
  static Instant resolve(LocalDateTime local, ZoneId zone) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition == null) {
      return local.atZone(zone).toInstant();
    }
    if (transition.isGap()) {
      return transition.getInstant();
    }
    return local.toInstant(transition.getOffsetBefore());
  }

  private boolean dayMatches(LocalDate day) {
    boolean dom = (daysOfMonth & (1L << day.getDayOfMonth())) != 0;
    boolean dow = (daysOfWeek & (1L << (day.getDayOfWeek().getValue() % 7))) != 0;
    return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
  }

  private static int nextBit(long bits, int from) {
    if (from >= 64) {
      return -1;
    }
    long rest = bits & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronSchedule that
        && minutes == that.minutes && hours == that.hours && daysOfMonth == that.daysOfMonth
        && months == that.months && daysOfWeek == that.daysOfWeek
        && dayOfMonthStar == that.dayOfMonthStar && dayOfWeekStar == that.dayOfWeekStar;
  }

  @Override
  public int hashCode() {
    return Objects.hash(minutes, hours, daysOfMonth, months, daysOfWeek, dayOfMonthStar, dayOfWeekStar);
  }

  @Override
  public String toString() {
    return expression;
  }
}
