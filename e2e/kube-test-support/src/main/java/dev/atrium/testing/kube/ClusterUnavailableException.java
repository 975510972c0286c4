package dev.atrium.testing.kube;

/** The selected cluster cannot be started or reached; the message says why and what to do. */
public class ClusterUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterUnavailableException(String message) {
    super(message);
  }

  public ClusterUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
