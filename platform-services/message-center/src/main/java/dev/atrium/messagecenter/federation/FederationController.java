package dev.atrium.messagecenter.federation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The federation endpoint peers deliver to ({@code ATRIUM_FEDERATION_ENDPOINT} is its public address). Not
 * behind the identity service's tokens: each request carries a token signed with the sending platform's key
 * (see {@link FederationTokens}), checked against the trust list before anything is read or stored.
 */
@RestController
@RequestMapping("/federation")
@Tag(name = "federation", description = "Messages between tenants' message centers")
class FederationController {

  private final FederationTokens tokens;
  private final FederationReceiver receiver;
  private final TrustList trust;
  private final FederationProperties properties;
  private final JsonMapper json;

  FederationController(FederationTokens tokens, FederationReceiver receiver, TrustList trust,
      FederationProperties properties, JsonMapper json) {
    this.tokens = tokens;
    this.receiver = receiver;
    this.trust = trust;
    this.properties = properties;
    this.json = json;
  }

  @PostMapping(path = "/messages", consumes = "application/json")
  @Operation(summary = "Deliver a message from a peer platform", description = "Authorization: Federation <JWS>."
      + " 201 when stored; 200 when this (origin, messageId) was delivered before (nothing stored again).")
  ResponseEntity<Map<String, Object>> receive(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody byte[] body) {
    FederationTokens.Verified verified = tokens.verify(authorization, body);
    FederatedMessage message;
    try {
      message = json.readValue(body, FederatedMessage.class);
    } catch (JacksonException e) {
      throw FederationTokens.refused(HttpStatus.BAD_REQUEST, "malformed-body", "The body is not a federated"
          + " message (messageId, sender, recipient, body, ...): " + e.getOriginalMessage());
    }
    FederatedInbox.Delivery delivery = receiver.receive(verified, message);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("messageId", delivery.messageId());
    answer.put("conversationId", delivery.conversationId());
    answer.put("duplicate", !delivery.created());
    return ResponseEntity.status(delivery.created() ? HttpStatus.CREATED : HttpStatus.OK).body(answer);
  }

  @GetMapping("/key")
  @Operation(summary = "This platform's federation identity", description = "What a peer's operator puts in its"
      + " trust list: platform name, endpoint, key id and Ed25519 public key (base64 DER SubjectPublicKeyInfo).")
  Map<String, Object> key() {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("platform", trust.platform());
    answer.put("endpoint", properties.endpoint());
    answer.put("keyId", trust.enabled() ? properties.keyId() : null);
    answer.put("publicKey", trust.enabled() ? publicKey() : null);
    return answer;
  }

  private String publicKey() {
    PublicKey key = trust.publicKey();
    return key == null ? null : Base64.getEncoder().encodeToString(key.getEncoded());
  }
}
