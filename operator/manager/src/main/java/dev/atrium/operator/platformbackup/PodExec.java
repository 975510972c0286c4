package dev.atrium.operator.platformbackup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a command in a pod's container, as {@code kubectl exec} does, and waits for its exit status. */
public interface PodExec {

  /** What the command printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
  }

  Result run(String namespace, String pod, String container, List<String> command, Duration timeout)
      throws InterruptedException;

  /** Through the API server (pods/exec), with Fabric8's client. */
  static PodExec of(KubernetesClient client) {
    return (namespace, pod, container, command, timeout) -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
          .writingOutput(out).writingError(err).exec(command.toArray(String[]::new))) {
        Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new Result(code == null ? -1 : code, out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
      } catch (ExecutionException e) {
        return new Result(-1, out.toString(StandardCharsets.UTF_8), "exec failed: "
            + PlatformBackupReconciler.causes(e.getCause()));
      } catch (TimeoutException e) {
        return new Result(-1, out.toString(StandardCharsets.UTF_8), "no answer within " + timeout);
      }
    };
  }
}
