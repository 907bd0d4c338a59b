import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addPublishedArticle } from '../../catalog/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';
import { initialiseSite } from '../../demo/index.ts';
import { createFileStore, type FileStore } from '../../storage/index.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { htmlToText, MAX_TEXT_CHARS } from './extract.ts';
import { startTextExtractor, type TextExtractor } from './extract-thread.ts';
import { indexPending } from './index.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-extract-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/ojs');

const MB = 1024 * 1024;
/**
 * 10 MB documents of the shapes that cost the old tag-stripping regexes (or htmlparser2's element
 * stack) time growing with the square of their length: a `<` or `<!--` or `<script>` never closed
 * scanned to the end of the file from each of a million starts; a million unclosed elements.
 */
const HOSTILE: Record<string, string> = {
  '< without >': '<'.repeat(10 * MB),
  'tags never closed': '<a '.repeat((10 * MB) / 3),
  'comments never closed': '<!--'.repeat((10 * MB) / 4),
  'scripts never closed': '<script>'.repeat((10 * MB) / 8),
  'an attribute value never closed': `<p>before</p><a title="${'x'.repeat(10 * MB)}`,
  'a million open elements': '<div>'.repeat((10 * MB) / 5),
  'close tags that match nothing': `${'<div>'.repeat(1000)}${'</x>'.repeat((10 * MB) / 4)}`,
  'entities never finished': '&#'.repeat((10 * MB) / 2),
};

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('the text of HTML galleys', () => {
  it('is what a reader sees: no title, scripts, styles, templates or comments; entities decoded', () => {
    const xml = fs.readFileSync(path.join(fixtures, 'three-issues.xml'), 'utf8');
    const galley = /<embed encoding="base64" mime_type="text\/html">([^<]+)<\/embed>/.exec(xml)![1]!;
    // The same text the regular expressions gave for this galley.
    assert.equal(
      htmlToText(Buffer.from(galley, 'base64')),
      'Gas interconnectors and the bargaining power of transit states Maria Kowalczyk, Jonas Becker, Emily Carter Introduction Between 2009 and 2019 the number of bidirectional gas interconnectors in Central Europe more than doubled.',
    );
    assert.equal(
      htmlToText('<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body><p>Łódź&nbsp;&amp; Kraków&#x21;</p><script>if (a < b) x()</script><template><p>later</p></template><noscript>enable scripts</noscript><!-- note --></body></html>'),
      'Łódź & Kraków!',
    );
    // Better than before: a subscript stays in its word (the regexes made "CO 2"); other tags still part words.
    assert.equal(htmlToText('<p>CO<sub>2</sub> emissions<sup>3</sup></p><td>a</td><td>b</td>line<br>break'), 'CO2 emissions 3 a b line break');
  });

  it('is read from hostile 10 MB documents within the time limit, and kept to MAX_TEXT_CHARS', { timeout: 300_000 }, async () => {
    const extractor = startTextExtractor({ timeLimitMs: 30_000 });
    try {
      for (const [shape, html] of Object.entries(HOSTILE)) {
        const extracted = await extractor.extract(writeFile('hostile.html', html), 'text/html');
        assert.equal(extracted.problem, null, shape);
        assert.ok(extracted.text.length <= MAX_TEXT_CHARS, `${shape}: ${extracted.text.length} characters kept`);
      }
      const unclosed = await extractor.extract(writeFile('unclosed.html', HOSTILE['an attribute value never closed']!), 'text/html');
      assert.equal(unclosed.text, 'before');
    } finally {
      await extractor.close();
    }
  });
});

describe('the text extractor thread', () => {
  let extractor: TextExtractor;
  before(() => (extractor = startTextExtractor()));
  after(() => extractor.close());

  it('reads PDF, plain text and HTML files, and says why when it cannot', async () => {
    assert.deepEqual(await extractor.extract(path.join(fixtures, 'sm-1786.pdf'), 'application/pdf'), {
      text: "Russia's approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?",
      problem: null,
    });
    assert.deepEqual(await extractor.extract(writeFile('notes.txt', 'plain\u0000 words\n\n'), 'text/plain; charset=utf-8'), { text: 'plain words', problem: null });
    assert.deepEqual(await extractor.extract(path.join(root, 'nothing-here.pdf'), 'application/pdf'), { text: '', problem: 'the stored file is missing', fileError: 'ENOENT' });
    assert.deepEqual(await extractor.extract(writeFile('cover.png', 'png'), 'image/png'), { text: '', problem: 'no text is read from image/png' });
  });

  it('gives up a file that takes longer than its time limit, and stays usable', async () => {
    const impatient = startTextExtractor({ timeLimitMs: 1 });
    try {
      const file = writeFile('slow.html', HOSTILE['a million open elements']!);
      assert.deepEqual(await impatient.extract(file, 'text/html'), { text: '', problem: 'reading the text took longer than 0.001 s' });
      assert.match((await impatient.extract(file, 'text/html')).problem ?? '', /took longer/);
    } finally {
      await impatient.close();
    }
    await assert.rejects(impatient.extract(path.join(fixtures, 'sm-1786.pdf'), 'application/pdf'), /closed/);
  });
});

const [database] = await testDatabases();
describe(`indexing a large hostile galley on ${database!.name}`, () => {
  let handle: DatabaseHandle;
  let files: FileStore;
  before(async () => {
    handle = await database!.open();
    await initialiseSite(handle.db, { demo: true });
    files = createFileStore(path.join(root, 'files'));
  });
  after(() => handle.close());

  it('keeps the event loop turning while the galley is read, then indexes its text', { timeout: 300_000 }, async () => {
    const journal = await handle.db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
    const section = await handle.db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
    const html = `<p>zanzibarite</p>${HOSTILE['< without >']!}`;
    const stored = await files.put(Buffer.from(html));
    const { articleId } = await addPublishedArticle(handle.db, {
      journalId: journal.id,
      sectionId: section.id,
      issueId: null,
      locale: 'en',
      title: { en: 'A galley of angle brackets' },
      datePublished: '2022-03-01',
      galleys: [{ label: 'HTML', locale: 'en', file: { storageKey: stored.key, mimeType: 'text/html', sizeBytes: stored.sizeBytes, sha256: stored.sha256, originalName: 'brackets.html' } }],
    });
    // A timer due every 10 ms: the longest wait between its runs is how long the thread was kept busy.
    let longestPause = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestPause = Math.max(longestPause, now - last);
      last = now;
    }, 10);
    try {
      await indexPending(handle.db, { files });
    } finally {
      clearInterval(timer);
    }
    assert.ok(longestPause < 1000, `the event loop stopped for ${Math.round(longestPause)} ms`);
    const text = await handle.db
      .selectFrom('search_file_texts as t')
      .innerJoin('galleys as g', 'g.file_id', 't.file_id')
      .innerJoin('articles as a', 'a.current_publication_id', 'g.publication_id')
      .select(['t.content', 't.problem'])
      .where('a.id', '=', articleId)
      .executeTakeFirstOrThrow();
    assert.equal(text.problem, null);
    assert.ok(text.content.startsWith('zanzibarite <<<'), text.content.slice(0, 40));
    assert.equal(text.content.length, MAX_TEXT_CHARS);
  });
});
