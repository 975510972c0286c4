package dev.atrium.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A platform release: every component's image by digest, the order components upgrade in, and the
 * versions it may upgrade from. Cluster-scoped and named by its version; platforms choose one with
 * spec.version. Shipped with the release media, so an air-gapped site applies it with the images.
 */
@Group(CollaborationPlatform.GROUP)
@Version(CollaborationPlatform.VERSION)
@Kind("PlatformRelease")
@Plural("platformreleases")
@Singular("platformrelease")
@ShortNames("prel")
@ValidationRule(value = "self.metadata.name == self.spec.version",
    message = "metadata.name must equal spec.version, e.g. name: 1.1.0 for version 1.1.0")
@ValidationRule(value = "self.spec == oldSelf.spec",
    message = "a release is immutable once created: publish a new version instead")
@AdditionalPrinterColumn(name = "Upgrades from", jsonPath = ".spec.upgradeFrom", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PlatformRelease extends CustomResource<PlatformReleaseSpec, Void> {

  private static final long serialVersionUID = 1L;
}
