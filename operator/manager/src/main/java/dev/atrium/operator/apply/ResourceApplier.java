package dev.atrium.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
 *
 * <p>It never adopts an object it did not make. An object that is not in the informers' caches is
 * created with a server-side apply that can only create: the applied object carries a resourceVersion
 * no live object has, which the API server ignores when the apply creates the object and checks as a
 * precondition when it would update one (409 Conflict, nothing changed). That refusal means an object
 * of the name exists that the operator does not manage: it reports a {@link Conflict}. The caller puts
 * every object it creates into its informer's cache at once, so an object the operator has just made
 * is never taken for someone else's. Creating costs no extra request (see
 * docs/decisions/0005-create-only-apply.md).
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

  /**
   * A resourceVersion no object of ours has: etcd's first revision, taken by the cluster's own first write. Set on
   * an apply that may only create.
   */
  static final String CREATE_ONLY_VERSION = "1";

  /** The outcome of one apply. */
  public enum Result { UNCHANGED, CREATED, UPDATED }

  /** What one apply did, and the object as the API server returned it (null when unchanged). */
  public record Applied(Result result, HasMetadata object) {
  }

  /** An object of the name exists that the operator does not manage; nothing in it was changed. */
  public static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Conflict(String message) {
      super(message);
    }
  }

  /**
   * @param live the object as the informer cache has it (which holds only objects carrying the operator's
   *     managed-by label), or null when there is none
   * @throws Conflict when the object is not in the cache but one of its name exists
   */
  public Applied apply(HasMetadata desired, HasMetadata live) {
    String hash = hashOf(desired);
    if (live != null && hash.equals(annotation(live))) {
      if (memo.matched(live, hash)) {
        return new Applied(Result.UNCHANGED, null);
      }
      if (matches(desired, live)) {
        memo.remember(live, hash);
        return new Applied(Result.UNCHANGED, null);
      }
    }
    desired.getMetadata().getAnnotations().put(HASH_ANNOTATION, hash);
    if (live == null) {
      return new Applied(Result.CREATED, createOnly(desired));
    }
    return new Applied(Result.UPDATED,
        client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
  }

  /** Creates the object; one of that name that exists is left exactly as it is. */
  private HasMetadata createOnly(HasMetadata desired) {
    desired.getMetadata().setResourceVersion(CREATE_ONLY_VERSION);
    try {
      return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new Conflict(desired.getKind() + " " + desired.getMetadata().getName() + " already exists and is "
            + "not one the operator made for this platform (it lacks this platform's owner reference or the "
            + "app.kubernetes.io/managed-by label the operator puts on everything it makes)");
      }
      throw e;
    } finally {
      desired.getMetadata().setResourceVersion(null);
    }
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
