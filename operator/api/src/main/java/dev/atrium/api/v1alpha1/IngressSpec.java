package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** The Ingress that routes the platform's domain to the web desktop. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class IngressSpec {

  @Default("true")
  @JsonPropertyDescription("Whether the operator writes the Ingress. false removes it (for a site that routes the "
      + "domain to the webos Service by other means); the Services stay.")
  private Boolean enabled;

  @Size(max = 253)
  @JsonPropertyDescription("IngressClass to use; the cluster's default class when empty.")
  private String className;

  @Size(max = 253)
  @JsonPropertyDescription("Secret (kubernetes.io/tls) in the platform's namespace with the certificate for the "
      + "domain; plain HTTP when empty.")
  private String tlsSecretName;

  @JsonPropertyDescription("Annotations copied onto the Ingress, e.g. for the ingress controller's settings.")
  private Map<String, String> annotations;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether the Ingress is written: true unless the spec says false (the schema's default). */
  public boolean enabled() {
    return !Boolean.FALSE.equals(enabled);
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  public String getTlsSecretName() {
    return tlsSecretName;
  }

  public void setTlsSecretName(String tlsSecretName) {
    this.tlsSecretName = tlsSecretName;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
