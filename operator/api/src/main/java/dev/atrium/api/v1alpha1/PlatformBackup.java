package dev.atrium.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One base backup of a platform's database, taken once: on demand when it is created, by the schedule, or before an
 * upgrade. Its status says what the backup is (barman's id, its WAL and LSN range) and whether it verified: restored
 * into a scratch directory, started, and its tables counted. Deleting it deletes nothing in the bucket; the
 * retention of spec.backup does that.
 */
@Group(CollaborationPlatform.GROUP)
@Version(CollaborationPlatform.VERSION)
@Kind("PlatformBackup")
@Plural("platformbackups")
@Singular("platformbackup")
@ShortNames("pbk")
@AdditionalPrinterColumn(name = "Platform", jsonPath = ".spec.platform", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Trigger", jsonPath = ".spec.trigger", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Verified", jsonPath = ".status.verified", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Backup", jsonPath = ".status.backupId", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PlatformBackup extends CustomResource<PlatformBackupSpec, PlatformBackupStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  /** Required: a backup without a spec names no platform (a misspelt spec is pruned away, leaving none). */
  @Override
  @Required
  public PlatformBackupSpec getSpec() {
    return super.getSpec();
  }
}
