package dev.atrium.messagecenter.unread;

import dev.atrium.messagecenter.conversation.ConversationService;
import dev.atrium.service.security.Caller;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountService;
import dev.atrium.messagecenter.todo.TodoService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** One call for the badge counts of a person's client. */
@RestController
@Tag(name = "unread")
class UnreadController {

  private final ConversationService conversations;
  private final ServiceAccountService announcements;
  private final TodoService todos;

  UnreadController(ConversationService conversations, ServiceAccountService announcements, TodoService todos) {
    this.conversations = conversations;
    this.announcements = announcements;
    this.todos = todos;
  }

  /**
   * @param total unread messages plus unread announcements
   * @param conversations the conversations with unread messages
   */
  record Unread(long total, List<UnreadConversation> conversations, long announcements, long openTodos) {
  }

  record UnreadConversation(UUID conversationId, long unread) {
  }

  @GetMapping("/api/v1/unread")
  @Operation(summary = "Your unread messages per conversation, unread announcements and open to-dos")
  Unread unread(@AuthenticationPrincipal Caller caller) {
    List<UnreadConversation> unread = conversations.list(caller).stream().filter(c -> c.unread() > 0)
        .map(c -> new UnreadConversation(c.id(), c.unread())).toList();
    long unreadAnnouncements = announcements.unread(caller);
    return new Unread(unread.stream().mapToLong(UnreadConversation::unread).sum() + unreadAnnouncements, unread,
        unreadAnnouncements, todos.openCount(caller));
  }
}
