import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { findSecrets } from '../../src/image/index.ts';
import type { RedosProgress } from './secret-redos-worker.ts';

/** Generous: the whole corpus runs in well under a second when every pattern is linear. */
const TOTAL_BUDGET_MS = 2000;
/** When a worker is stuck this long it is terminated, so a backtracking pattern fails the test rather than hanging it. */
const HARD_LIMIT_MS = 30_000;

describe('secret rules on adversarial input', () => {
  it('every rule and the ENV/history scanner finish quickly on long runs, truncated tokens and 100 KB lines', async () => {
    const worker = new Worker(new URL('./secret-redos-worker.ts', import.meta.url));
    const timings: { label: string; ms: number }[] = [];
    let current = '(starting)';
    const outcome = await new Promise<'done' | 'stuck' | Error>((resolve) => {
      const timer = setTimeout(() => resolve('stuck'), HARD_LIMIT_MS);
      worker.on('message', (message: RedosProgress) => {
        if (message.type === 'start') current = message.label;
        else timings.push({ label: message.label, ms: message.ms ?? 0 });
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        resolve(error);
      });
      worker.on('exit', () => {
        clearTimeout(timer);
        resolve('done');
      });
    });
    await worker.terminate();
    if (outcome instanceof Error) throw outcome;
    assert.equal(outcome, 'done', `still running after ${HARD_LIMIT_MS} ms on: ${current}`);
    assert.ok(timings.length > 100, `only ${timings.length} inputs ran`);
    const total = timings.reduce((sum, timing) => sum + timing.ms, 0);
    const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5);
    assert.ok(
      total < TOTAL_BUDGET_MS,
      `${timings.length} inputs took ${Math.round(total)} ms; slowest: ${slowest.map((t) => `${t.label} ${Math.round(t.ms)} ms`).join('; ')}`,
    );
  });

  it('still finds a complete key block after a truncated one, and not the truncated one', () => {
    const body = `${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'}\n`.repeat(3);
    const text = [
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkq',
      '# (the key above was cut off.)',
      '-----BEGIN RSA PRIVATE KEY-----',
      body,
      '-----END RSA PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----',
      'MIIEvQIBADANBgkq',
    ].join('\n');
    const matches = findSecrets(text, 'notes.txt');
    assert.deepEqual(
      matches.map((match) => [match.rule.id, match.line, match.masked]),
      [['private-key', 4, 'MIIE****']],
    );
  });

  it('matches key blocks with encryption headers; an empty block does not swallow the next one', () => {
    const body = `${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'}\n`.repeat(2);
    const text = [
      '-----BEGIN RSA PRIVATE KEY-----',
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: DES-EDE3-CBC,0123456789ABCDEF',
      '',
      body,
      '-----END RSA PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----',
      '-----END PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      body,
      '-----END OPENSSH PRIVATE KEY-----',
    ].join('\n');
    assert.deepEqual(
      findSecrets(text, 'id_rsa').map((match) => [match.rule.id, match.line, match.masked]),
      [
        ['private-key', 1, 'Proc****'],
        ['private-key', 11, 'MIIE****'],
      ],
    );
  });
});
