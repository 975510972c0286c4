package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The private registry images are pulled from, for sites that reach no public registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RegistrySpec {

  @Required
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?$")
  @JsonPropertyDescription("Registry host, with an optional port, e.g. registry.example.internal:5000.")
  private String host;

  @Size(max = 200)
  @Pattern("^[a-z0-9]+([._/-][a-z0-9]+)*$")
  @JsonPropertyDescription("Path under the host that the images live in, e.g. atrium; no leading or trailing slash.")
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
