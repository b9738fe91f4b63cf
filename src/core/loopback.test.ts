// Loopback hosts as the components judge them (Go's net.IP.IsLoopback, and the name localhost).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback } from './loopback.ts';

test('loopback in any spelling; nothing else', () => {
  const loopback = [
    'localhost',
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '[::FFFF:7F00:1]',
  ];
  const not = [
    '0.0.0.0',
    '::',
    '10.0.0.1',
    '::ffff:10.0.0.1',
    '::2',
    'localhost.example.com',
    '',
    'fe80::1%eth0',
  ];
  assert.deepEqual(
    loopback.filter((host) => !isLoopback(host)),
    [],
  );
  assert.deepEqual(not.filter(isLoopback), []);
});
