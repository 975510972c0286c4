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
@ValidationRule(value = "!has(self.spec.messageCenter) || !has(self.spec.messageCenter.federation) "
    + "|| !has(self.spec.messageCenter.federation.peers) "
    + "|| self.spec.messageCenter.federation.peers.all(p, p.platform != self.metadata.name)",
    message = "messageCenter.federation.peers must not name this platform itself",
    fieldPath = ".spec.messageCenter.federation.peers")
public class CollaborationPlatform extends CustomResource<CollaborationPlatformSpec, CollaborationPlatformStatus>
    implements Namespaced {

  public static final String GROUP = "atrium.dev";
  public static final String VERSION = "v1alpha1";
  private static final long serialVersionUID = 1L;
}
