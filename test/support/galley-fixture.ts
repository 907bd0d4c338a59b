import type { Kysely } from 'kysely';
import { addGalley, addGalleyAsset, addPublishedArticle, recordFile } from '../../src/catalog/index.ts';
import type { Database } from '../../src/db/index.ts';
import type { FileStore } from '../../src/storage/index.ts';
import { addSubmissionFile, assignParticipant, createDraft, saveSubmissionDetails, submitSubmission } from '../../src/workflow/index.ts';

/** A one-page PDF whose page says something (so a viewer has something to draw). */
export const VIEWER_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n' +
    '4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 20 100 Td (Galley viewer) Tj ET\nendstream endobj\n' +
    '5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/**
 * An HTML galley written to do harm if it ever ran on the site's origin: scripts that write a cookie,
 * call the API, reach into the parent page and move the top page; inline event handlers; a meta
 * refresh; a form posting to the site's sign-in; a javascript: link; an SVG asset with a script; a
 * link to an asset through `..`. Each would leave a trace a test can look for (a cookie, a request to
 * the server, a changed title or address).
 */
export function hostileHtml(journalPath: string): string {
  const harm = `document.title='script ran';document.cookie='pwned=1; path=/';fetch('/${journalPath}/api/v1/submissions?from=galley');try{window.parent.document.body.innerHTML='owned'}catch(e){};top.location='/${journalPath}/about?from=galley-script'`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile galley</title>
<meta http-equiv="refresh" content="0;url=/${journalPath}/about?from=galley-refresh">
<link rel="stylesheet" href="galley.css">
<script>${harm}</script>
<script src="/${journalPath}/api/v1/submissions?from=galley-script-src"></script>
</head><body onload="${harm.replaceAll("'", '&#39;')}">
<h1 id="galley-heading">Hostile galley</h1>
<p>Text of the article.</p>
<img id="figure" src="figure.png" alt="Figure 1" onerror="document.cookie='onerror=1; path=/'">
<img id="svg-figure" src="evil.svg" alt="Figure 2">
<img id="traversal" src="..%2F..%2Fgalley.css" alt="">
<form id="post" method="post" action="/${journalPath}/login/signIn"><input name="email" value="galley@example.org"><button id="post-button">Send</button></form>
<a id="js-link" href="javascript:top.location='/${journalPath}/about?from=galley-link'">Read more</a>
<a id="top-link" href="/${journalPath}/about?from=galley-top-link" target="_top">About</a>
</body></html>`;
}

export const HOSTILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" onload="document.cookie='svg=1; path=/'"><script>document.cookie='svgscript=1; path=/';top.location='/sm/about?from=svg'</script><rect width="20" height="20" fill="red"/></svg>`;

export const GALLEY_CSS = 'h1 { color: rgb(0, 80, 0); }';

/**
 * A published article of journal `sm` with a PDF, a hostile HTML galley (with its CSS, PNG and SVG
 * assets), an EPUB and a remote galley: the galleys a viewer page has to show.
 */
export async function articleWithGalleys(db: Kysely<Database>, files: FileStore, title = 'Galleys of every kind'): Promise<{ articleId: number; publicationId: number; pdf: number; html: number; epub: number; remote: number }> {
  const journal = await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).orderBy('id').executeTakeFirstOrThrow();
  const put = async (content: Buffer | string, mimeType: string, originalName: string) => {
    const stored = await files.put(Buffer.from(content));
    return { storageKey: stored.key, mimeType, sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName };
  };
  const { articleId, publicationId } = await addPublishedArticle(db, {
    journalId: journal.id,
    sectionId: section.id,
    issueId: null,
    locale: 'en',
    title: { en: title },
    datePublished: '2024-05-01',
    contributors: [{ givenName: { en: 'Ada' }, familyName: { en: 'Lovelace' } }],
    galleys: [
      { label: 'PDF', locale: 'en', file: await put(VIEWER_PDF, 'application/pdf', 'galleys.pdf') },
      { label: 'HTML', locale: 'en', file: await put(hostileHtml('sm'), 'text/html', 'galleys.html') },
      { label: 'EPUB', locale: 'en', file: await put('PK\u0003\u0004mimetypeapplication/epub+zip', 'application/epub+zip', 'galleys.epub') },
      { label: 'Repository', locale: 'en', remoteUrl: 'https://repository.example.org/galleys.html' },
    ],
  });
  const galleys = await db.selectFrom('galleys').select('id').where('publication_id', '=', publicationId).orderBy('seq').execute();
  const [pdf, html, epub, remote] = galleys.map((g) => g.id) as [number, number, number, number];
  for (const [name, content, type] of [
    ['galley.css', GALLEY_CSS, 'text/css'],
    ['figure.png', PNG, 'image/png'],
    ['evil.svg', HOSTILE_SVG, 'image/svg+xml'],
  ] as const) {
    const fileId = await recordFile(db, await put(content, type, name));
    await addGalleyAsset(db, html, { name, fileId });
  }
  return { articleId, publicationId, pdf, html, epub, remote };
}

/**
 * A submitted manuscript of journal `sm` in production, made through the workflow's commands: `author`
 * submitted it, `layoutEditor` and `editor` are assigned; a PDF galley and the hostile HTML galley
 * (with its style sheet) wait on its unpublished version.
 */
export async function submissionWithGalleys(db: Kysely<Database>, files: FileStore, people: { author: number; layoutEditor: number; editor: number }): Promise<{ submissionId: number; pdf: number; html: number }> {
  const now = new Date();
  const section = await db.selectFrom('sections').select('id').where('journal_id', '=', 1).orderBy('id').executeTakeFirstOrThrow();
  const submissionId = await createDraft(db, { journalId: 1, userId: people.author, sectionId: section.id, locale: 'en', commentsForEditor: '', checklistConfirmed: true, agreementsAccepted: true, now });
  const stored = async (content: Buffer | string, mimeType: string, originalName: string) => {
    const s = await files.put(Buffer.from(content));
    return { storageKey: s.key, sizeBytes: s.sizeBytes, sha256: s.sha256, mimeType, originalName };
  };
  await addSubmissionFile(db, { journalId: 1, submissionId, userId: people.author, kind: 'article', upload: await stored(VIEWER_PDF, 'application/pdf', 'manuscript.pdf'), now });
  await saveSubmissionDetails(db, 1, submissionId, people.author, { prefix: {}, title: { en: 'Proofs to check' }, subtitle: {}, abstract: { en: 'About proofs.' }, keywords: {} }, now);
  await submitSubmission(db, 1, submissionId, people.author, now);
  await assignParticipant(db, { journalId: 1, submissionId, userId: people.layoutEditor, role: 'layout-editor', recommendOnly: false, assignedBy: people.editor, now });
  await assignParticipant(db, { journalId: 1, submissionId, userId: people.editor, role: 'editor', recommendOnly: false, assignedBy: people.editor, now });
  const pdf = await addGalley(db, submissionId, { label: 'PDF', locale: 'en', remoteUrl: null }, await stored(VIEWER_PDF, 'application/pdf', 'proof.pdf'));
  const html = await addGalley(db, submissionId, { label: 'HTML', locale: 'en', remoteUrl: null }, await stored(hostileHtml('sm'), 'text/html', 'proof.html'));
  await addGalleyAsset(db, html, { name: 'galley.css', fileId: await recordFile(db, await stored(GALLEY_CSS, 'text/css', 'galley.css')) });
  await addGalleyAsset(db, html, { name: 'figure.png', fileId: await recordFile(db, await stored(PNG, 'image/png', 'figure.png')) });
  return { submissionId, pdf, html };
}
