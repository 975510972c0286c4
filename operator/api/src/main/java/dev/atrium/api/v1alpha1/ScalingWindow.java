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
@ValidationRule(value = "duration(self.duration) > duration('0s') && duration(self.duration) <= duration('168h')",
    message = "duration must be more than 0s and at most 168h (one week)")
public class ScalingWindow {

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
  @Pattern("^([0-9]+h)?([0-9]+m)?$")
  @JsonPropertyDescription("How long the window lasts from each start, e.g. 1h45m.")
  private String duration;

  @Required
  @Min(1)
  @Max(100)
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
