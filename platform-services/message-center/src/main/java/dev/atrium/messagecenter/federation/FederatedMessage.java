package dev.atrium.messagecenter.federation;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What one platform sends another for a message to one of its people: the body of
 * {@code POST <peer endpoint>/messages}. Ids are as the sending platform knows them; the receiver stores the
 * sender as {@code sender@origin} and de-duplicates by (origin, messageId).
 *
 * @param messageId the message's id on the sending platform
 * @param conversationId the conversation's id on the sending platform (informational)
 * @param seq the message's number in that conversation on the sending platform (informational)
 * @param sender the sender's id on the sending platform (no {@code @})
 * @param recipient the recipient's id on the receiving platform (no {@code @})
 * @param body the message text
 * @param sentAt when the sending platform stored it
 */
public record FederatedMessage(UUID messageId, UUID conversationId, long seq, String sender, String recipient,
    String body, OffsetDateTime sentAt) {
}
