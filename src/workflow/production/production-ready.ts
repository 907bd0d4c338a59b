import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { WorkflowError } from '../errors.ts';
import type { SubmissionRecord } from '../queries.ts';

type Trx = Transaction<Database>;

/** The kind of a copyedited file (stage `copyediting`) and of its copy made ready for production (stage `production`). */
export const COPYEDITED_KIND = 'copyedited';
export const PRODUCTION_READY_KIND = 'production-ready';

/**
 * Part of the send-to-production decision (recordDecision, in its transaction): the chosen copyedited
 * files copied into the production stage as production-ready files (the same stored bytes, a row and
 * a first revision of their own). Files of other stages or submissions are refused.
 */
export async function copyProductionReadyFiles(trx: Trx, submission: Pick<SubmissionRecord, 'id'>, fileIds: readonly number[], editorId: number, now: Date): Promise<number[]> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return [];
  const files = await trx.selectFrom('submission_files').selectAll().where('submission_id', '=', submission.id).where('stage', '=', 'copyediting').where('id', 'in', ids).orderBy('id').execute();
  if (files.length !== ids.length) throw new WorkflowError('file-unknown', 'fileIds');
  const copies: number[] = [];
  for (const file of files) {
    const row = await trx
      .insertInto('submission_files')
      .values({ submission_id: submission.id, stage: 'production', kind: PRODUCTION_READY_KIND, file_id: file.file_id, name: file.name, uploaded_by: editorId, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('submission_file_revisions').values({ submission_file_id: row.id, file_id: file.file_id, uploaded_by: editorId, created_at: now }).execute();
    copies.push(row.id);
  }
  return copies;
}
