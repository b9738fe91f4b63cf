// Pod Security Admission's namespace labels, read the way PSA reads them: `pod-security.kubernetes.io/<mode>` is
// a level and `<mode>-version` a version. An invalid level fails closed (restricted). An invalid version is read
// as latest and leaves the level alone, as PSA's ParseVersion does; so is a `v1.N` newer than Palisade knows.
import { LATEST_PSS_VERSION, parsePssVersion } from '../core/pss-version.ts';
import { ADMISSION_MODES, type ModeSpecs, PSS_LEVELS, type PssLevel } from './policy-config.ts';

export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';

export interface LabelledModes {
  modes: ModeSpecs;
  notes: string[];
}

export function modesFromNamespaceLabels(labels: Readonly<Record<string, string>>): LabelledModes {
  const modes: ModeSpecs = {};
  const notes: string[] = [];
  for (const mode of ADMISSION_MODES) {
    const levelText = labels[`${PSA_LABEL_PREFIX}${mode}`];
    const versionText = labels[`${PSA_LABEL_PREFIX}${mode}-version`];
    if (levelText === undefined) continue;
    let level: PssLevel = 'restricted';
    let version = 'latest';
    if ((PSS_LEVELS as readonly string[]).includes(levelText)) level = levelText as PssLevel;
    else notes.push(`namespace label ${PSA_LABEL_PREFIX}${mode}="${levelText}" is invalid; using restricted`);
    if (versionText !== undefined)
      try {
        version = parsePssVersion(versionText).label;
      } catch {
        const newer = /^v1\.\d+$/.test(versionText);
        notes.push(
          newer
            ? `namespace label ${PSA_LABEL_PREFIX}${mode}-version="${versionText}" is newer than ${LATEST_PSS_VERSION}; using latest`
            : `namespace label ${PSA_LABEL_PREFIX}${mode}-version="${versionText}" is invalid; using latest`,
        );
      }
    modes[mode] = { level, version };
  }
  return { modes, notes };
}
