package dev.atrium.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** The Ingress that routes the platform's domain to the web desktop. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class IngressSpec {

  @Size(max = 253)
  @JsonPropertyDescription("IngressClass to use; the cluster's default class when empty.")
  private String className;

  @Size(max = 253)
  @JsonPropertyDescription("Secret (kubernetes.io/tls) in the platform's namespace with the certificate for the "
      + "domain; plain HTTP when empty.")
  private String tlsSecretName;

  @JsonPropertyDescription("Annotations copied onto the Ingress, e.g. for the ingress controller's settings.")
  private Map<String, String> annotations;

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
