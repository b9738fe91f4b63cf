// Pod Security Admission's namespace labels, read the way PSA's PolicyToEvaluate reads them: each label sets only
// its own half of a mode (`pod-security.kubernetes.io/<mode>` the level, `<mode>-version` the version), and the
// other half stays the policy default's. An invalid enforce level fails closed (restricted); an invalid warn or
// audit level fails open (privileged). An invalid version is read as latest, as PSA's ParseVersion does; so is a
// `v1.N` newer than Palisade knows.
import { LATEST_PSS_VERSION, parsePssVersion } from '../core/pss-version.ts';
import {
  ADMISSION_MODES,
  type AdmissionMode,
  type ModeSpecs,
  PSS_LEVELS,
  type PssLevel,
  type RuleSetSpec,
} from './policy-config.ts';

export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
/** versionRegexp of k8s.io/pod-security-admission/api/helpers.go. */
const PSA_VERSION = /^v1\.(?:[0-9]|[1-9][0-9]*)$/;

export interface LabelledModes {
  /** Per mode, only what its labels set: a level, a version, or both. */
  modes: ModeSpecs;
  notes: string[];
}

/** Enforce fails closed on a level it cannot read; warn and audit fail open, so a typo never blocks more. */
const INVALID_LEVEL_FALLBACK: Record<AdmissionMode, PssLevel> = {
  enforce: 'restricted',
  warn: 'privileged',
  audit: 'privileged',
};

export function modesFromNamespaceLabels(labels: Readonly<Record<string, string>>): LabelledModes {
  const modes: ModeSpecs = {};
  const notes: string[] = [];
  for (const mode of ADMISSION_MODES) {
    const levelLabel = `${PSA_LABEL_PREFIX}${mode}`;
    const versionLabel = `${levelLabel}-version`;
    const levelText = labels[levelLabel];
    const versionText = labels[versionLabel];
    const spec: RuleSetSpec = {};
    if (levelText !== undefined) {
      if ((PSS_LEVELS as readonly string[]).includes(levelText)) spec.level = levelText as PssLevel;
      else {
        spec.level = INVALID_LEVEL_FALLBACK[mode];
        notes.push(`namespace label ${levelLabel}="${levelText}" is invalid; using ${spec.level}`);
      }
    }
    if (versionText !== undefined) {
      spec.version = 'latest';
      try {
        // PSA's own pattern, stricter than a policy file's: `1.24`, `v1.024` or ` v1.24` are invalid labels.
        if (versionText !== 'latest' && !PSA_VERSION.test(versionText)) throw new Error('invalid');
        spec.version = parsePssVersion(versionText).label;
      } catch {
        const newer = PSA_VERSION.test(versionText);
        notes.push(
          newer
            ? `namespace label ${versionLabel}="${versionText}" is newer than ${LATEST_PSS_VERSION}; using latest`
            : `namespace label ${versionLabel}="${versionText}" is invalid; using latest`,
        );
      }
    }
    if (spec.level !== undefined || spec.version !== undefined) modes[mode] = spec;
  }
  return { modes, notes };
}
