import type { GalleyFields } from '../article-parts.ts';
import type { Db } from '../db.ts';
import { changeArticle } from '../versions.ts';

/**
 * Galleys made of a file already recorded (issue 21): the production-ready file of a submission
 * becomes the galley's file as it is (OJS makes a galley "from" a production file the same way),
 * one stored copy for both.
 */

/** Adds a galley at the end whose file is the recorded file `fileId`. Returns its id. */
export function addGalleyOfFile(db: Db, articleId: number, fields: Omit<GalleyFields, 'remoteUrl'>, fileId: number): Promise<number> {
  return changeArticle(db, articleId, async (trx, target) => {
    const last = await trx.selectFrom('galleys').select((eb) => eb.fn.max('seq').as('seq')).where('publication_id', '=', target.publicationId).executeTakeFirst();
    const row = await trx
      .insertInto('galleys')
      .values({ publication_id: target.publicationId, label: fields.label, locale: fields.locale, file_id: fileId, remote_url: null, url_path: null, seq: Number(last?.seq ?? 0) + 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Saves a galley's label and language with the recorded file `fileId` as its file; false when it is not the current version's. */
export function saveGalleyOfFile(db: Db, articleId: number, galleyId: number, fields: Omit<GalleyFields, 'remoteUrl'>, fileId: number): Promise<boolean> {
  return changeArticle(db, articleId, async (trx, target) => {
    const id = target.galley(galleyId);
    if (id === undefined) return false;
    await trx.updateTable('galleys').set({ label: fields.label, locale: fields.locale, file_id: fileId, remote_url: null }).where('id', '=', id).execute();
    return true;
  });
}
