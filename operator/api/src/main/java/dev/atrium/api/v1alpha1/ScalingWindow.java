package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A recurring time during which the component keeps at least minReplicas. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// The rule judges only what the pattern accepts, which duration() always reads: a duration that is
// no duration is refused once, by the pattern, instead of a second time by a rule that cannot read it.
@ValidationRule(value = "!self.duration.matches(r'" + ScalingWindow.DURATION_PATTERN + "')"
    + " || (duration(self.duration) > duration('0s') && duration(self.duration) <= duration('168h'))",
    message = "duration must be more than 0s and at most 168h (one week)", fieldPath = ".duration")
public class ScalingWindow {

  /** Hours, minutes or both, e.g. 1h45m or 90m; not empty, and few enough digits to be a duration. */
  static final String DURATION_PATTERN = "^([0-9]{1,4}h([0-9]{1,6}m)?|[0-9]{1,6}m)$";

  @Required
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the window, e.g. morning-rush; shown in status and events.")
  private String name;

  @Required
  @Size(max = 120)
  @Pattern("^(@(yearly|annually|monthly|weekly|daily|hourly)|\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+)$")
  @JsonPropertyDescription("When the window starts: a cron expression of five fields (minute hour day-of-month month "
      + "day-of-week), e.g. '15 8 * * MON-FRI', in timeZone.")
  private String schedule;

  @Default("UTC")
  @Size(max = 64)
  @Pattern("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
  @JsonPropertyDescription("IANA time zone the schedule is read in, e.g. Asia/Shanghai; daylight saving time is "
      + "followed.")
  private String timeZone;

  @Required
  @Size(max = 16)
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription("How long the window lasts from each start, in hours and minutes, e.g. 1h45m or 90m; "
      + "more than 0 and at most 168h.")
  private String duration;

  @Required
  @Min(1)
  @Max(AutoscalingSpec.MAX_REPLICAS)
  @JsonPropertyDescription("Fewest replicas while the window lasts.")
  private Integer minReplicas;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }
}
