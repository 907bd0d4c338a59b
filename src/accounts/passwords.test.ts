import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceBusyError } from '../platform/http/index.ts';
import { hashPassword, HASHES_AT_ONCE, HASHES_WAITING, verifyPassword } from './passwords.ts';

describe('password hashing under a flood', () => {
  it('runs a few hashes at a time, queues a few more, and refuses the rest at once with a wait to retry after', async () => {
    const hash = await hashPassword('the right password');
    const attempts = 40;
    const outcomes = await Promise.allSettled(Array.from({ length: attempts }, (_, i) => verifyPassword(i % 2 === 0 ? hash : null, `wrong password ${i}`)));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(refused.length, attempts - HASHES_AT_ONCE - HASHES_WAITING, 'beyond the running and the waiting, every attempt is refused');
    for (const outcome of refused) {
      assert.ok(outcome.reason instanceof ServiceBusyError);
      assert.equal(outcome.reason.statusCode, 503);
      assert.ok(outcome.reason.retryAfterSeconds > 0);
    }
    assert.ok(outcomes.every((o) => o.status === 'rejected' || o.value === false), 'no wrong password is accepted');
    // Once the flood is over, hashing works as before.
    assert.equal(await verifyPassword(hash, 'the right password'), true);
  });
});
