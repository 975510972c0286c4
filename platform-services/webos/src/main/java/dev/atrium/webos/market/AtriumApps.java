package dev.atrium.webos.market;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Atrium's own apps in the catalogue, added at every start unless there (an administrator's later changes, e.g. a
 * withdrawal or a new version, stay): netdisk, the messages and the admin console. Netdisk and the messages open
 * at their panels on the desktop, which is their web front end; the admin console at the admin area, which the
 * desktop shows only to administrators. Their OAuth clients are the
 * platform's (identity keeps them from the operator's settings: netdisk's own, and the desktop's, {@code webos}, for
 * the pages served by webos), open to every active person.
 */
@Component
class AtriumApps implements ApplicationRunner {

  private static final Logger LOG = LoggerFactory.getLogger(AtriumApps.class);

  /** One of Atrium's own apps: its id, its OAuth client and its first listing. */
  record Seed(String app, String clientId, Submission listing) {
  }

  static final List<Seed> SEEDS = List.of(
      seed("netdisk", "netdisk", "网盘", "Netdisk", "存放、共享和同步文件", "Store, share and sync files",
          "/#files"),
      seed("messages", "webos", "消息", "Messages", "消息、待办和通知", "Messages, to-dos and notifications",
          "/#messages"),
      seed("admin-console", "webos", "管理控制台", "Admin console", "人员、部门、应用、设备和网关",
          "People, departments, apps, devices and the gateway", "/admin/people"));

  private final Market market;

  AtriumApps(Market market) {
    this.market = market;
  }

  @Override
  public void run(ApplicationArguments args) {
    for (Seed seed : SEEDS) {
      try {
        if (market.seedAtriumApp(seed.app(), seed.clientId(), seed.listing())) {
          LOG.info("Atrium's app {} added to the market's catalogue", seed.app());
        }
      } catch (org.springframework.dao.DuplicateKeyException e) {
        // another replica added it at the same moment
      }
    }
  }

  private static Seed seed(String app, String clientId, String nameZh, String nameEn, String descriptionZh,
      String descriptionEn, String openUrl) {
    return new Seed(app, clientId, new Submission("1", nameZh, nameEn, descriptionZh, descriptionEn, openUrl, null,
        ClientType.WEB, List.of()));
  }
}
