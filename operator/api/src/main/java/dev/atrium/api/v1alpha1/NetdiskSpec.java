package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The netdisk service, plus its quotas, the largest file it takes, and how long it keeps versions and the trash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class NetdiskSpec extends StatelessComponentSpec {

  /**
   * A positive quantity of bytes: digits with an optional fraction, not all zero, and an optional binary (Ki to Ei)
   * or decimal (k to E) suffix, e.g. 10Gi, 1.5Ti or 500M.
   */
  static final String QUANTITY_PATTERN =
      "^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
  /** The largest quantity taken: the service reads each as a byte count in a 64-bit number. */
  static final String QUANTITY_MAX = "1Ei";
  /** The schema's defaults, which the operator also uses for a platform stored before the fields existed. */
  public static final String DEFAULT_PERSONAL_QUOTA = "10Gi";
  public static final String DEFAULT_SPACE_QUOTA = "100Gi";
  public static final String DEFAULT_MAX_FILE_SIZE = "20Gi";
  public static final int DEFAULT_VERSIONS_KEPT = 50;
  public static final int DEFAULT_TRASH_RETENTION_DAYS = 30;

  // Each rule judges only what the pattern accepts, which quantity() always reads: a value that is no quantity is
  // refused once, by the pattern, not a second time by a rule that cannot read it.
  private static final String AT_MOST = "!self.matches(r'" + QUANTITY_PATTERN + "')"
      + " || quantity(self).compareTo(quantity('" + QUANTITY_MAX + "')) <= 0";

  @Default(DEFAULT_PERSONAL_QUOTA)
  @Size(max = 32)
  @Pattern(QUANTITY_PATTERN)
  @ValidationRule(value = AT_MOST, message = "netdisk.personalQuota must be at most " + QUANTITY_MAX)
  @JsonPropertyDescription("The quota of each person's personal space, as a positive quantity of bytes such as 10Gi "
      + "(binary suffixes Ki to Ei, decimal k to E, none for bytes; at most 1Ei).")
  private String personalQuota;

  @Default(DEFAULT_SPACE_QUOTA)
  @Size(max = 32)
  @Pattern(QUANTITY_PATTERN)
  @ValidationRule(value = AT_MOST, message = "netdisk.spaceQuota must be at most " + QUANTITY_MAX)
  @JsonPropertyDescription("The quota a new department or team space gets, as a positive quantity of bytes such as "
      + "100Gi (binary suffixes Ki to Ei, decimal k to E, none for bytes; at most 1Ei).")
  private String spaceQuota;

  @Default(DEFAULT_MAX_FILE_SIZE)
  @Size(max = 32)
  @Pattern(QUANTITY_PATTERN)
  @ValidationRule(value = AT_MOST, message = "netdisk.maxFileSize must be at most " + QUANTITY_MAX)
  @JsonPropertyDescription("The largest file netdisk takes, as a positive quantity of bytes such as 20Gi (binary "
      + "suffixes Ki to Ei, decimal k to E, none for bytes; at most 1Ei).")
  private String maxFileSize;

  @Default("" + DEFAULT_VERSIONS_KEPT)
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("How many previous versions of each file netdisk keeps, 1 to 1000.")
  private Integer versionsKept;

  @Default("" + DEFAULT_TRASH_RETENTION_DAYS)
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription("How many days a deleted file stays in the trash before it is removed for good, 1 to "
      + "3650.")
  private Integer trashRetentionDays;

  public String getPersonalQuota() {
    return personalQuota;
  }

  public void setPersonalQuota(String personalQuota) {
    this.personalQuota = personalQuota;
  }

  public String getSpaceQuota() {
    return spaceQuota;
  }

  public void setSpaceQuota(String spaceQuota) {
    this.spaceQuota = spaceQuota;
  }

  public String getMaxFileSize() {
    return maxFileSize;
  }

  public void setMaxFileSize(String maxFileSize) {
    this.maxFileSize = maxFileSize;
  }

  public Integer getVersionsKept() {
    return versionsKept;
  }

  public void setVersionsKept(Integer versionsKept) {
    this.versionsKept = versionsKept;
  }

  public Integer getTrashRetentionDays() {
    return trashRetentionDays;
  }

  public void setTrashRetentionDays(Integer trashRetentionDays) {
    this.trashRetentionDays = trashRetentionDays;
  }
}
