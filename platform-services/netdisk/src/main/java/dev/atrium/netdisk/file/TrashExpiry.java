package dev.atrium.netdisk.file;

import dev.atrium.netdisk.audit.Audit;
import java.util.List;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Deletes for good what has been in the trash longer than ATRIUM_NETDISK_TRASH_RETENTION (any replica). */
@Component
public class TrashExpiry {

  private final Files files;
  private final Audit audit;
  private final TransactionTemplate transactions;

  public TrashExpiry(Files files, Audit audit, TransactionTemplate transactions) {
    this.files = files;
    this.audit = audit;
    this.transactions = transactions;
  }

  @Scheduled(fixedDelayString = "${ATRIUM_NETDISK_TRASH_INTERVAL:10m}", initialDelayString = "60s")
  public void purgeExpired() {
    boolean more = true;
    while (more) {
      Integer purged = transactions.execute(status -> {
        List<Node> expired = files.expiredTrash(20);
        for (Node node : expired) {
          int deleted = files.purge(node);
          audit.record("netdisk", "node.expire", "ok", node.spaceId(), node.id(), node.name() + " (" + deleted
              + " files)");
        }
        return expired.size();
      });
      more = purged != null && purged == 20;
    }
  }
}
