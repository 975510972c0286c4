package dev.atrium.messagecenter.todo;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The JSON shapes of business to-dos. */
public final class TodoApi {

  private TodoApi() {
  }

  public enum Status { OPEN, DONE, CANCELLED }

  @Schema(description = "A to-do for people, created by an integrated app. Creating the same externalId again"
      + " returns the stored to-do.")
  public record CreateTodo(
      @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:/-]+",
          message = "may contain only letters, digits and . _ : / -") String externalId,
      @NotEmpty @Size(max = 1000) List<@NotBlank @Size(max = 255) String> assignees,
      @NotBlank @Size(max = 200) String title,
      @NotBlank @Size(max = 2000) @Pattern(regexp = "https?://\\S+",
          message = "must be an absolute http(s) URL") String deepLink,
      OffsetDateTime dueAt) {
  }

  public record Todo(UUID id, String appId, String externalId, String title, String deepLink, OffsetDateTime dueAt,
      Status status, List<String> assignees, OffsetDateTime createdAt, OffsetDateTime closedAt) {
  }
}
