export const HELP = `palisade: Kubernetes security scanner

Usage:
  palisade scan [PATH|-]... [options]   scan manifest files, directories or stdin (-)
  palisade rules [--framework ID] [--format table|json]
  palisade explain RULE-ID              a rule's description, remediation and examples
  palisade docs [--write|--check] [--dir DIR]   generate docs/rules/*.md from rule metadata
  palisade netpol can-reach FROM TO [PATH|-]... [--port P[/PROTO]]   can FROM (pod, Kind/ns/name, IP/CIDR) reach TO, and why
  palisade netpol matrix [PATH|-]...     namespace-to-namespace reachability under NetworkPolicies
  palisade netpol exposure [PATH|-]...   workloads reachable from outside the cluster, with their paths
  palisade ledger keygen [--name NAME] [--out PREFIX]   new Ed25519 key for signing alert-ledger checkpoints
  palisade ledger verify DIR --key FILE [--checkpoint FILE]   check an alert ledger; report where it was altered
  palisade ledger proof DIR ENTRY-INDEX [--size N]      inclusion proof of a ledger entry (JSON)
  palisade ledger consistency DIR SIZE1 [SIZE2]         consistency proof between two ledger sizes (JSON)
  palisade ledger repair DIR                            move a torn final write aside so the ledger opens again
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

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above --fail-on,
            2 usage or config error, 3 runtime error or inputs that could not be scanned.
`;
