// Palisade's public API: what other programs (and later Palisade's own servers) build on. Explicit named exports only.

export { buildScanReport, type ScanRequest } from './cli/scan-pipeline.ts';
export { type EngineOptions, type EngineResult, evaluate, evaluateObjects } from './core/engine.ts';
export { type ErrorCode, type LoadIssue, PalisadeError } from './core/errors.ts';
export type { ExceptionRule } from './core/exception.ts';
export type { Finding, PostureFinding, RuleError, Suppression } from './core/finding.ts';
export { Inventory, type InventoryEntry } from './core/inventory.ts';
export type { JsonPatchOperation } from './core/json-patch.ts';
export { applyPatch } from './core/json-patch.ts';
export {
  type FieldPath,
  formatPath,
  formatRef,
  type KubeObject,
  type ObjectRef,
  refOf,
} from './core/kube-object.ts';
export { type LabelSelector, matchesSelector } from './core/label-selector.ts';
export {
  type ContainerView,
  containersOf,
  type PodTemplateView,
  podTemplateOf,
  WORKLOAD_KINDS,
} from './core/pod-spec.ts';
export { LATEST_PSS_VERSION, type PssVersion, parsePssVersion } from './core/pss-version.ts';
export type { OutputOptions, ScanReport, ScanSummary } from './core/report.ts';
export {
  defineRule,
  type FrameworkId,
  type Rule,
  type RuleContext,
  type RuleDefinition,
  type Violation,
} from './core/rule.ts';
export { selectRules } from './core/rule-selection.ts';
export { effectiveSecurityContext } from './core/security-context.ts';
export { SEVERITIES, type Severity } from './core/severity.ts';
export type { Location, ObjectSource } from './core/source.ts';
export { frameworks } from './frameworks/index.ts';
export { loadConfigFile, type PalisadeConfig } from './inputs/config-loader.ts';
export {
  type LoadOptions,
  type LoadResult,
  loadManifests,
  loadManifestText,
} from './inputs/manifest-loader.ts';
export { OUTPUT_FORMATS, renderReport } from './outputs/index.ts';
export { builtinRules, findRule } from './rules/index.ts';
