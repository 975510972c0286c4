package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * What a person reads when the API server refuses a manifest for one mistake: that mistake, once,
 * at its field, and nothing else but, after an enum, required, too-long or too-many error, the API
 * server's own notice that it skipped the CEL rules (it adds it whenever such an error exists,
 * before any rule runs, so no rule can prevent it).
 */
final class Refusal {

  /** The notice kube-apiserver adds after a schema error that stops all CEL rules (customresource strategy.go). */
  static final String RULES_SKIPPED = "some validation rules were not checked because the object was invalid";

  private Refusal() {
  }

  /**
   * Asserts that {@code write} is refused with 422 for exactly one cause at {@code field} whose message
   * contains {@code message}, which the whole error text contains once.
   *
   * @param rulesSkipped whether the mistake is one that stops the CEL rules, so that the API server's notice
   *     follows it
   * @return the error text, as kubectl shows it after "is invalid: "
   */
  static String assertRefusedOnce(ThrowingCallable write, String field, String message, boolean rulesSkipped) {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, write);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
    Status status = e.getStatus();
    List<StatusCause> causes = status.getDetails().getCauses();
    List<StatusCause> mistakes = causes.stream().filter(c -> !c.getMessage().contains(RULES_SKIPPED)).toList();

    assertThat(mistakes).as(status.getMessage()).singleElement().satisfies(cause -> {
      assertThat(cause.getField()).isEqualTo(field);
      assertThat(cause.getMessage()).contains(message);
    });
    assertThat(occurrences(status.getMessage(), message)).as(status.getMessage()).isEqualTo(1);
    assertThat(causes.size() - mistakes.size()).as("the API server's notice in %s", status.getMessage())
        .isEqualTo(rulesSkipped ? 1 : 0);
    return status.getMessage().substring(status.getMessage().indexOf("is invalid: ") + "is invalid: ".length());
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }
}
