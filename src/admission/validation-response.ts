// Turns rule results into the AdmissionResponse users see: a 403 whose message names rule, container and field;
// warnings of at most 120 characters; audit annotations summarising every mode.
import type { PostureFinding, RuleError } from '../core/finding.ts';
import { type KubeObject, scalarText } from '../core/kube-object.ts';
import { type AdmissionResponse, clampWarning, MAX_WARNINGS } from './admission-response.ts';
import type { AdmissionRequest } from './admission-review.ts';
import type { AdmissionMode, FailureMode } from './policy-config.ts';
import type { RuleResult } from './validation-decision.ts';

/** The API server caps the status message shown to users; ours stays well under it. */
const MAX_MESSAGE_LENGTH = 4000;
const MAX_ANNOTATION_LENGTH = 1000;

export interface ResponseInput {
  request: AdmissionRequest;
  object: KubeObject;
  results: readonly RuleResult[];
  errors: readonly RuleError[];
  failureMode: FailureMode;
  notes: readonly string[];
}

/** Findings by mode, in result order, in one pass over the results. */
function findingsByMode(results: readonly RuleResult[]): Record<AdmissionMode, PostureFinding[]> {
  const byMode: Record<AdmissionMode, PostureFinding[]> = { enforce: [], warn: [], audit: [] };
  for (const result of results) if (result.findings.length > 0) byMode[result.mode].push(...result.findings);
  return byMode;
}

function fieldOf(finding: PostureFinding): string {
  return finding.location.path === '' ? '' : ` (${finding.location.path})`;
}

function objectName(request: AdmissionRequest, object: KubeObject): string {
  const name =
    request.name ?? scalarText(object.metadata.name) ?? `${scalarText(object.metadata.generateName) ?? ''}*`;
  return `${object.kind} "${name}"${request.namespace ? ` in namespace "${request.namespace}"` : ''}`;
}

/** `rule(container),rule,...`, each once, in finding order. */
function summary(findings: readonly PostureFinding[]): string {
  let text = '';
  const seen = new Set<string>();
  let previous: PostureFinding | undefined;
  for (const finding of findings) {
    // A rule's findings are adjacent: a repeat of the one before is skipped without building its text.
    if (previous?.ruleId === finding.ruleId && previous.container === finding.container) continue;
    previous = finding;
    const part = finding.container ? `${finding.ruleId}(${finding.container})` : finding.ruleId;
    if (seen.has(part)) continue;
    seen.add(part);
    text = text === '' ? part : `${text},${part}`;
    // What follows would be cut off.
    if (text.length > MAX_ANNOTATION_LENGTH) break;
  }
  return text.length > MAX_ANNOTATION_LENGTH ? `${text.slice(0, MAX_ANNOTATION_LENGTH - 3)}...` : text;
}

export function buildValidationResponse(input: ResponseInput): AdmissionResponse {
  const { request } = input;
  const { enforce: enforced, warn: warned, audit: audited } = findingsByMode(input.results);
  const response: AdmissionResponse = { uid: request.uid, allowed: enforced.length === 0 };
  const annotations: Record<string, string> = {};
  const warnings: string[] = [...input.notes];

  if (enforced.length > 0) {
    const reasons = enforced.map((finding) => `${finding.ruleId}: ${finding.message}${fieldOf(finding)}`);
    let message = `${objectName(request, input.object)} is forbidden by Palisade policy: ${reasons.join('; ')}`;
    if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH - 3)}...`;
    response.status = { code: 403, reason: 'Forbidden', message };
    annotations['enforce-violations'] = summary(enforced);
  }
  if (input.errors.length > 0) {
    const failed = [...new Set(input.errors.map((error) => error.ruleId))].join(', ');
    annotations['rule-errors'] = failed;
    if (input.failureMode === 'deny') {
      response.allowed = false;
      response.status = {
        code: 500,
        reason: 'InternalError',
        message: `${objectName(request, input.object)}: Palisade could not evaluate rule(s) ${failed}; denied by failure mode deny`,
      };
    } else warnings.push(`Palisade could not evaluate rule(s) ${failed}; allowed by failure mode allow`);
  }
  // A denied request carries no warn-mode warnings, as Pod Security Admission adds none to a request it rejects
  // (the recorded API server shows the error alone): the user fixes what is enforced first. The annotation below
  // still records them. Only the warnings that will be shown are built; the count of the rest is reported.
  const shownWarned = response.allowed ? warned : [];
  const room = Math.max(0, MAX_WARNINGS + 1 - warnings.length);
  for (const finding of shownWarned.slice(0, room)) warnings.push(`${finding.ruleId}: ${finding.message}`);
  const hidden = shownWarned.length - Math.min(room, shownWarned.length);
  if (warned.length > 0) annotations['warn-violations'] = summary(warned);
  if (audited.length > 0) annotations['audit-violations'] = summary(audited);
  annotations.decision = response.allowed ? 'allowed' : 'denied';

  if (warnings.length > 0) {
    const total = warnings.length + hidden;
    const shown = warnings.slice(0, MAX_WARNINGS).map(clampWarning);
    if (total > MAX_WARNINGS) shown[MAX_WARNINGS - 1] = `...and ${total - MAX_WARNINGS + 1} more`;
    response.warnings = shown;
  }
  response.auditAnnotations = annotations;
  return response;
}
