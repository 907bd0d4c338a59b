import assert from 'node:assert/strict';
import { WorkflowError } from '../../src/workflow/errors.ts';

/** Awaits a workflow command that must refuse with a WorkflowError of `code`; returns it for more checks. */
export async function refused(promise: Promise<unknown>, code: string): Promise<WorkflowError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WorkflowError, `a WorkflowError, not ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected a refusal (${code})`);
}
