package dev.atrium.install;

import dev.atrium.operator.Main;
import dev.atrium.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator as a Helm release runs it, in the test JVM: the settings are the env of the
 * Deployment the chart created, and every request carries a token of the chart's ServiceAccount,
 * so the API server authorizes it with exactly the chart's RBAC. (KWOK runs no containers, so the
 * image itself is not what runs here.)
 */
final class InstalledOperator implements AutoCloseable {

  private final String namespace;
  private final String serviceAccount;
  private final Map<String, String> env;
  private final Config config;
  private final List<Main.Replica> replicas = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  InstalledOperator(KubernetesClient admin, String namespace, String deploymentName) {
    this.namespace = namespace;
    Deployment deployment = admin.apps().deployments().inNamespace(namespace).withName(deploymentName).require();
    this.serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    this.env = envOf(deployment, namespace);
    TokenRequest request = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build());
    Config adminConfig = admin.getConfiguration();
    // only the API server's address and CA from the admin's kubeconfig; the identity is the token's
    this.config = new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertData(adminConfig.getCaCertData())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withOauthToken(request.getStatus().getToken())
        .withNamespace(namespace)
        .build();
  }

  /** The user name the API server knows the operator by (as audit logs and RBAC name it). */
  String userName() {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount;
  }

  Map<String, String> env() {
    return env;
  }

  /** Starts one more replica, as one more pod of the Deployment would. */
  Main.Replica startReplica() {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    clients.add(client);
    Map<String, String> replicaEnv = new HashMap<>(env);
    replicaEnv.put("ATRIUM_HTTP_PORT", "0"); // pods have a port each; replicas in one JVM need free ports
    Main.Replica replica = Main.launch(client, OperatorConfig.fromEnvironment(replicaEnv), () -> { });
    replicas.add(replica);
    return replica;
  }

  List<Main.Replica> replicas() {
    return replicas;
  }

  static int status(Main.Replica replica, String path) {
    return get(replica, path).statusCode();
  }

  static String metrics(Main.Replica replica) {
    return get(replica, "/metrics").body();
  }

  private static HttpResponse<String> get(Main.Replica replica, String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.http().port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops every replica (their watches end, so the audit log has them) and closes their clients. */
  @Override
  public void close() {
    replicas.forEach(Main.Replica::close);
    replicas.clear();
    clients.forEach(KubernetesClient::close);
    clients.clear();
  }

  private static Map<String, String> envOf(Deployment deployment, String namespace) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(var.getName(), namespace);
      } else if (var.getValueFrom() == null) {
        env.put(var.getName(), ""); // the API server stores value: "" as no value
      } else {
        throw new AssertionError("the test does not know how to resolve env " + var.getName());
      }
    }
    return env;
  }
}
