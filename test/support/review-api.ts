import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { findTokenCaller } from '../../src/api/index.ts';
import type { ApiTestApp } from './api.ts';

/**
 * What the review API's tests share: a submission sent through the API by an author whose names,
 * address and affiliation are known (to look for them where they must not be), people with names,
 * and multipart bodies as a script sends them.
 */

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** The author everything is checked against: none of these may reach a reviewer in double-anonymous review. */
export const AUTHOR = { given: 'Ada', family: 'Lovelace', affiliation: 'Analytical Engine Society' };

export const userOf = async (t: ApiTestApp, token: string) => (await findTokenCaller(t.database.db, token, new Date()))!.principal.userId;

export async function emailOf(t: ApiTestApp, userId: number): Promise<string> {
  return (await t.database.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email;
}

/** Gives a person a name (test people are created with their address's local part as name). */
export async function name(t: ApiTestApp, token: string, given: string, family: string): Promise<number> {
  const id = await userOf(t, token);
  await t.database.db.updateTable('users').set({ given_name: JSON.stringify({ en: given }) as never, family_name: JSON.stringify({ en: family }) as never }).where('id', '=', id).execute();
  return id;
}

/** A `multipart/form-data` body: text fields, then one file. */
export function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer; type?: string }): { payload: Buffer; contentType: string } {
  const boundary = `----revista${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const payload = Buffer.concat([
    ...parts,
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function upload(t: ApiTestApp, url: string, token: string, fields: Record<string, string>, file: { name: string; bytes: Buffer; type?: string }): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipart(fields, file);
  return t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
}

/** The journal takes PDF articles; call once per app. */
export async function acceptArticles(t: ApiTestApp): Promise<void> {
  await t.database.db
    .insertInto('submission_settings')
    .values({ journal_id: 1, file_kinds: JSON.stringify([{ key: 'article', name: { en: 'Article text' }, types: ['application/pdf'], maxBytes: 1024 * 1024, required: true }]) as never })
    .execute();
}

/** A submission sent by `author` through the API, its contributor named AUTHOR; returns its id and its file's. */
export async function submittedThroughApi(t: ApiTestApp, author: string, title = 'On the analytical engine'): Promise<{ submissionId: number; fileId: number }> {
  const sm = { journal: 'sm' };
  const created = await t.call<{ id: number; currentPublicationId: number; publications: Array<{ id: number; authors: Array<{ id: number }> }> }>('POST', '/{journal}/api/v1/submissions', sm, {
    token: author,
    body: { sectionId: 1, locale: 'en', checklistConfirmed: true, agreementsAccepted: true },
  });
  assert.equal(created.statusCode, 201, created.body);
  const submissionId = created.data.id;
  const publicationId = created.data.currentPublicationId;
  const file = await upload(t, `/sm/api/v1/submissions/${submissionId}/files`, author, { kind: 'article' }, { name: 'lovelace-engine.pdf', bytes: PDF });
  assert.equal(file.statusCode, 201, file.body);
  const texts = await t.call('PUT', '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}', { ...sm, submissionId, publicationId }, { token: author, body: { title: { en: title }, abstract: { en: 'What the engine computes, and what it cannot.' }, keywords: { en: ['computation'] } } });
  assert.equal(texts.statusCode, 200, texts.body);
  const contributorId = created.data.publications[0]!.authors[0]!.id;
  const named = await t.call('PUT', '/{journal}/api/v1/submissions/{submissionId}/publications/{publicationId}/contributors/{contributorId}', { ...sm, submissionId, publicationId, contributorId }, {
    token: author,
    body: { givenName: { en: AUTHOR.given }, familyName: { en: AUTHOR.family }, affiliations: [{ name: { en: AUTHOR.affiliation } }] },
  });
  assert.equal(named.statusCode, 200, named.body);
  const submitted = await t.call('PUT', '/{journal}/api/v1/submissions/{submissionId}/submit', { ...sm, submissionId }, { token: author });
  assert.equal(submitted.statusCode, 200, submitted.body);
  return { submissionId, fileId: (JSON.parse(file.body) as { id: number }).id };
}

/** Asserts none of `words` appears in `body` (a JSON answer), case-insensitively. */
export function assertNoneOf(body: string, words: readonly string[], what: string): void {
  for (const word of words) assert.ok(!body.toLowerCase().includes(word.toLowerCase()), `${what} contains “${word}”: ${body.slice(0, 400)}`);
}
