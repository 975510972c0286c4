package dev.atrium.operator.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.FederationPeer;
import dev.atrium.api.v1alpha1.FederationSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import dev.atrium.operator.workload.Workloads;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The message center: IM, announcements, business to-dos, real-time push, cross-tenant messages. */
public final class MessageCenterModel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MessageCenterModel() {
  }

  /**
   * Where the front door sends the push WebSocket: webos's gateway serves the message center's API under
   * {@code /messages} but does not carry WebSockets, so the Ingress routes this one path straight to the message center.
   */
  public static final String PUSH_PATH = "/messages/api/v1/stream";

  public static DesiredState from(PlatformContext ctx) {
    CollaborationPlatformSpec spec = ctx.platform().getSpec();
    Map<String, String> config = Wiring.common(ctx, Component.MESSAGE_CENTER);
    // peers deliver cross-tenant messages to this address, through the front door
    config.put("ATRIUM_FEDERATION_ENDPOINT", Wiring.portalScheme(spec) + "://" + spec.getDomain() + "/federation");
    // browsers open the push socket from the portal only (a page elsewhere cannot use a person's token there anyway)
    config.put("ATRIUM_MESSAGE_CENTER_ALLOWED_ORIGINS", Wiring.portalScheme(spec) + "://" + spec.getDomain());
    List<EnvVar> secretEnv = new ArrayList<>(Wiring.commonSecrets(ctx, Component.MESSAGE_CENTER));
    List<GeneratedSecret> secrets = new ArrayList<>();
    if (federationEnabled(spec)) {
      // the trust list is public data: in the ConfigMap, so a change of peers rolls the pods
      config.put("ATRIUM_FEDERATION_PEERS", peersJson(peers(spec)));
      String keySecret = Names.federationKey(ctx.name());
      secrets.add(GeneratedSecret.ed25519KeyPair(Workloads.metadata(ctx, Component.MESSAGE_CENTER, keySecret)));
      secretEnv.add(Wiring.secretEnv("ATRIUM_FEDERATION_PRIVATE_KEY", keySecret, GeneratedSecret.PRIVATE_KEY));
      secretEnv.add(Wiring.secretEnv("ATRIUM_FEDERATION_PUBLIC_KEY", keySecret, GeneratedSecret.PUBLIC_KEY));
      secretEnv.add(Wiring.secretEnv("ATRIUM_FEDERATION_KEY_ID", keySecret, GeneratedSecret.KEY_ID));
    }
    return new StatelessService(ctx, Component.MESSAGE_CENTER, spec.getMessageCenter(), config, secretEnv).desired()
        .plus(new DesiredState(List.of(), secrets));
  }

  /** Whether the message center federates with other platforms (off unless the spec says so). */
  public static boolean federationEnabled(CollaborationPlatformSpec spec) {
    FederationSpec federation = spec.getMessageCenter() == null ? null : spec.getMessageCenter().getFederation();
    return federation != null && Boolean.TRUE.equals(federation.getEnabled());
  }

  /** The trust list as the spec gives it; empty when federation is off. */
  public static List<FederationPeer> peers(CollaborationPlatformSpec spec) {
    if (!federationEnabled(spec) || spec.getMessageCenter().getFederation().getPeers() == null) {
      return List.of();
    }
    return spec.getMessageCenter().getFederation().getPeers();
  }

  /** ATRIUM_FEDERATION_PEERS: [{"platform","endpoint","keyId","publicKey"}], in the spec's order. */
  static String peersJson(List<FederationPeer> peers) {
    List<Map<String, String>> list = new ArrayList<>();
    for (FederationPeer peer : peers) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("platform", peer.getPlatform());
      entry.put("endpoint", peer.getEndpoint());
      entry.put("keyId", peer.getKeyId());
      entry.put("publicKey", peer.getPublicKey());
      list.add(entry);
    }
    try {
      return JSON.writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the federation peers", e);
    }
  }
}
