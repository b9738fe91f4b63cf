import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalOption, wholeNumberOption } from './number-options.ts';

test('whole numbers are plain digits within their bounds: no hex, exponent, spaces, fraction or lost digits', () => {
  assert.equal(wholeNumberOption('3', '--replicas', 1, 100), 3);
  assert.equal(wholeNumberOption('100', '--replicas', 1, 100), 100);
  for (const text of [
    '0x3',
    '1e2',
    ' 3',
    '3 ',
    '3.0',
    '03',
    '-1',
    '',
    '0',
    '101',
    '+3',
    '99999999999999999999',
  ])
    assert.throws(
      () =>
        wholeNumberOption(
          text,
          '--replicas',
          1,
          text === '99999999999999999999' ? Number.MAX_SAFE_INTEGER : 100,
        ),
      /--replicas must be a whole number from 1 to/,
      JSON.stringify(text),
    );
});

test('decimals take a fraction but nothing else, and can exclude their lower bound', () => {
  assert.equal(decimalOption('0.5', '--reload-interval', 0, 3600, true), 0.5);
  assert.equal(decimalOption('0', '--shutdown-delay', 0, 600), 0);
  assert.throws(() => decimalOption('0', '--reload-interval', 0, 3600, true), /above 0 and at most 3600/);
  for (const text of ['1e3', '0x10', '.5', '5.', ' 1', 'NaN', 'Infinity', '601'])
    assert.throws(
      () => decimalOption(text, '--shutdown-delay', 0, 600),
      /from 0 to 600/,
      JSON.stringify(text),
    );
});
