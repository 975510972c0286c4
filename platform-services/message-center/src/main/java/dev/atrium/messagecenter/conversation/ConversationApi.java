package dev.atrium.messagecenter.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The JSON shapes of the conversation API. */
public final class ConversationApi {

  private ConversationApi() {
  }

  public enum Kind { DIRECT, GROUP }

  @Schema(description = "A new conversation. DIRECT: exactly one other member (an existing 1:1 conversation with"
      + " that person is returned instead). GROUP: the other members; the creator is always a member.")
  public record CreateConversation(
      @NotNull Kind kind,
      @NotEmpty @Size(max = 10_000) List<@NotBlank @Size(max = 255) String> members,
      @Size(max = 200) String title) {
  }

  @Schema(description = "A message to send. Sending the same clientMessageId again returns the stored message.")
  public record SendMessage(
      @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+",
          message = "may contain only letters, digits and . _ : -") String clientMessageId,
      @NotNull String body) {
  }

  @Schema(description = "Read receipt: every message up to and including seq has been read.")
  public record MarkRead(@PositiveOrZero long seq) {
  }

  public record Member(String userId, long lastReadSeq) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Conversation(UUID id, Kind kind, String title, long lastSeq, long lastReadSeq, long unread,
      OffsetDateTime createdAt, OffsetDateTime lastMessageAt, List<Member> members) {
  }

  public record Message(UUID id, UUID conversationId, long seq, String senderId, String clientMessageId,
      String body, OffsetDateTime createdAt) {
  }

  @Schema(description = "A page of history, newest first. Pass nextBefore as ?before= for the next older page;"
      + " null when there is none.")
  public record HistoryPage(List<Message> messages, Long nextBefore) {
  }
}
