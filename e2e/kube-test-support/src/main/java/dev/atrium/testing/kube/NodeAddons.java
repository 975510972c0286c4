package dev.atrium.testing.kube;

/**
 * What a real node's cluster runs before any Atrium component, as manifests: cluster DNS (CoreDNS behind the
 * kube-dns Service), the default StorageClass (local-path-provisioner, volumes as directories in the
 * node's work directory) and the front door (Traefik as the ingress controller of the default IngressClass,
 * on the node's ports 80 and 443). Images by digest from the site's registry; everything non-root where it
 * can be (the provisioner's helper pods run as root: they create and remove the volume directories on the
 * node).
 */
final class NodeAddons {

  static final String DNS_NAMESPACE = "kube-system";
  static final String DNS_DEPLOYMENT = "coredns";
  static final String STORAGE_NAMESPACE = "local-path-storage";
  static final String STORAGE_DEPLOYMENT = "local-path-provisioner";
  static final String STORAGE_CLASS = "local-path";
  static final String INGRESS_NAMESPACE = "atrium-ingress";
  static final String INGRESS_DEPLOYMENT = "ingress-controller";
  /** The default IngressClass: an Ingress without a class gets it when it is created (DefaultIngressClass). */
  public static final String INGRESS_CLASS = "atrium";

  private NodeAddons() {
  }

  /**
   * CoreDNS answering for cluster.local only: nothing is forwarded anywhere (an air-gapped site has no
   * upstream; a name outside the cluster fails at once instead of timing out). It listens on 1053 (no
   * capability to bind 53 as non-root); the kube-dns Service maps 53 to it.
   */
  static String coreDns(String image, String clusterDns) {
    return """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: coredns, namespace: kube-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: "system:coredns"}
        rules:
          - apiGroups: [""]
            resources: [endpoints, services, pods, namespaces]
            verbs: [list, watch]
          - apiGroups: [discovery.k8s.io]
            resources: [endpointslices]
            verbs: [list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: "system:coredns"}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
        subjects: [{kind: ServiceAccount, name: coredns, namespace: kube-system}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: coredns, namespace: kube-system}
        data:
          Corefile: |
            .:1053 {
                errors
                health :8080
                ready :8181
                kubernetes cluster.local in-addr.arpa ip6.arpa {
                    pods insecure
                    fallthrough in-addr.arpa ip6.arpa
                    ttl 5
                }
                cache 5
                loop
                reload
            }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
        spec:
          replicas: 1
          selector: {matchLabels: {k8s-app: kube-dns}}
          template:
            metadata: {labels: {k8s-app: kube-dns}}
            spec:
              serviceAccountName: coredns
              priorityClassName: system-cluster-critical
              dnsPolicy: Default
              securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: coredns
                  image: %1$s
                  args: ["-conf", "/etc/coredns/Corefile"]
                  ports:
                    - {name: dns, containerPort: 1053, protocol: UDP}
                    - {name: dns-tcp, containerPort: 1053, protocol: TCP}
                  resources:
                    requests: {cpu: 50m, memory: 40Mi}
                    limits: {memory: 128Mi}
                  securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                  readinessProbe: {httpGet: {path: /ready, port: 8181}, periodSeconds: 2}
                  livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10, failureThreshold: 5}
                  volumeMounts: [{name: config, mountPath: /etc/coredns, readOnly: true}]
              volumes: [{name: config, configMap: {name: coredns}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
        spec:
          clusterIP: %2$s
          selector: {k8s-app: kube-dns}
          ports:
            - {name: dns, port: 53, targetPort: 1053, protocol: UDP}
            - {name: dns-tcp, port: 53, targetPort: 1053, protocol: TCP}
        """.formatted(image, clusterDns);
  }

