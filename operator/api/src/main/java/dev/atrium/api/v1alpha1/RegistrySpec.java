package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The private registry images are pulled from, for sites that reach no public registry: host, then
 * pathPrefix when set, then the release's repository as it is (see ImageRef in the operator).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RegistrySpec {

  @Required
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?$")
  @JsonPropertyDescription("Registry host, with an optional port, e.g. registry.acme.internal:5000 (no scheme, no "
      + "path). Images are pulled from it by the release's repository path, unchanged: the release's "
      + "atrium/identity:1.0.0@sha256:... is pulled as registry.acme.internal:5000/atrium/identity:1.0.0@sha256:... "
      + "(see pathPrefix).")
  private String host;

  @Size(max = 200)
  @Pattern("^[a-z0-9]+([._/-][a-z0-9]+)*$")
  @JsonPropertyDescription("Path under the host that the release's repositories are mirrored under, kept whole as "
      + "registry mirrors and crane copy or skopeo sync lay them out (an image keeps its repository path and digest): "
      + "with pathPrefix mirror, the release's atrium/identity:1.0.0@sha256:... is pulled as "
      + "registry.acme.internal:5000/mirror/atrium/identity:1.0.0@sha256:.... Nothing is removed, so pathPrefix atrium "
      + "gives .../atrium/atrium/identity. No leading or trailing slash.")
  private String pathPrefix;

  @Size(max = 8)
  @JsonPropertyDescription("Names of docker-registry Secrets in the platform's namespace, used to pull every image.")
  private List<String> pullSecrets;

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public String getPathPrefix() {
    return pathPrefix;
  }

  public void setPathPrefix(String pathPrefix) {
    this.pathPrefix = pathPrefix;
  }

  public List<String> getPullSecrets() {
    return pullSecrets;
  }

  public void setPullSecrets(List<String> pullSecrets) {
    this.pullSecrets = pullSecrets;
  }
}
