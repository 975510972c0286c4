package dev.atrium.messagecenter.conversation;

import dev.atrium.messagecenter.conversation.ConversationApi.Conversation;
import dev.atrium.messagecenter.conversation.ConversationApi.CreateConversation;
import dev.atrium.messagecenter.conversation.ConversationApi.HistoryPage;
import dev.atrium.messagecenter.conversation.ConversationApi.MarkRead;
import dev.atrium.messagecenter.conversation.ConversationApi.Message;
import dev.atrium.messagecenter.conversation.ConversationApi.SendMessage;
import dev.atrium.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "conversations", description = "1:1 and group conversations of people")
class ConversationController {

  private final ConversationService conversations;

  ConversationController(ConversationService conversations) {
    this.conversations = conversations;
  }

  @PostMapping("/conversations")
  @Operation(summary = "Open a conversation", description = "201 when created; 200 with the existing 1:1"
      + " conversation when the pair already has one.")
  ResponseEntity<Conversation> create(@AuthenticationPrincipal Caller caller,
      @Valid @RequestBody CreateConversation request) {
    var opened = conversations.create(caller, request);
    return ResponseEntity.status(opened.created() ? HttpStatus.CREATED : HttpStatus.OK).body(opened.conversation());
  }

  @GetMapping("/conversations")
  @Operation(summary = "Your conversations, most recently active first, each with its unread count")
  List<Conversation> list(@AuthenticationPrincipal Caller caller) {
    return conversations.list(caller);
  }

  @GetMapping("/conversations/{id}")
  @Operation(summary = "A conversation of yours, with its members' read receipts (lastReadSeq)")
  Conversation get(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    return conversations.get(caller, id);
  }

  @PostMapping("/conversations/{id}/messages")
  @Operation(summary = "Send a message", description = "201 when stored; 200 with the stored message when this"
      + " clientMessageId was sent before with the same body; 409 when it was used for another body.")
  ResponseEntity<Message> send(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Valid @RequestBody SendMessage request) {
    var sent = conversations.send(caller, id, request);
    return ResponseEntity.status(sent.created() ? HttpStatus.CREATED : HttpStatus.OK).body(sent.message());
  }

  @GetMapping("/conversations/{id}/messages")
  @Operation(summary = "History, newest first, a page at a time")
  HistoryPage history(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Parameter(description = "only messages with a smaller seq: the previous page's nextBefore")
      @RequestParam(required = false) Long before,
      @Parameter(description = "page size, 1 to atrium.message-center.max-page-size")
      @RequestParam(required = false) Integer limit) {
    return conversations.history(caller, id, before, limit);
  }

  @PostMapping("/conversations/{id}/read")
  @Operation(summary = "Read receipt: you have read everything up to seq")
  ResponseEntity<Void> markRead(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
      @Valid @RequestBody MarkRead request) {
    conversations.markRead(caller, id, request.seq());
    return ResponseEntity.noContent().build();
  }

}
