package dev.atrium.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Applies desired objects with server-side apply under one field manager, and only when the live
 * object differs: unchanged objects cost no write. An object differs when what the operator
 * applied last (its hash, kept in an annotation) is not what it wants now, or when someone
 * changed a field the operator sets.
 */
public final class ResourceApplier {

  public static final String FIELD_MANAGER = "atrium-operator";
  public static final String HASH_ANNOTATION = "atrium.dev/applied-hash";

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final ObjectMapper mapper;
  private final MatchMemo memo;

  public ResourceApplier(KubernetesClient client) {
    this(client, new MatchMemo(0));
  }

  /** @param memo live objects already seen to match, shared across reconciles */
  public ResourceApplier(KubernetesClient client, MatchMemo memo) {
    this.client = client;
    this.serialization = client.getKubernetesSerialization();
    this.mapper = new ObjectMapper();
    this.memo = memo;
  }

  /** The outcome of one apply. */
  public enum Result { UNCHANGED, CREATED, UPDATED }

  /**
   * @param live the object as the informer cache has it, or null when there is none
   */
  public Result apply(HasMetadata desired, HasMetadata live) {
    String hash = hashOf(desired);
    if (live != null && hash.equals(annotation(live))) {
      if (memo.matched(live, hash)) {
        return Result.UNCHANGED;
      }
      if (matches(desired, live)) {
        memo.remember(live, hash);
        return Result.UNCHANGED;
      }
    }
    desired.getMetadata().getAnnotations().put(HASH_ANNOTATION, hash);
    client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    return live == null ? Result.CREATED : Result.UPDATED;
  }

  boolean matches(HasMetadata desired, HasMetadata live) {
    JsonNode want = tree(desired);
    JsonNode have = tree(live);
    // status belongs to the object's controller; metadata is compared only where the operator sets it
    ((ObjectNode) want).remove("status");
    JsonNode wantMeta = want.get("metadata");
    if (wantMeta instanceof ObjectNode meta) {
      meta.retain("labels", "annotations", "ownerReferences");
      if (meta.get("annotations") instanceof ObjectNode annotations) {
        annotations.remove(HASH_ANNOTATION);
      }
    }
    return DesiredMatcher.matches(want, have);
  }

  private JsonNode tree(HasMetadata resource) {
    try {
      return mapper.readTree(serialization.asJson(resource));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot read " + resource.getKind() + " as JSON", e);
    }
  }

  private String hashOf(HasMetadata desired) {
    var annotations = desired.getMetadata().getAnnotations();
    annotations.remove(HASH_ANNOTATION);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(serialization.asJson(desired).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String annotation(HasMetadata live) {
    var annotations = live.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(HASH_ANNOTATION);
  }
}
