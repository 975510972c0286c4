package dev.atrium.operator.netdisk;

import dev.atrium.api.v1alpha1.CollaborationPlatformSpec;
import dev.atrium.api.v1alpha1.NetdiskSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.OAuthClients;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.StatelessService;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Netdisk: files, resumable upload, sharing and versions, kept in the platform's object store.
 *
 * <p>The environment it gets, besides {@link Wiring#common} and {@link Wiring#commonSecrets} (no cache: it keeps
 * nothing in Redis):
 * <ul>
 *   <li>the object store: {@code ATRIUM_S3_ENDPOINT}, {@code ATRIUM_S3_BUCKET} (the service creates the bucket at
 *   start if it is missing and never deletes it), {@code ATRIUM_S3_REGION}, and the keys by secretKeyRef from the
 *   object store's credentials;</li>
 *   <li>while identity registers it as a client: its id and secret and identity's in-cluster token endpoint
 *   ({@code ATRIUM_IDENTITY_TOKEN_URI}), to call the message center's app API as itself;</li>
 *   <li>while the message center is on: its address ({@code ATRIUM_MESSAGE_CENTER_URL}), where netdisk sends file
 *   events as to-dos and announcements;</li>
 *   <li>its public address ({@code ATRIUM_NETDISK_PUBLIC_URL}), where share links and deep links point, and the
 *   settings of spec.netdisk: quotas and the largest file as byte counts, versions kept, days in the trash.</li>
 * </ul>
 */
public final class NetdiskModel {

  public static final String BUCKET = "netdisk";
  /** SeaweedFS answers to any region; the S3 clients need one to sign requests. */
  public static final String REGION = "us-east-1";
  /** Where the front door routes to netdisk: its API under /netdisk/api/v1, share links under /netdisk/s. */
  public static final String PATH = "/netdisk";
  /** A number and its suffix, as the schema's pattern for netdisk's quantities takes them. */
  private static final Pattern QUANTITY = Pattern.compile("([0-9]*\\.?[0-9]+)([A-Za-z]*)");
  /** What each suffix multiplies by: none, the binary Ki to Ei, the decimal k to E. */
  private static final Map<String, BigDecimal> UNITS = units();

  private NetdiskModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    CollaborationPlatformSpec spec = ctx.platform().getSpec();
    NetdiskSpec netdisk = spec.getNetdisk();
    Map<String, String> config = Wiring.common(ctx, Component.NETDISK);
    config.put("ATRIUM_S3_ENDPOINT", Wiring.serviceUrl(ctx, Component.OBJECT_STORE));
    config.put("ATRIUM_S3_BUCKET", BUCKET);
    config.put("ATRIUM_S3_REGION", REGION);
    List<EnvVar> secrets = new ArrayList<>(Wiring.commonSecrets(ctx, Component.NETDISK));
    String objectStoreSecret = Names.credentials(ctx.name(), Component.OBJECT_STORE);
    secrets.add(Wiring.secretEnv("ATRIUM_S3_ACCESS_KEY", objectStoreSecret, Wiring.S3_ACCESS_KEY));
    secrets.add(Wiring.secretEnv("ATRIUM_S3_SECRET_KEY", objectStoreSecret, Wiring.S3_SECRET_KEY));
    // it calls the message center's app API as itself: identity's client netdisk (client credentials), with its
    // tokens from identity's token endpoint inside the cluster
    OAuthClients.wire(ctx, Component.NETDISK, config, secrets).ifPresent(client ->
        config.put("ATRIUM_IDENTITY_TOKEN_URI", Wiring.identityEndpoint(ctx, "/oauth2/token")));
    if (ctx.enabled().contains(Component.MESSAGE_CENTER)) {
      config.put("ATRIUM_MESSAGE_CENTER_URL", Wiring.serviceUrl(ctx, Component.MESSAGE_CENTER));
    }
    config.put("ATRIUM_NETDISK_PUBLIC_URL", Wiring.portalScheme(spec) + "://" + spec.getDomain() + PATH);
    config.put("ATRIUM_NETDISK_PERSONAL_QUOTA",
        bytes(or(netdisk.getPersonalQuota(), NetdiskSpec.DEFAULT_PERSONAL_QUOTA)));
    config.put("ATRIUM_NETDISK_SPACE_QUOTA", bytes(or(netdisk.getSpaceQuota(), NetdiskSpec.DEFAULT_SPACE_QUOTA)));
    config.put("ATRIUM_NETDISK_MAX_FILE_SIZE", bytes(or(netdisk.getMaxFileSize(), NetdiskSpec.DEFAULT_MAX_FILE_SIZE)));
    config.put("ATRIUM_NETDISK_VERSIONS_KEPT",
        Integer.toString(or(netdisk.getVersionsKept(), NetdiskSpec.DEFAULT_VERSIONS_KEPT)));
    config.put("ATRIUM_NETDISK_TRASH_RETENTION",
        or(netdisk.getTrashRetentionDays(), NetdiskSpec.DEFAULT_TRASH_RETENTION_DAYS) + "d");
    return new StatelessService(ctx, Component.NETDISK, netdisk, config, secrets).desired();
  }

  /**
   * A quantity as the spec gives it (10Gi, 1.5Ti, 500M, 100) as the service reads a size: the whole number of bytes
   * and B, e.g. 10737418240B (Spring's DataSize). A fraction of a byte counts as a whole one. Exact up to the
   * schema's largest, 1Ei, which Fabric8's Quantity is not (it multiplies in doubles).
   */
  static String bytes(String quantity) {
    Matcher parts = QUANTITY.matcher(quantity);
    if (!parts.matches() || !UNITS.containsKey(parts.group(2))) {
      throw new IllegalArgumentException("not a quantity of bytes: " + quantity);
    }
    BigDecimal bytes = new BigDecimal(parts.group(1)).multiply(UNITS.get(parts.group(2)));
    return bytes.setScale(0, RoundingMode.CEILING).toBigIntegerExact() + "B";
  }

  private static Map<String, BigDecimal> units() {
    Map<String, BigDecimal> units = new HashMap<>();
    units.put("", BigDecimal.ONE);
    List<String> binary = List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    List<String> decimal = List.of("k", "M", "G", "T", "P", "E");
    for (int i = 0; i < binary.size(); i++) {
      units.put(binary.get(i), new BigDecimal(BigInteger.ONE.shiftLeft(10 * (i + 1))));
      units.put(decimal.get(i), BigDecimal.TEN.pow(3 * (i + 1)));
    }
    return Map.copyOf(units);
  }

  private static <T> T or(T value, T fallback) {
    return Objects.requireNonNullElse(value, fallback);
  }
}
