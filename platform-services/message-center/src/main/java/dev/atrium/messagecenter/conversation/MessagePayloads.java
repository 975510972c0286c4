package dev.atrium.messagecenter.conversation;

import dev.atrium.messagecenter.push.PayloadLoader;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Messages as the push stream carries them. */
@Component
class MessagePayloads implements PayloadLoader {

  private final ConversationService conversations;

  MessagePayloads(ConversationService conversations) {
    this.conversations = conversations;
  }

  @Override
  public String kind() {
    return ConversationService.MESSAGE_EVENT;
  }

  @Override
  public Map<UUID, Object> load(Collection<UUID> ids) {
    return conversations.messages(List.copyOf(ids)).stream()
        .collect(Collectors.toMap(ConversationApi.Message::id, Function.identity()));
  }
}
