package dev.atrium.messagecenter.federation;

import dev.atrium.service.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accepts a verified delivery from a peer: remembers its token id (a token seen before is a replay and is
 * refused) and hands the message to the {@link FederatedInbox}, in one transaction, so a refused message
 * leaves no token id behind and an accepted one cannot be replayed.
 */
@Service
class FederationReceiver {

  private final FederationOutbox outbox;
  private final FederatedInbox inbox;
  private final Counter received;

  FederationReceiver(FederationOutbox outbox, FederatedInbox inbox, MeterRegistry meters) {
    this.outbox = outbox;
    this.inbox = inbox;
    this.received = Counter.builder("messagecenter.federation.received")
        .description("Messages from peer platforms stored (repeated deliveries not counted)").register(meters);
  }

  @Transactional
  public FederatedInbox.Delivery receive(FederationTokens.Verified from, FederatedMessage message) {
    if (!outbox.rememberToken(from)) {
      throw new ApiException(HttpStatus.CONFLICT, "token-replayed", "Federation request refused",
          "This token (jti) was used before; sign every request afresh.");
    }
    FederatedInbox.Delivery delivery = inbox.deliver(from.origin(), message);
    if (delivery.created()) {
      received.increment();
    }
    return delivery;
  }
}
