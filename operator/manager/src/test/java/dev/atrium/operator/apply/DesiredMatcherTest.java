package dev.atrium.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether a live object already has what the operator wants: decides if an apply (a write) is needed. */
class DesiredMatcherTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static boolean matches(String desired, String live) {
    return DesiredMatcher.matches(json(desired), json(live));
  }

  @ParameterizedTest(name = "{0} matches {1}")
  @CsvSource({
      // the API server normalizes quantities: what was sent as 1000m comes back as 1
      "1000m, 1",
      "1, 1000m",
      "1Gi, 1024Mi",
      "1024Mi, 1Gi",
      "500m, 0.5",
      "2Gi, 2147483648",
  })
  void quantitiesMatchByAmount(String desired, String live) {
    assertThat(matches("{'cpu': '" + desired + "'}", "{'cpu': '" + live + "'}")).isTrue();
  }

  @ParameterizedTest(name = "{0} does not match {1}")
  @CsvSource({
      "1Gi, 1G",
      "500m, 1",
      "2, 3",
      "1Gi, 1023Mi",
  })
  void differentAmountsDoNotMatch(String desired, String live) {
    assertThat(matches("{'memory': '" + desired + "'}", "{'memory': '" + live + "'}")).isFalse();
  }

  @Test
  void quantityInARealResourceBlockMatchesTheServersForm() {
    assertThat(matches(
        "{'resources': {'requests': {'cpu': '1000m', 'memory': '1024Mi'}, 'limits': {'memory': '2048Mi'}}}",
        "{'resources': {'requests': {'cpu': '1', 'memory': '1Gi'}, 'limits': {'memory': '2Gi'}}}")).isTrue();
  }

  @Test
  void extraLiveFieldsAreIgnored() {
    // server defaults, status and other managers' fields are the live object's business
    assertThat(matches(
        "{'spec': {'replicas': 2, 'template': {'spec': {'containers': [{'name': 'webos', 'image': 'a:1'}]}}}}",
        "{'metadata': {'resourceVersion': '42', 'uid': 'u'}, 'spec': {'replicas': 2, 'progressDeadlineSeconds': 600,"
            + " 'template': {'spec': {'dnsPolicy': 'ClusterFirst', 'containers': [{'name': 'webos', 'image': 'a:1',"
            + " 'terminationMessagePath': '/dev/termination-log'}]}}}, 'status': {'readyReplicas': 2}}")).isTrue();
  }

  @Test
  void aChangedValueDoesNotMatch() {
    assertThat(matches("{'spec': {'replicas': 2}}", "{'spec': {'replicas': 3}}")).isFalse();
    assertThat(matches("{'image': 'registry.acme.internal/atrium/webos:1.1.0'}",
        "{'image': 'registry.acme.internal/atrium/webos:1.0.0'}")).isFalse();
    assertThat(matches("{'readOnlyRootFilesystem': true}", "{'readOnlyRootFilesystem': false}")).isFalse();
    assertThat(matches("{'containers': [{'name': 'a', 'image': 'x:1'}]}",
        "{'containers': [{'name': 'a', 'image': 'x:2'}]}")).isFalse();
  }

  @Test
  void aMissingLiveFieldDoesNotMatchADesiredValue() {
    assertThat(matches("{'spec': {'replicas': 2}}", "{'spec': {}}")).isFalse();
    assertThat(matches("{'labels': {'app.kubernetes.io/version': '1.0.0'}}", "{}")).isFalse();
  }

  @Test
  void aDifferentArrayLengthDoesNotMatch() {
    // a list is replaced whole when applied; a live list with an extra entry (e.g. a container) must be rewritten
    assertThat(matches("{'args': ['server']}", "{'args': ['server', '--debug']}")).isFalse();
    assertThat(matches("{'args': ['server', '--debug']}", "{'args': ['server']}")).isFalse();
    assertThat(matches("{'args': ['server']}", "{'args': ['server']}")).isTrue();
  }

  @Test
  void aTypeChangeDoesNotMatch() {
    assertThat(matches("{'a': {'b': 1}}", "{'a': [1]}")).isFalse();
    assertThat(matches("{'a': ['b']}", "{'a': {'0': 'b'}}")).isFalse();
    assertThat(matches("{'a': 'text'}", "{'a': {'text': true}}")).isFalse();
  }

  @Test
  void emptyDesiredArraysAndObjectsMatchAMissingLiveField() {
    // the API server drops empty lists and maps, so live never shows them
    assertThat(matches("{'spec': {'imagePullSecrets': [], 'nodeSelector': {}}}", "{'spec': {}}")).isTrue();
    assertThat(matches("{'spec': {'imagePullSecrets': []}}", "{'spec': {'imagePullSecrets': null}}")).isTrue();
    assertThat(matches("{'metadata': {'name': 'a', 'annotations': {}}}", "{'metadata': {'name': 'a'}}")).isTrue();
    // only emptiness matches a missing field
    assertThat(matches("{'spec': {'imagePullSecrets': [{'name': 'pull'}]}}", "{'spec': {}}")).isFalse();
  }

  @Test
  void nullDesiredMatchesAnything() {
    assertThat(matches("{'spec': {'replicas': null}}", "{'spec': {'replicas': 5}}")).isTrue();
    assertThat(DesiredMatcher.matches(null, json("{'a': 1}"))).isTrue();
  }

  @Test
  void nothingLiveMatchesOnlyAnEmptyDesire() {
    assertThat(DesiredMatcher.matches(json("{'a': 1}"), null)).isFalse();
    assertThat(DesiredMatcher.matches(json("{}"), null)).isTrue();
  }

  @Test
  void plainStringsThatAreNotQuantitiesCompareExactly() {
    assertThat(matches("{'policy': 'Retain'}", "{'policy': 'Delete'}")).isFalse();
    assertThat(matches("{'policy': 'Retain'}", "{'policy': 'Retain'}")).isTrue();
    assertThat(matches("{'type': 'ClusterIP'}", "{'type': 'clusterip'}")).isFalse();
  }
}
