// Palisade's built-in detections, written in the same rule language as Falco's files (and loaded by the same
// loader). Each rule fires once per request (palisade.request.first_response), whichever response stages the audit
// policy logs. Tags carry the MITRE ATT&CK for Containers technique ids (checked against the framework list).
export const BUILTIN_RULES_FILE = 'palisade-builtin-rules.yaml';

export const BUILTIN_RULES_YAML = String.raw`
- list: pal_control_plane_users
  items: [system:apiserver, system:kube-controller-manager, system:kube-scheduler, system:kube-proxy, system:volume-scheduler]

# The service accounts kube-controller-manager's controllers run as (--use-service-account-credentials), by name:
# the user agent is whatever the client says, so kube-system:default with "kube-controller-manager/x" is no controller.
- list: pal_controller_service_accounts
  items: [
    system:serviceaccount:kube-system:attachdetach-controller, system:serviceaccount:kube-system:bootstrap-signer,
    system:serviceaccount:kube-system:certificate-controller, system:serviceaccount:kube-system:clusterrole-aggregation-controller,
    system:serviceaccount:kube-system:cronjob-controller, system:serviceaccount:kube-system:daemon-set-controller,
    system:serviceaccount:kube-system:deployment-controller, system:serviceaccount:kube-system:disruption-controller,
    system:serviceaccount:kube-system:endpoint-controller, system:serviceaccount:kube-system:endpointslice-controller,
    system:serviceaccount:kube-system:endpointslicemirroring-controller, system:serviceaccount:kube-system:ephemeral-volume-controller,
    system:serviceaccount:kube-system:expand-controller, system:serviceaccount:kube-system:generic-garbage-collector,
    system:serviceaccount:kube-system:horizontal-pod-autoscaler, system:serviceaccount:kube-system:job-controller,
    system:serviceaccount:kube-system:legacy-service-account-token-cleaner, system:serviceaccount:kube-system:namespace-controller,
    system:serviceaccount:kube-system:node-controller, system:serviceaccount:kube-system:persistent-volume-binder,
    system:serviceaccount:kube-system:pod-garbage-collector, system:serviceaccount:kube-system:pv-protection-controller,
    system:serviceaccount:kube-system:pvc-protection-controller, system:serviceaccount:kube-system:replicaset-controller,
    system:serviceaccount:kube-system:replication-controller, system:serviceaccount:kube-system:resourcequota-controller,
    system:serviceaccount:kube-system:root-ca-cert-publisher, system:serviceaccount:kube-system:route-controller,
    system:serviceaccount:kube-system:service-account-controller, system:serviceaccount:kube-system:service-cidrs-controller,
    system:serviceaccount:kube-system:service-controller, system:serviceaccount:kube-system:statefulset-controller,
    system:serviceaccount:kube-system:token-cleaner, system:serviceaccount:kube-system:ttl-after-finished-controller,
    system:serviceaccount:kube-system:ttl-controller, system:serviceaccount:kube-system:validatingadmissionpolicy-status-controller,
    system:serviceaccount:kube-system:selinux-warning-controller, system:serviceaccount:kube-system:volumeattributesclass-protection-controller
  ]

- macro: pal_control_plane
  condition: >
    (ka.user.name in (pal_control_plane_users) or ka.user.name startswith "system:node:" or
     ka.user.name in (pal_controller_service_accounts))

- macro: pal_request
  condition: palisade.request.first_response = true

- macro: pal_ok
  condition: ka.response.code startswith 2

- macro: pal_write
  condition: ka.verb in (create, update, patch)

- macro: pal_pod_spec_write
  condition: >
    ka.target.resource = pods and
    ((not ka.target.subresource exists and ka.verb = create) or
     (ka.target.subresource = ephemeralcontainers and ka.verb in (update, patch)))

- list: pal_health_endpoints
  items: [/healthz, /livez, /readyz, /version, /version/]

# kubectl adds ?timeout=32s to /version; the query string does not change the endpoint.
- macro: pal_health_endpoint
  condition: >
    (ka.uri in (pal_health_endpoints) or ka.uri startswith "/version?" or ka.uri startswith "/version/?" or
     ka.uri startswith "/healthz?" or ka.uri startswith "/livez?" or
     ka.uri startswith "/readyz?" or ka.uri startswith "/healthz/" or ka.uri startswith "/livez/" or ka.uri startswith "/readyz/")

- list: pal_sensitive_host_paths
  items: [/, /etc, /proc, /sys, /dev, /boot, /root, /home, /var/lib/kubelet, /var/lib/etcd, /etc/kubernetes, /var/lib/docker, /var/lib/containerd, /var/log]

- list: pal_dangerous_capabilities
  items: [ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, BPF, PERFMON, SYS_RAWIO, SYS_BOOT, MAC_ADMIN, MAC_OVERRIDE,
          CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_MODULE, CAP_DAC_READ_SEARCH, CAP_BPF]

- rule: Privileged Pod Created
  desc: A pod (or an ephemeral container added to one) runs a privileged container, which has every capability and the host's devices.
  condition: pal_request and pal_ok and pal_pod_spec_write and palisade.req.pod.privileged = true
  output: Privileged container in pod (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace subresource=%ka.target.subresource images=%ka.req.pod.containers.image)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1610, T1611]

- rule: Sensitive HostPath Mounted
  desc: A pod mounts a sensitive host directory (/, /etc, /proc, the kubelet's or etcd's state...), which exposes or lets it modify the node.
  condition: >
    pal_request and pal_ok and pal_pod_spec_write and
    (palisade.req.pod.hostpath intersects (pal_sensitive_host_paths) or palisade.req.pod.hostpath pmatch (/etc/kubernetes, /var/lib/kubelet, /var/lib/etcd, /root, /proc, /sys, /etc/shadow, /etc/sudoers, /etc/ssh, /var/lib/docker, /var/lib/containerd, /boot))
  output: Pod mounts sensitive host path (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace hostpaths=%palisade.req.pod.hostpath run_as_root=%palisade.req.pod.run_as_root images=%ka.req.pod.containers.image)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1611]

- rule: Container Runtime Socket Mounted
  desc: A pod mounts the container runtime's socket; whoever controls the pod controls every container on the node.
  condition: pal_request and pal_ok and pal_pod_spec_write and palisade.req.pod.runtime_socket exists
  output: Pod mounts container runtime socket (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace sockets=%palisade.req.pod.runtime_socket images=%ka.req.pod.containers.image)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1611, T1610]

- rule: Host Namespace Pod Created
  desc: A pod shares the node's network, PID or IPC namespace.
  condition: pal_request and pal_ok and pal_pod_spec_write and palisade.req.pod.host_namespaces exists
  output: Pod shares host namespaces (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace host_namespaces=%palisade.req.pod.host_namespaces images=%ka.req.pod.containers.image)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1611]

- rule: Dangerous Capabilities Added
  desc: A container adds a capability that allows escaping or attacking the node (SYS_ADMIN, NET_ADMIN, SYS_PTRACE...).
  condition: pal_request and pal_ok and pal_pod_spec_write and palisade.req.pod.added_capabilities intersects (pal_dangerous_capabilities)
  output: Pod adds dangerous capabilities (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace capabilities=%palisade.req.pod.added_capabilities)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1611]

- rule: Pod Denied By Pod Security Admission
  desc: Pod Security Admission refused a pod or an ephemeral container; someone tried to run something the namespace's policy forbids.
  condition: pal_request and ka.target.resource = pods and ka.response.code = 403 and jevt.value[/annotations/pod-security.kubernetes.io~1enforce-policy] exists
  output: Pod refused by Pod Security Admission (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace subresource=%ka.target.subresource policy=%jevt.value[/annotations/pod-security.kubernetes.io~1enforce-policy])
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_execution, T1610]

- rule: Pod Created In Kube Namespace By User
  desc: A user (not a controller) created a pod in kube-system or kube-public, where it can pass for a system component and where Pod Security is often exempt.
  condition: pal_request and pal_ok and ka.target.resource = pods and not ka.target.subresource exists and ka.verb = create and ka.target.namespace in (kube-system, kube-public) and not pal_control_plane
  output: Pod created in kube namespace by user (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace images=%ka.req.pod.containers.image)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_defense_evasion, T1036.005, T1610]

- rule: Pod Security Enforcement Weakened
  desc: A namespace's Pod Security enforce level was set to privileged, or removed (the namespace then falls back to the cluster's default, often privileged), by update, merge patch or JSON patch.
  condition: >
    pal_request and pal_ok and ka.target.resource = namespaces and pal_write and
    palisade.req.namespace.psa_enforce in (privileged, removed)
  output: Namespace Pod Security enforcement set to privileged or removed (user=%ka.user.name namespace=%ka.target.name verb=%ka.verb enforce=%palisade.req.namespace.psa_enforce)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_defense_evasion, T1562.001]

- macro: pal_exec_or_attach
  condition: ka.target.resource = pods and ka.target.subresource in (exec, attach) and ka.verb in (create, get)

- rule: Exec Into Pod
  desc: Someone ran a command in (exec) or attached to a container. Alerts even when the API server failed the request after authorizing it.
  condition: pal_request and pal_exec_or_attach and not pal_control_plane
  output: Exec/attach into pod (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace action=%ka.target.subresource container=%ka.uri.param[container] command=%ka.uri.param[command] stdin=%ka.uri.param[stdin] tty=%ka.uri.param[tty] code=%ka.response.code)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_execution, T1609]

- rule: Exec Into Privileged Or Host-Mounting Pod
  desc: Exec or attach into a pod known (from the event stream or a snapshot) to be privileged, to mount host paths or to share host namespaces; a shell there is a shell on the node.
  condition: >
    pal_request and pal_exec_or_attach and not pal_control_plane and
    (palisade.target.pod.privileged = true or palisade.target.pod.hostpath exists or palisade.target.pod.host_namespaces exists)
  output: Exec/attach into privileged or host-mounting pod (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace action=%ka.target.subresource command=%ka.uri.param[command] privileged=%palisade.target.pod.privileged hostpaths=%palisade.target.pod.hostpath host_namespaces=%palisade.target.pod.host_namespaces known_from=%palisade.target.pod.source)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, palisade, mitre_execution, T1609, T1611]

- rule: Port-Forward To Pod
  desc: Someone opened a port-forward tunnel to a pod, reaching it around Services and NetworkPolicies.
  condition: pal_request and ka.target.resource = pods and ka.target.subresource = portforward and not pal_control_plane
  output: Port-forward to pod (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace ports=%ka.uri.param[ports] code=%ka.response.code)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_execution, T1609]

- rule: Ephemeral Container Added
  desc: Someone added (or tried to add) an ephemeral debug container to a running pod.
  condition: pal_request and ka.target.resource = pods and ka.target.subresource = ephemeralcontainers and ka.verb in (update, patch) and not pal_control_plane
  output: Ephemeral container added to pod (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace images=%ka.req.pod.ephemeralContainers.image privileged=%palisade.req.pod.privileged code=%ka.response.code)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_execution, T1609, T1610]

- rule: Cluster-Wide Secret Listing
  desc: An identity listed or watched Secrets in every namespace at once.
  condition: pal_request and pal_ok and ka.target.resource = secrets and ka.verb in (list, watch) and not ka.target.namespace exists and not pal_control_plane
  output: Secrets listed across all namespaces (user=%ka.user.name impersonated=%ka.impuser.name verb=%ka.verb useragent=%ka.useragent)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1552.007]

# kube-apiserver names the object of a list/watch with a metadata.name field selector: that reads one Secret.
- macro: pal_read_one_object
  condition: (ka.verb = get or (ka.verb in (list, watch) and ka.target.name exists))

- rule: Secret Read By User
  desc: A user or workload identity read a Secret (get, or list/watch selecting it by name).
  condition: pal_request and pal_ok and ka.target.resource = secrets and pal_read_one_object and not pal_control_plane
  output: Secret read (user=%ka.user.name name=%ka.target.name ns=%ka.target.namespace)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1552.007]

- rule: Namespace Secrets Listed
  desc: An identity listed or watched every Secret of a namespace, which reads them all at once.
  condition: pal_request and pal_ok and ka.target.resource = secrets and ka.verb in (list, watch) and ka.target.namespace exists and not ka.target.name exists and not pal_control_plane
  output: Secrets of a namespace listed (user=%ka.user.name verb=%ka.verb ns=%ka.target.namespace useragent=%ka.useragent)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1552.007]

- rule: Forbidden Secret Access
  desc: An identity tried to read Secrets and was refused.
  condition: pal_request and ka.target.resource = secrets and ka.verb in (get, list, watch) and ka.response.code = 403
  output: Secret access forbidden (user=%ka.user.name verb=%ka.verb name=%ka.target.name ns=%ka.target.namespace reason=%ka.auth.reason)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1552.007]

- rule: Secret Read Burst
  desc: One identity read Secrets many times in a short window (threshold and window set by --secret-burst).
  condition: pal_request and palisade.user.secret_read_burst exists
  output: Burst of Secret reads (user=%ka.user.name reads=%palisade.user.secret_read_burst last=%ka.target.name ns=%ka.target.namespace)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1552.007, T1528]

- rule: Forbidden Request
  desc: An authenticated identity was refused by authorization (probing for what it may do).
  condition: pal_request and ka.auth.decision = forbid and not ka.target.resource = secrets and not ka.user.name = system:anonymous and not pal_control_plane
  output: Request forbidden (user=%ka.user.name verb=%ka.verb resource=%ka.target.resource ns=%ka.target.namespace uri=%ka.uri)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_discovery, T1613]

- rule: Permission Enumeration
  desc: An identity asked the API server what it may do (SelfSubjectRulesReview / SelfSubjectAccessReview, as kubectl auth can-i does).
  condition: pal_request and ka.target.resource in (selfsubjectrulesreviews, selfsubjectaccessreviews) and ka.verb = create and not pal_control_plane
  output: Permission enumeration (user=%ka.user.name resource=%ka.target.resource)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_discovery, T1069, T1613]

- rule: Anonymous Request Allowed
  desc: The anonymous user was allowed a request other than a health or version probe.
  condition: pal_request and ka.user.name = system:anonymous and ka.auth.decision = allow and not pal_health_endpoint
  output: Anonymous request allowed (verb=%ka.verb uri=%ka.uri reason=%ka.auth.reason sourceips=%ka.sourceips)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_initial_access, T1078.001]

- rule: Anonymous Health Probe Allowed
  desc: The anonymous user read a health or version endpoint (informational; disable anonymous auth to remove).
  condition: pal_request and ka.user.name = system:anonymous and ka.auth.decision = allow and pal_health_endpoint
  output: Anonymous health/version probe (uri=%ka.uri sourceips=%ka.sourceips)
  priority: INFO
  source: k8s_audit
  tags: [k8s, palisade, mitre_discovery, T1613]

- rule: Anonymous Request Denied
  desc: The anonymous user was refused (someone probing the API without credentials).
  condition: pal_request and ka.user.name = system:anonymous and ka.auth.decision = forbid and not pal_health_endpoint
  output: Anonymous request denied (verb=%ka.verb uri=%ka.uri sourceips=%ka.sourceips)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_discovery, T1613]

- rule: Authentication Failure
  desc: A request presented credentials the API server did not accept (401).
  condition: pal_request and ka.response.code = 401
  output: Authentication failed (uri=%ka.uri verb=%ka.verb sourceips=%ka.sourceips useragent=%ka.useragent)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1110]

- rule: Binding To Powerful Role Created
  desc: A (Cluster)RoleBinding grants a powerful role (cluster-admin, admin, edit, wildcard rules, Secret access, escalation verbs).
  condition: pal_request and pal_ok and ka.target.resource in (clusterrolebindings, rolebindings) and pal_write and palisade.binding.role_power exists and not pal_control_plane
  output: Binding to powerful role (user=%ka.user.name binding=%ka.target.name ns=%ka.target.namespace role=%ka.req.binding.role power=%palisade.binding.role_power subjects=%ka.req.binding.subjects)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_persistence, mitre_privilege_escalation, T1098.006]

- rule: Powerful Binding Used
  desc: An identity made its first request after a powerful binding to it was created (within --binding-window).
  condition: pal_request and palisade.user.recent_powerful_binding exists
  output: Newly bound powerful role used (user=%ka.user.name binding=%palisade.user.recent_powerful_binding verb=%ka.verb resource=%ka.target.resource ns=%ka.target.namespace)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1078, T1098.006]

- rule: Wildcard Role Created
  desc: A Role or ClusterRole grants every verb or every resource.
  condition: >
    pal_request and pal_ok and ka.target.resource in (roles, clusterroles) and pal_write and not pal_control_plane and
    (ka.req.role.rules.verbs intersects ("*") or ka.req.role.rules.resources intersects ("*"))
  output: Role with wildcard rules (user=%ka.user.name role=%ka.target.name ns=%ka.target.namespace rules=%ka.req.role.rules)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_persistence, T1098.006]

- rule: Secret Reader Role Created
  desc: A Role or ClusterRole grants reading Secrets.
  condition: >
    pal_request and pal_ok and ka.target.resource in (roles, clusterroles) and pal_write and not pal_control_plane and
    ka.req.role.rules.resources intersects (secrets) and ka.req.role.rules.verbs intersects (get, list, watch, "*")
  output: Role grants Secret reads (user=%ka.user.name role=%ka.target.name ns=%ka.target.namespace rules=%ka.req.role.rules)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1098.006, T1552.007]

- macro: pal_token_request
  condition: ka.target.resource = serviceaccounts and ka.target.subresource = token and ka.verb = create and not pal_control_plane

- rule: Token Requested For Powerful ServiceAccount
  desc: Someone other than a node or the control plane minted a token for a ServiceAccount bound to a powerful role.
  condition: pal_request and pal_ok and pal_token_request and palisade.sa.power exists
  output: Token minted for powerful ServiceAccount (user=%ka.user.name serviceaccount=%ka.target.namespace/%ka.target.name power=%palisade.sa.power)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1528, T1550.001]

- rule: ServiceAccount Token Requested By User
  desc: Someone other than a node or the control plane minted a ServiceAccount token (its power is unknown to Palisade; give --snapshot to know it).
  condition: pal_request and pal_ok and pal_token_request and not palisade.sa.power exists
  output: ServiceAccount token minted (user=%ka.user.name serviceaccount=%ka.target.namespace/%ka.target.name)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1528]

- rule: ServiceAccount Token Used Outside A Pod
  desc: A ServiceAccount token not bound to a pod was used by an interactive client (kubectl, curl, scripts), so a stolen or minted token is in someone's hands.
  condition: >
    pal_request and ka.user.name startswith "system:serviceaccount:" and not pal_control_plane and
    not jevt.value[/user/extra/authentication.kubernetes.io~1pod-name] exists and
    (ka.useragent startswith kubectl or ka.useragent startswith curl/ or ka.useragent startswith python-requests or ka.useragent startswith Wget or ka.useragent startswith PostmanRuntime)
  output: ServiceAccount token used by interactive client (user=%ka.user.name useragent=%ka.useragent verb=%ka.verb uri=%ka.uri sourceips=%ka.sourceips)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_lateral_movement, T1550.001, T1078]

- rule: Impersonation Of Privileged Group
  desc: A request impersonated system:masters (or another all-powerful identity).
  condition: pal_request and (palisade.impuser.groups intersects (system:masters) or ka.impuser.name in (system:admin, cluster-admin, system:apiserver, system:kube-controller-manager))
  output: Impersonation of privileged identity (user=%ka.user.name impersonated=%ka.impuser.name groups=%palisade.impuser.groups verb=%ka.verb uri=%ka.uri)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1078]

- rule: User Impersonation
  desc: A request was made while impersonating another user or ServiceAccount.
  condition: pal_request and ka.impuser.name exists and not pal_control_plane
  output: Request with impersonation (user=%ka.user.name impersonated=%ka.impuser.name verb=%ka.verb uri=%ka.uri code=%ka.response.code)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_privilege_escalation, T1078]

- rule: CSR Approved By Its Requester
  desc: A CertificateSigningRequest was approved by the same identity that requested it, minting itself a client certificate.
  condition: >
    pal_request and pal_ok and ka.target.resource = certificatesigningrequests and ka.target.subresource = approval and
    pal_write and ka.user.name = val(jevt.value[/responseObject/spec/username])
  output: CSR approved by its own requester (user=%ka.user.name csr=%ka.target.name signer=%jevt.value[/responseObject/spec/signerName])
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_persistence, T1136.001, T1550.001]

- rule: NodePort Service Created
  desc: A Service was exposed on every node's address (type NodePort).
  condition: pal_request and pal_ok and ka.target.resource = services and pal_write and ka.req.service.type = NodePort
  output: NodePort Service (user=%ka.user.name service=%ka.target.name ns=%ka.target.namespace ports=%ka.req.service.ports)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_initial_access, T1133]

- rule: LoadBalancer Service Created
  desc: A Service was exposed through an external load balancer.
  condition: pal_request and pal_ok and ka.target.resource = services and pal_write and ka.req.service.type = LoadBalancer
  output: LoadBalancer Service (user=%ka.user.name service=%ka.target.name ns=%ka.target.namespace ports=%ka.req.service.ports)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_initial_access, T1133]

- rule: ConfigMap With Credentials
  desc: A ConfigMap (readable far more widely than a Secret) holds what looks like a credential.
  condition: >
    pal_request and pal_ok and ka.target.resource = configmaps and pal_write and
    (palisade.req.configmap.data icontains aws_access_key_id or palisade.req.configmap.data icontains aws_secret_access_key or
     palisade.req.configmap.data icontains aws-access-key-id or palisade.req.configmap.data icontains password or
     palisade.req.configmap.data icontains passphrase or palisade.req.configmap.data icontains "private key" or
     palisade.req.configmap.data icontains api_key or palisade.req.configmap.data regex "[\\s\\S]*(AKIA|ASIA)[0-9A-Z]{16}[\\s\\S]*")
  output: ConfigMap holds credentials (user=%ka.user.name configmap=%ka.target.name ns=%ka.target.namespace verb=%ka.verb)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_credential_access, T1552.001]

- rule: Events Deleted
  desc: Kubernetes Events were deleted by someone other than the control plane (covering tracks).
  condition: pal_request and pal_ok and ka.target.resource = events and ka.verb in (delete, deletecollection) and not pal_control_plane
  output: Events deleted (user=%ka.user.name event=%ka.target.name ns=%ka.target.namespace verb=%ka.verb)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_defense_evasion, T1070]

- rule: Audit Configuration Deleted
  desc: An audit-related object (AuditSink, or an object named for audit or Falco/Palisade) was deleted.
  condition: >
    pal_request and pal_ok and ka.verb in (delete, deletecollection) and not pal_control_plane and
    (ka.target.resource = auditsinks or ka.target.name icontains audit or ka.target.name icontains falco or ka.target.name icontains palisade)
  output: Audit-related object deleted (user=%ka.user.name resource=%ka.target.resource name=%ka.target.name ns=%ka.target.namespace)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_defense_evasion, T1562.001, T1070]

- rule: Admission Webhook Deleted
  desc: A validating or mutating admission webhook (or admission policy) was deleted, removing a guard.
  condition: >
    pal_request and pal_ok and ka.verb in (delete, deletecollection) and not pal_control_plane and
    ka.target.resource in (validatingwebhookconfigurations, mutatingwebhookconfigurations, validatingadmissionpolicies, validatingadmissionpolicybindings)
  output: Admission control removed (user=%ka.user.name resource=%ka.target.resource name=%ka.target.name)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_defense_evasion, T1562.001]

- rule: Admission Webhook Created Or Changed
  desc: A validating or mutating admission webhook was created or changed; webhooks see (and may alter) every matching request.
  condition: >
    pal_request and pal_ok and pal_write and not pal_control_plane and
    ka.target.resource in (validatingwebhookconfigurations, mutatingwebhookconfigurations)
  output: Admission webhook written (user=%ka.user.name resource=%ka.target.resource name=%ka.target.name verb=%ka.verb)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, palisade, mitre_defense_evasion, T1562.001]

- rule: Pod Force-Deleted
  desc: A pod was deleted with a zero grace period, skipping its shutdown (and often its evidence).
  condition: >
    pal_request and pal_ok and ka.target.resource = pods and not ka.target.subresource exists and ka.verb = delete and not pal_control_plane and
    (jevt.value[/requestObject/gracePeriodSeconds] = 0 or ka.uri.param[gracePeriodSeconds] = 0)
  output: Pod force-deleted (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_defense_evasion, T1070]

- rule: Request From Unexpected Source IP
  desc: A request came from outside the configured source ranges (--allowed-sources).
  condition: pal_request and palisade.source_ip.unexpected exists
  output: Request from unexpected source (user=%ka.user.name source=%palisade.source_ip.unexpected verb=%ka.verb uri=%ka.uri)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, palisade, mitre_initial_access, T1078, T1133]
`;
