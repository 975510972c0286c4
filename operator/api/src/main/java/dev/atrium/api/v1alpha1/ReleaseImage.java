package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One component's image, without a registry: the platform's (or the operator's default) is put in front. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ReleaseImage {

  @Required
  @Pattern("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")
  @JsonPropertyDescription("Repository path under the registry, e.g. atrium/identity.")
  private String repository;

  @Required
  @Pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
  @JsonPropertyDescription("Tag, for people: the digest is what is pulled.")
  private String tag;

  @Required
  @Pattern("^sha256:[a-f0-9]{64}$")
  @JsonPropertyDescription("Digest of the image (sha256:...); pods pull exactly this.")
  private String digest;

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }
}
