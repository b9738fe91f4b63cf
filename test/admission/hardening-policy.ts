// The policy the webhook benchmark and the hostile-review test run: Pod Security "restricted" enforced, the
// NSA/CISA and CIS hardening rules warned, `latest` images warned, and four fixes applied by /mutate.
export const HARDENING_POLICY = `apiVersion: palisade.dev/v1alpha1
kind: AdmissionPolicy
defaults:
  enforce: { level: restricted }
  warn: { frameworks: [nsa-cisa, cis-k8s] }
images:
  disallowLatest: warn
mutation:
  rules: [seccomp-profile-required, privilege-escalation, capabilities-drop-all, service-account-token-automounted]
`;