  /**
   * local-path-provisioner as the default StorageClass: a PersistentVolumeClaim gets a directory under
   * {@code volumesDir} on the node, made by a helper pod when the first pod using it is scheduled
   * (WaitForFirstConsumer) and removed when the claim goes (reclaim policy Delete, or Retain when the
   * claim asks for a class that retains).
   */
  static String localPath(String image, String helperImage, String volumesDir) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: local-path-storage}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: local-path-provisioner, namespace: local-path-storage}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: local-path-provisioner, namespace: local-path-storage}
        rules:
          - apiGroups: [""]
            resources: [pods]
            verbs: [get, list, watch, create, patch, update, delete]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: local-path-provisioner}
        rules:
          - apiGroups: [""]
            resources: [nodes, persistentvolumeclaims, configmaps, pods, pods/log]
            verbs: [get, list, watch]
          - apiGroups: [""]
            resources: [persistentvolumes]
            verbs: [get, list, watch, create, patch, update, delete]
          - apiGroups: [""]
            resources: [events]
            verbs: [create, patch]
          - apiGroups: [storage.k8s.io]
            resources: [storageclasses]
            verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: local-path-provisioner, namespace: local-path-storage}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: local-path-provisioner}
        subjects: [{kind: ServiceAccount, name: local-path-provisioner, namespace: local-path-storage}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: local-path-provisioner}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: local-path-provisioner}
        subjects: [{kind: ServiceAccount, name: local-path-provisioner, namespace: local-path-storage}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: local-path-config, namespace: local-path-storage}
        data:
          config.json: |-
            {"nodePathMap": [{"node": "DEFAULT_PATH_FOR_NON_LISTED_NODES", "paths": ["%3$s"]}]}
          setup: |-
            #!/bin/sh
            set -eu
            mkdir -m 0777 -p "$VOL_DIR"
          teardown: |-
            #!/bin/sh
            set -eu
            rm -rf "$VOL_DIR"
          helperPod.yaml: |-
            apiVersion: v1
            kind: Pod
            metadata:
              name: helper-pod
            spec:
              priorityClassName: system-node-critical
              tolerations:
                - {key: node.kubernetes.io/disk-pressure, operator: Exists, effect: NoSchedule}
              containers:
                - name: helper-pod
                  image: %2$s
                  imagePullPolicy: IfNotPresent
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: local-path-provisioner, namespace: local-path-storage}
        spec:
          replicas: 1
          selector: {matchLabels: {app: local-path-provisioner}}
          template:
            metadata: {labels: {app: local-path-provisioner}}
            spec:
              serviceAccountName: local-path-provisioner
              securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: local-path-provisioner
                  image: %1$s
                  args: [start, --config, /etc/config/config.json, --service-account-name, local-path-provisioner,
                         --helper-image, "%2$s"]
                  env:
                    - name: POD_NAMESPACE
                      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
                    - {name: CONFIG_MOUNT_PATH, value: /etc/config/}
                  resources:
                    requests: {cpu: 10m, memory: 32Mi}
                    limits: {memory: 128Mi}
                  securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                  volumeMounts: [{name: config, mountPath: /etc/config/}]
              volumes: [{name: config, configMap: {name: local-path-config}}]
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: local-path
          annotations: {storageclass.kubernetes.io/is-default-class: "true"}
        provisioner: rancher.io/local-path
        volumeBindingMode: WaitForFirstConsumer
        reclaimPolicy: Delete
        """.formatted(image, helperImage, volumesDir);
  }

  /**
   * Traefik watching every namespace's Ingresses of the IngressClass {@value #INGRESS_CLASS} (the cluster's
   * default), their Services' EndpointSlices and the Secrets their {@code tls} sections name. It listens on
   * 8000 (HTTP) and 8443 (HTTPS, the certificate picked by SNI from those Secrets) as non-root; the pod's
   * hostPorts 80 and 443 (the CNI portmap plugin) put them on the node's address, where a site's clients
   * would reach a node, and every Ingress's status names that address. Nothing is written to disk, no
   * version check or usage report leaves the cluster, and no access log (share links carry their token in
   * the path).
   */
  static String ingressController(String image, String nodeIp) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: atrium-ingress}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ingress-controller, namespace: atrium-ingress}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: "atrium:ingress-controller"}
        rules:
          - apiGroups: [""]
            resources: [services, secrets, nodes]
            verbs: [list, watch]
          - apiGroups: [discovery.k8s.io]
            resources: [endpointslices]
            verbs: [list, watch]
          - apiGroups: [networking.k8s.io]
            resources: [ingresses, ingressclasses]
            verbs: [list, watch]
          - apiGroups: [networking.k8s.io]
            resources: [ingresses/status]
            verbs: [update]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: "atrium:ingress-controller"}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "atrium:ingress-controller"}
        subjects: [{kind: ServiceAccount, name: ingress-controller, namespace: atrium-ingress}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: %3$s
          annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
        spec:
          controller: traefik.io/ingress-controller
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ingress-controller, namespace: atrium-ingress}
        spec:
          replicas: 1
          strategy: {type: Recreate}
          selector: {matchLabels: {app: ingress-controller}}
          template:
            metadata: {labels: {app: ingress-controller}}
            spec:
              serviceAccountName: ingress-controller
              priorityClassName: system-cluster-critical
              securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: traefik
                  image: %1$s
                  args:
                    - --global.checkNewVersion=false
                    - --global.sendAnonymousUsage=false
                    - --entryPoints.web.address=:8000
                    - --entryPoints.websecure.address=:8443
                    - --entryPoints.websecure.http.tls=true
                    - --entryPoints.traefik.address=:8080
                    - --ping=true
                    - --providers.kubernetesIngress=true
                    - --providers.kubernetesIngress.ingressEndpoint.ip=%2$s
                    - --log.level=INFO
                    - --log.noColor=true
                  ports:
                    - {name: web, containerPort: 8000, hostPort: 80, protocol: TCP}
                    - {name: websecure, containerPort: 8443, hostPort: 443, protocol: TCP}
                    - {name: traefik, containerPort: 8080, protocol: TCP}
                  resources:
                    requests: {cpu: 50m, memory: 64Mi}
                    limits: {memory: 256Mi}
                  securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                  readinessProbe: {httpGet: {path: /ping, port: 8080}, periodSeconds: 2}
                  livenessProbe: {httpGet: {path: /ping, port: 8080}, periodSeconds: 10, failureThreshold: 5}
                  volumeMounts: [{name: tmp, mountPath: /tmp}]
              volumes: [{name: tmp, emptyDir: {medium: Memory, sizeLimit: 16Mi}}]
        """.formatted(image, nodeIp, INGRESS_CLASS);
  }
}
