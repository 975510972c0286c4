package dev.atrium.messagecenter.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConversationServiceTest {

  @Test
  void directKeyIsTheSameForBothOrders() {
    assertThat(ConversationService.directKey("bob", "alice")).isEqualTo(ConversationService.directKey("alice", "bob"));
  }

  @Test
  void directKeyCannotBeForgedByIdsContainingTheSeparator() {
    assertThat(ConversationService.directKey("a|b", "c")).isNotEqualTo(ConversationService.directKey("a", "b|c"));
  }
}
