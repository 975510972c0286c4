package dev.atrium.messagecenter.serviceaccount;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The JSON shapes of service accounts and announcements. */
public final class ServiceAccountApi {

  private ServiceAccountApi() {
  }

  @Schema(description = "A new service account; whoever creates it (a person or an app) owns it and publishes.")
  public record CreateServiceAccount(
      @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*",
          message = "must be lower-case letters, digits and -, starting with a letter or digit") String handle,
      @NotBlank @Size(max = 200) String name,
      @Size(max = 2000) String description) {
  }

  public record ServiceAccount(UUID id, String handle, String name, String description, String ownerKind,
      String ownerId, long followers, boolean following, OffsetDateTime createdAt) {
  }

  @Schema(description = "Who receives an announcement: the followers, and/or every member of the departments.")
  public record Audience(boolean followers, @NotNull @Size(max = 100) List<@NotBlank @Size(max = 255) String> departments) {
  }

  @Schema(description = "An announcement. Publishing the same clientAnnouncementId again returns the stored one.")
  public record Publish(
      @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+",
          message = "may contain only letters, digits and . _ : -") String clientAnnouncementId,
      @NotBlank @Size(max = 200) String title,
      @NotBlank @Size(max = 20_000) String body,
      @NotNull @jakarta.validation.Valid Audience audience) {
  }

  public record Announcement(UUID id, UUID serviceAccountId, String serviceAccountHandle, String title, String body,
      boolean toFollowers, List<String> departments, long recipients, OffsetDateTime createdAt) {
  }

  public record ReceivedAnnouncement(UUID id, UUID serviceAccountId, String serviceAccountHandle, String title,
      String body, OffsetDateTime createdAt, boolean read) {
  }
}
