package dev.atrium.messagecenter.federation;

import java.util.UUID;

/**
 * Where a message from a peer platform is stored, once its request is verified and its token remembered.
 * Federation owns this interface and the conversation feature implements it: conversation depends on
 * federation (trust list, outbox, {@link FederatedMessage}) and never the reverse, so federation stays the
 * transport between platforms and knows nothing of how conversations keep messages.
 */
public interface FederatedInbox {

  /**
   * What became of a delivered message.
   *
   * @param messageId the message's id on this platform
   * @param conversationId the conversation it is in on this platform
   * @param created false when {@code (origin, messageId)} was delivered before and nothing was stored again
   */
  record Delivery(UUID messageId, UUID conversationId, boolean created) {
  }

  /**
   * Stores {@code message} from platform {@code origin} in the caller's transaction, or refuses it with an
   * {@code ApiException} the peer can act on (which rolls that transaction back).
   */
  Delivery deliver(String origin, FederatedMessage message);
}
