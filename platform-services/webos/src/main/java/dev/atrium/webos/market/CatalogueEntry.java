package dev.atrium.webos.market;

/**
 * An app as a person's catalogue shows it: listed, and one identity says they may use. The texts are the live
 * version's; {@code iconUrl} is null without an icon.
 */
public record CatalogueEntry(String app, AppKind kind, String nameZh, String nameEn, String descriptionZh,
    String descriptionEn, String openUrl, String iconUrl, String version) {

  static CatalogueEntry of(MarketApp app) {
    AppVersion live = app.live();
    return new CatalogueEntry(app.app(), app.kind(), live.nameZh(), live.nameEn(), live.descriptionZh(),
        live.descriptionEn(), live.openUrl(), app.iconUrl(), live.version());
  }
}
