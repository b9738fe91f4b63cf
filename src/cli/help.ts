export const HELP = `palisade: Kubernetes security platform: scan, admit, inventory and watch with one set of rules

Usage (each command also takes --help):

Manifests and clusters:
  palisade scan [PATH|-]... [options]   scan manifest files, directories or stdin (-)
  palisade scan --cluster [--context NAME] [--kubeconfig PATH] [-n NS]   scan the live cluster (or the in-cluster service account)
  palisade scan SNAPSHOT.json           scan a snapshot offline (same results as the live scan)
  palisade snapshot [--context NAME] [--kubeconfig PATH] [-n NS] -o FILE   save the cluster, Secret values removed

Least privilege and isolation:
  palisade rbac who-can VERB RESOURCE[/SUB] PATH... [-n NS]      who may do it, and the binding and role that grant it
  palisade rbac can SUBJECT VERB RESOURCE[/SUB] PATH... [-n NS]  whether a subject may do it, and why
  palisade rbac paths PATH... [--from SUBJECT]                   escalation paths from workloads to cluster-admin
  palisade netpol can-reach FROM TO [PATH|-]... [--port P[/PROTO]]   can FROM (pod, Kind/ns/name, IP/CIDR) reach TO, and why
  palisade netpol matrix [PATH|-]...     namespace-to-namespace reachability under NetworkPolicies
  palisade netpol exposure [PATH|-]...   workloads reachable from outside the cluster, with their paths

Admission:
  palisade webhook serve --cert FILE --key FILE [--policy FILE]   HTTPS admission webhook: /validate /mutate /healthz /readyz /metrics
  palisade webhook certs --out DIR [--namespace NS] [--san NAME]   CA and serving certificate for the webhook (no openssl needed)
  palisade webhook manifests --cert-dir DIR --image IMG@sha256:... --apiserver-cidr CIDR [--policy FILE]
                                        install manifests: Deployment, Service, policies, webhook configurations...
  palisade test DIR... [--format table|junit] [-o FILE]            offline admission policy tests (palisade-test.yaml)

Supply chain:
  palisade db import PATH... [--db PATH]          load OSV advisories (JSON directory, an ecosystem's all.zip, a JSON file)
  palisade db update [--ecosystem NAME]... [--mirror URL]   download OSV all.zip exports and import them incrementally
  palisade db status [--db PATH] [--format table|json]      sources, advisory counts and age of the database
  palisade scan-image IMAGE [options]   vulnerabilities of an image (registry ref, docker save archive, OCI layout)
  palisade scan-deps DIR [options]      vulnerabilities of a repository's dependencies (lockfiles, installed packages)
  palisade scan-sbom FILE [options]     vulnerabilities of the packages a CycloneDX or SPDX JSON SBOM lists
  palisade sbom TARGET [--format cyclonedx|spdx] [-o FILE]   SBOM of an image, docker archive, OCI layout, directory or SBOM file

Runtime:
  palisade watch [--listen HOST:PORT|--file PATH|-] [--rules FILE]...   detect attacks in Kubernetes audit events (Falco-compatible rules)
  palisade watch setup --url URL --ca-file PEM --token-file PATH        kube-apiserver audit webhook kubeconfig, audit policy and flags
  palisade watch validate RULES.yaml...  check Falco rules files for the k8s_audit source (file:line:col errors)
  palisade watch fields [--markdown]     fields of the detection rule language
  palisade ledger keygen [--name NAME] [--out PREFIX]   new Ed25519 key for signing alert-ledger checkpoints
  palisade ledger verify DIR --key FILE [--checkpoint FILE]   check an alert ledger; report where it was altered
  palisade ledger proof DIR ENTRY-INDEX [--size N]      inclusion proof of a ledger entry (JSON)
  palisade ledger consistency DIR SIZE1 [SIZE2]         consistency proof between two ledger sizes (JSON)
  palisade ledger repair DIR                            move a torn final write aside so the ledger opens again

Rules and docs:
  palisade rules [--framework ID] [--format table|json]
  palisade explain RULE-ID              a rule's description, remediation and examples
  palisade docs [--write|--check] [--dir DIR]   generate docs/rules/*.md from rule metadata
  palisade version

Scan options:
  -f, --format FORMAT        table (default), json, sarif, junit
  -o, --output FILE          write the report to FILE instead of stdout
      --framework ID         only rules mapped to: pss-baseline, pss-restricted, cis-k8s, nsa-cisa, mitre-attack
                             (repeatable)
      --rule ID              run this rule (repeatable; joins --framework selections)
      --skip-rule ID         do not run this rule (repeatable)
      --pss-version V        Pod Security Standards version, v1.0 to v1.37 or latest (default latest)
      --fail-on SEVERITY     exit 1 on findings at or above: critical, high, medium, low, info (default), none
      --config FILE          config file (default: .palisade.yaml found upward from the first path)
      --no-config            ignore config files
      --show-suppressed      list suppressed findings too
      --no-color             no colour even on a terminal (NO_COLOR is honoured too)

Cluster options (scan, snapshot):
      --cluster              read the live cluster
      --context NAME         kubeconfig context (default: current)
      --kubeconfig PATH      default: KUBECONFIG, ~/.kube/config, then in-cluster config
  -n, --namespace NS         one namespace's objects (cluster-scoped kinds still read)
      --include-owned        also check pods/ReplicaSets/Jobs whose controller is scanned
      --no-kubelet-config    do not read nodes/proxy/configz
      --page-size N          objects per LIST page (default 500)

Vulnerability scan options (scan-image, scan-deps, scan-sbom):
  -f, --format FORMAT        table (default), json, sarif, junit, cyclonedx (CycloneDX 1.6 VDR)
      --severity LIST        only these severities (comma-separated or repeated)
      --ignore-unfixed       leave out vulnerabilities without a published fix
      --vex FILE             OpenVEX or CycloneDX VEX; not_affected/fixed statements suppress (repeatable)
      --db PATH              advisory database (default PALISADE_DB, else $XDG_CACHE_HOME/palisade/vuln.db
                             or ~/.cache/palisade/vuln.db)
      --max-age DURATION     refuse an older database (default 7d); --offline uses it anyway

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above --fail-on,
            2 usage or config error, 3 runtime error or inputs that could not be scanned.
`;
