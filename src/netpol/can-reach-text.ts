// The can-reach answer as text for a terminal: the verdict first, then why, direction by direction.
import type { CanReachAnswer, CanReachVerdict, DirectionView, ReachView } from './can-reach-answer.ts';

function directionLines(view: DirectionView): string[] {
  const title = view.direction === 'egress' ? `Egress of ${view.subject}` : `Ingress of ${view.subject}`;
  const lines = [`  ${title}: ${view.explanation}`];
  if (view.isolated) lines.push(`    selected by: ${view.policies.join(', ')}`);
  for (const grant of view.grants) {
    const condition = grant.condition === undefined ? '' : ` (${grant.condition})`;
    lines.push(`    allowed by ${grant.policy} ${grant.rule}: ${grant.connections}${condition}`);
    if (grant.note) lines.push(`      note: ${grant.note}`);
  }
  for (const miss of view.notAdmittedBy) lines.push(`    not by ${miss.policy} ${miss.rule}: ${miss.reason}`);
  for (const note of view.notes) lines.push(`    note: ${note}`);
  return lines;
}

const VERDICT_TEXT: Record<CanReachVerdict, string> = {
  reachable: 'REACHABLE',
  unreachable: 'NOT REACHABLE',
  'node-dependent': 'DEPENDS ON THE NODE ADDRESS',
};

function answerLines(answer: ReachView, port: string | undefined): string[] {
  const head = answer.addresses === undefined ? '' : `${answer.addresses}: `;
  const on = port === undefined ? '' : ` on ${port}`;
  const more =
    answer.nodeDependent === undefined
      ? ''
      : `; if the node address matches: ${answer.nodeDependent.allowed}`;
  const lines = [`${head}${VERDICT_TEXT[answer.verdict]}${on} (allowed: ${answer.allowed}${more})`];
  if (answer.note !== undefined) lines.push(`  note: ${answer.note}`);
  if (answer.egress) lines.push(...directionLines(answer.egress));
  if (answer.ingress) lines.push(...directionLines(answer.ingress));
  return lines;
}

export function renderCanReachText(answer: CanReachAnswer): string {
  const lines = [`From: ${answer.from}`, `To:   ${answer.to}`];
  if (answer.port !== undefined) lines.push(`Port: ${answer.port}`);
  lines.push('');
  answer.answers.forEach((item, index) => {
    if (index > 0) lines.push('');
    lines.push(...answerLines(item, answer.port));
  });
  if (answer.answers.length > 1)
    lines.push(
      '',
      answer.reachable
        ? 'REACHABLE for part of the range at least: see each piece above'
        : `${VERDICT_TEXT[answer.verdict]} for any part of the range: see each piece above`,
    );
  return `${lines.join('\n')}\n`;
}
