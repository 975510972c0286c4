package dev.atrium.messagecenter.federation;

import dev.atrium.service.web.ApiException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * This platform's name and signing key, and the peers it trusts: each peer platform's name, federation
 * endpoint and public key. People of a peer are addressed as {@code user@platform}; an id with an {@code @}
 * names a remote person, so local ids (token subjects) never contain one.
 */
@Component
public class TrustList {

  /** A trusted peer platform. */
  public record Peer(String platform, URI endpoint, String keyId, PublicKey publicKey) {
  }

  /** A person of a peer platform: their id there, and the peer. */
  public record RemoteUser(String localId, Peer peer) {
    public String address() {
      return localId + "@" + peer.platform();
    }
  }

  private final String platform;
  private final FederationProperties properties;
  private final PrivateKey privateKey;
  private final Map<String, Peer> peers = new LinkedHashMap<>();

  public TrustList(@Value("${ATRIUM_PLATFORM:unset}") String platform, FederationProperties properties,
      JsonMapper json) {
    this.platform = platform;
    this.properties = properties;
    this.privateKey = properties.enabled() ? privateKey(properties.privateKey()) : null;
    if (properties.enabled() && (properties.keyId() == null || properties.keyId().isBlank())) {
      throw new IllegalStateException("ATRIUM_FEDERATION_KEY_ID must be set with ATRIUM_FEDERATION_PRIVATE_KEY");
    }
    JsonNode list = json.readTree(properties.peers());
    if (!list.isArray()) {
      throw new IllegalStateException("ATRIUM_FEDERATION_PEERS must be a JSON array of"
          + " {platform, endpoint, keyId, publicKey}; was: " + properties.peers());
    }
    for (JsonNode entry : list) {
      String name = required(entry, "platform");
      peers.put(name, new Peer(name, URI.create(required(entry, "endpoint").replaceAll("/+$", "")),
          required(entry, "keyId"), publicKey(name, required(entry, "publicKey"))));
    }
  }

  public String platform() {
    return platform;
  }

  public boolean enabled() {
    return privateKey != null;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  /** This platform's public key, when configured (ATRIUM_FEDERATION_PUBLIC_KEY). */
  public PublicKey publicKey() {
    return properties.publicKey() == null || properties.publicKey().isBlank() ? null
        : publicKey(platform, properties.publicKey());
  }

  String keyId() {
    return properties.keyId();
  }

  public Optional<Peer> peer(String name) {
    return Optional.ofNullable(peers.get(name));
  }

  public java.util.Collection<Peer> peers() {
    return peers.values();
  }

  /**
   * Whether {@code userId} names a remote person, and which: {@code name@platform} with a trusted peer. An id
   * with this platform's own name after the {@code @} is refused (use the local id), and so is one naming an
   * untrusted platform, both with a problem the client can act on.
   */
  public Optional<RemoteUser> remote(String userId) {
    int at = userId.lastIndexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    String name = userId.substring(0, at);
    String platformName = userId.substring(at + 1);
    if (name.isEmpty() || name.contains("@")) {
      throw ApiException.badRequest("invalid-members", "'" + userId + "' is not a person's address: a remote"
          + " person is 'user@platform', a local one has no '@'.");
    }
    if (platformName.equals(platform)) {
      throw ApiException.badRequest("invalid-members", "'" + userId + "' is on this platform; name them '"
          + name + "'.");
    }
    Peer peer = peers.get(platformName);
    if (peer == null || !enabled()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "unknown-peer", "Unknown platform",
          "'" + platformName + "' (in '" + userId + "') is not a platform this one federates with"
              + (enabled() ? "; trusted: " + peers.keySet() : "; federation is not configured here")
              + ". Ask the platform's operator to add it to the trust list.");
    }
    return Optional.of(new RemoteUser(name, peer));
  }

  /** Reads an Ed25519 public key: X.509 SubjectPublicKeyInfo, base64 DER or PEM. */
  public static PublicKey publicKey(String peer, String encoded) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(encoded)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the public key of peer " + peer + " in ATRIUM_FEDERATION_PEERS is not an"
          + " Ed25519 SubjectPublicKeyInfo (base64 DER or PEM): " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(String encoded) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(encoded)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("ATRIUM_FEDERATION_PRIVATE_KEY is not an Ed25519 PKCS#8 key (base64 DER"
          + " or PEM): " + e.getMessage(), e);
    }
  }

  private static byte[] der(String encoded) {
    String base64 = encoded.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }

  private static String required(JsonNode entry, String field) {
    String value = entry.path(field).asString("");
    if (value.isBlank()) {
      throw new IllegalStateException("every ATRIUM_FEDERATION_PEERS entry needs '" + field + "': " + entry);
    }
    return value;
  }
}
