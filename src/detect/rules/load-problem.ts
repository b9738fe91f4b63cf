// A problem found while loading or compiling rules files: always names the file, the line and what is wrong.

export interface RuleLoadProblem {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatProblem(problem: RuleLoadProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}`;
}
