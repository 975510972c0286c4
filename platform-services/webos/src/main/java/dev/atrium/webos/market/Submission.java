package dev.atrium.webos.market;

import java.util.List;

/**
 * A version of an app as its publisher submits it (the API's body and the pages' form; {@link Validation#check}
 * says what is valid).
 *
 * @param version the version's name, e.g. {@code 1.2.0}
 * @param nameZh the app's name in Chinese
 * @param nameEn the app's name in English
 * @param descriptionZh what it does, in Chinese (may be empty)
 * @param descriptionEn what it does, in English (may be empty)
 * @param openUrl where the desktop opens it: {@code http(s)://...} or a path on the tenant's domain ({@code /x/})
 * @param backendUrl its API's backend for this version, {@code http(s)://host[:port]}, reached through the gateway
 *     at {@code /apps/{app}/**}; null if the app exposes no API
 * @param clientType what its OAuth client in identity does
 * @param redirectUris its OAuth client's redirect URIs (needed unless the client type is SERVICE)
 */
public record Submission(String version, String nameZh, String nameEn, String descriptionZh, String descriptionEn,
    String openUrl, String backendUrl, ClientType clientType, List<String> redirectUris) {

  public Submission {
    descriptionZh = descriptionZh == null ? "" : descriptionZh;
    descriptionEn = descriptionEn == null ? "" : descriptionEn;
    redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
    backendUrl = backendUrl == null || backendUrl.isBlank() ? null : backendUrl;
  }
}
