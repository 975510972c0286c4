package dev.atrium.cli.registry;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import land.oras.ContainerRef;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.auth.AuthProvider;
import land.oras.auth.AuthStoreAuthenticationProvider;
import land.oras.auth.NoAuthProvider;
import land.oras.auth.UsernamePasswordProvider;
import land.oras.exception.OrasException;

/**
 * The site's registry, through the ORAS Java SDK (decision 0018): the OCI distribution API with basic and
 * bearer-token authentication, TLS with the site's CA, or plain HTTP when asked. Manifests are sent as the
 * bundle holds them, byte for byte, and the digest the registry answers is checked.
 */
public final class OciRegistry {

  /**
   * How to reach the registry.
   *
   * @param plainHttp HTTP instead of HTTPS
   * @param caFile PEM certificates to trust (the site's CA); null for the JDK's
   * @param username with {@code password}, basic or token authentication; null: the Docker/Podman credentials
   *     files ({@code ~/.docker/config.json}, {@code $REGISTRY_AUTH_FILE}), else anonymous
   */
  public record Access(boolean plainHttp, Path caFile, String username, String password) {

    public static Access anonymousPlainHttp() {
      return new Access(true, null, null, null);
    }
  }

  private final RegistryTarget target;
  private final Registry registry;

  public OciRegistry(RegistryTarget target, Access access) {
    this.target = target;
    Registry.Builder builder = Registry.builder().withInsecure(access.plainHttp()).withAuthProvider(auth(access));
    if (access.caFile() != null) {
      builder.withCaFile(access.caFile());
    }
    this.registry = builder.build();
  }

  private static AuthProvider auth(Access access) {
    if (access.username() != null) {
      return new UsernamePasswordProvider(access.username(), access.password() == null ? "" : access.password());
    }
    try {
      return new AuthStoreAuthenticationProvider();
    } catch (RuntimeException noCredentialsFile) {
      return new NoAuthProvider();
    }
  }

  public RegistryTarget target() {
    return target;
  }

  private ContainerRef ref(String repository, String reference) {
    String separator = reference.startsWith("sha256:") ? "@" : ":";
    return ContainerRef.parse(target.host() + "/" + target.repository(repository) + separator + reference);
  }

  /** HEAD of the blob in the repository: true when the registry has it there. */
  public boolean hasBlob(String repository, String digest) {
    try {
      registry.fetchBlobDescriptor(ref(repository, digest));
      return true;
    } catch (OrasException e) {
      if (e.getStatusCode() != null && e.getStatusCode() == 404) {
        return false;
      }
      throw failure("HEAD of " + digest + " in " + target.repository(repository), e);
    }
  }

  /** Cross-repository mount: true when the registry linked the blob from {@code from} into {@code repository}. */
  public boolean mount(String repository, String digest, String from) {
    try {
      return registry.mountBlob(ref(from, digest), ref(repository, digest)) || hasBlob(repository, digest);
    } catch (OrasException e) {
      return false;
    }
  }

  /** Uploads a blob (the library checks with HEAD first); {@code content} may be opened again on a retry. */
  public void uploadBlob(String repository, String digest, long size, Supplier<InputStream> content) {
    try {
      registry.pushBlob(ref(repository, digest), size, content, Map.of());
    } catch (OrasException e) {
      throw failure("upload of " + digest + " to " + target.repository(repository), e);
    }
  }

  /**
   * Puts an OCI image manifest, unchanged, under {@code reference} (its digest or a tag), and returns the digest
   * the registry gives it.
   */
  public String putManifest(String repository, String reference, byte[] manifest) {
    try {
      Manifest parsed = Manifest.fromJson(new String(manifest, StandardCharsets.UTF_8));
      if (!new String(manifest, StandardCharsets.UTF_8).equals(parsed.getJson())) {
        throw new IllegalStateException("the registry library would rewrite the manifest");
      }
      return registry.pushManifest(ref(repository, reference), parsed).getDescriptor().getDigest();
    } catch (OrasException e) {
      throw failure("PUT of the manifest " + reference + " in " + target.repository(repository), e);
    }
  }

  /** The digest the registry serves for {@code repository:reference}, or null when it has none. */
  public String manifestDigest(String repository, String reference) {
    try {
      return registry.probeDescriptor(ref(repository, reference)).getDigest();
    } catch (OrasException e) {
      if (e.getStatusCode() != null && e.getStatusCode() == 404) {
        return null;
      }
      throw failure("HEAD of the manifest " + reference + " in " + target.repository(repository), e);
    }
  }

  private RuntimeException failure(String what, OrasException e) {
    return new IllegalStateException(what + " at " + target.host() + " failed: "
        + (e.getStatusCode() == null ? "" : "HTTP " + e.getStatusCode() + " ") + e.getMessage(), e);
  }
}
