package dev.atrium.netdisk.storage;

import dev.atrium.service.jdbc.RecordRows;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Objects to delete from the store: requested inside the transaction that dropped their last reference (so a
 * rollback keeps them), deleted after it commits, and retried on a schedule when the store did not answer.
 * Any replica deletes any request; rows are claimed with SKIP LOCKED.
 */
@Service
public class ObjectDeletions {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectDeletions.class);

  private final JdbcClient jdbc;
  private final ObjectStore store;
  private final TransactionTemplate transactions;

  public ObjectDeletions(JdbcClient jdbc, ObjectStore store, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.store = store;
    this.transactions = transactions;
  }

  /** Deletes the object (or abandons the multipart upload) once the current transaction commits. */
  public void request(String objectKey, String s3UploadId) {
    jdbc.sql("insert into object_deletion (object_key, s3_upload_id) values (?, ?) on conflict do nothing")
        .params(objectKey, s3UploadId).update();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          Thread.ofVirtual().start(ObjectDeletions.this::sweep);
        }
      });
    }
  }

  /** Deletes what is requested, a batch at a time; what fails stays for the next sweep. */
  @Scheduled(fixedDelayString = "${ATRIUM_NETDISK_DELETION_INTERVAL:30s}", initialDelayString = "5s")
  public void sweep() {
    boolean more = true;
    while (more) {
      Integer done = transactions.execute(status -> {
        record Request(String objectKey, String s3UploadId) {
        }
        List<Request> batch = jdbc.sql("""
            select object_key, s3_upload_id from object_deletion order by requested_at limit 50
            for update skip locked""").query(RecordRows.of(Request.class)).list();
        int deleted = 0;
        for (Request request : batch) {
          try {
            if (request.s3UploadId() != null) {
              store.abortMultipart(request.objectKey(), request.s3UploadId());
            }
            store.delete(request.objectKey());
            jdbc.sql("delete from object_deletion where object_key = ?").param(request.objectKey()).update();
            deleted++;
          } catch (RuntimeException e) {
            LOG.warn("could not delete object {} from the store yet: {}", request.objectKey(), e.getMessage());
            jdbc.sql("update object_deletion set attempts = attempts + 1 where object_key = ?")
                .param(request.objectKey()).update();
          }
        }
        return batch.size() == 50 && deleted == batch.size() ? 1 : 0;
      });
      more = done != null && done == 1;
    }
  }
}
