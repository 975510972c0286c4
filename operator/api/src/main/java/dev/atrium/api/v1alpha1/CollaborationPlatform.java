package dev.atrium.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One tenant's whole collaboration platform; the operator reconciles it into running clusters. */
@Group(CollaborationPlatform.GROUP)
@Version(CollaborationPlatform.VERSION)
@Kind("CollaborationPlatform")
@Plural("collaborationplatforms")
@Singular("collaborationplatform")
@ShortNames("collab")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyComponents", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Upgrade", jsonPath = ".status.upgrade.phase", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "size(self.metadata.name) <= " + CollaborationPlatform.MAX_NAME_LENGTH,
    message = "metadata.name must be at most " + CollaborationPlatform.MAX_NAME_LENGTH + " characters: the object "
        + "store's StatefulSet <name>-object-store gives its pods a controller-revision-hash label of "
        + "<StatefulSet name>-<10-character hash>, and a label value is at most 63")
@ValidationRule(value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message = "metadata.name must start with a lowercase letter and contain only lowercase letters, digits and '-' "
        + "(it names Services, which are DNS-1035 labels)")
@ValidationRule(value = "!has(self.spec.messageCenter) || !has(self.spec.messageCenter.federation) "
    + "|| !has(self.spec.messageCenter.federation.peers) "
    + "|| self.spec.messageCenter.federation.peers.all(p, p.platform != self.metadata.name)",
    message = "messageCenter.federation.peers must not name this platform itself",
    fieldPath = ".spec.messageCenter.federation.peers")
// a platform that restores the backups of one with its own name must not archive over them
@ValidationRule(value = "!has(self.spec.restore) || self.spec.restore.platform != self.metadata.name "
    + "|| !has(self.spec.backup) || !has(self.spec.backup.destination) "
    + "|| self.spec.backup.destination.endpoint != self.spec.restore.source.endpoint "
    + "|| self.spec.backup.destination.bucket != self.spec.restore.source.bucket "
    + "|| (has(self.spec.backup.destination.path) ? self.spec.backup.destination.path : '') "
    + "!= (has(self.spec.restore.source.path) ? self.spec.restore.source.path : '')",
    message = "this platform has the name of the platform it restores and backs up to the same bucket and path: its "
        + "backups would mix with the ones it restores; back up to another path", fieldPath = ".spec.backup.destination")
public class CollaborationPlatform extends CustomResource<CollaborationPlatformSpec, CollaborationPlatformStatus>
    implements Namespaced {

  public static final String GROUP = "atrium.dev";
  public static final String VERSION = "v1alpha1";

  /**
   * The longest platform name that converges. The operator derives every object name and the
   * app.kubernetes.io/instance label from it; the tightest is the object store's StatefulSet
   * {@code <name>-object-store}, whose pods carry {@code controller-revision-hash:
   * <StatefulSet name>-<hash of up to 10 characters>}, a label value of at most 63 characters:
   * 63 - 10 - "-".length() - "-object-store".length() = 39. The schema refuses longer names at
   * admission; the operator's NamesTest checks every derived name against it.
   */
  public static final int MAX_NAME_LENGTH = 39;

  private static final long serialVersionUID = 1L;
}
