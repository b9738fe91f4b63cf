// Pod Security Admission conformance through `palisade scan` itself: one scan per <level>/<version>/<pass|fail>
// directory of the Kubernetes project's own fixtures; every fail file needs a finding, every pass file none.
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { runPalisade } from '../cli/cli-harness.ts';

export interface ConformanceResult {
  total: number;
  agree: number;
  disagreements: string[];
}

interface JsonFinding {
  ruleId: string;
  message: string;
  location: { file: string };
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export async function runPsaConformance(fixturesRoot: string): Promise<ConformanceResult> {
  const result: ConformanceResult = { total: 0, agree: 0, disagreements: [] };
  for (const level of ['baseline', 'restricted']) {
    for (const version of await subdirectories(join(fixturesRoot, level))) {
      for (const expected of ['pass', 'fail'] as const) {
        const dir = join(fixturesRoot, level, version, expected);
        const files = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.yaml')).sort();
        if (files.length === 0) continue;
        const args = ['scan', dir, '--framework', `pss-${level}`, '--pss-version', version];
        const run = await runPalisade([...args, '--format', 'json', '--no-config', '--fail-on', 'none']);
        const report = JSON.parse(run.stdout) as {
          findings: JsonFinding[];
          loadIssues: unknown[];
          errors: unknown[];
        };
        if (report.loadIssues.length > 0 || report.errors.length > 0)
          result.disagreements.push(
            `${dir}: scan problems ${JSON.stringify([report.loadIssues, report.errors])}`,
          );
        const byFile = new Map<string, string[]>();
        for (const finding of report.findings) {
          const name = basename(finding.location.file);
          byFile.set(name, [...(byFile.get(name) ?? []), `${finding.ruleId}: ${finding.message}`]);
        }
        for (const file of files) {
          result.total++;
          const findings = byFile.get(file) ?? [];
          if (findings.length > 0 === (expected === 'fail')) result.agree++;
          else
            result.disagreements.push(
              `${level}/${version}/${expected}/${file}: ${findings.length === 0 ? 'no finding' : findings.join('; ')}`,
            );
        }
      }
    }
  }
  return result;
}
