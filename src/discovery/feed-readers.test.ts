import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extractFromXml } from '@extractus/feed-extractor';
import Parser from 'rss-parser';
import { addPublishedArticle, createJournal, createSection } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { testDatabases } from '../../test/support/databases.ts';

/**
 * Every feed, with entries and without, as real feed readers take it: rss-parser (what many
 * aggregators and static-site tools use) and @extractus/feed-extractor, plus the Atom RELAX NG schema
 * of RFC 4287 for the Atom ones. A feed without entries must still say when it last changed — the
 * journal's last change — and not 1970.
 */
const ATOM_RNG = path.resolve('../shared/schemas/atom/atom.rng');

function assertAtomValid(xml: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-feed-'));
  const file = path.join(dir, 'feed.xml');
  fs.writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--relaxng', ATOM_RNG, file], { stdio: 'pipe' });
  } catch (error) {
    assert.fail(`not valid Atom: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 1500)}\n${xml.slice(0, 1500)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rssParser = new Parser();

for (const database of await testDatabases()) {
  describe(`feeds in feed readers on ${database.name}`, () => {
    let t: TestApp;
    let emptyJournalUpdated: Date;

    before(async () => {
      t = await startTestApp(database);
      const db = t.database.db;
      // A journal with one article and one announcement, and one with neither.
      const full = await createJournal(db, { path: 'full', name: { en: 'Full journal' }, primaryLocale: 'en', supportedLocales: ['en'] });
      const section = await createSection(db, { journalId: full, title: { en: 'Articles' } });
      await addPublishedArticle(db, { journalId: full, sectionId: section, issueId: null, locale: 'en', title: { en: 'A published article' }, abstract: { en: '<p>What it found.</p>' }, datePublished: '2024-05-02' });
      await db.insertInto('announcements').values({ journal_id: full, title: JSON.stringify({ en: 'Call for papers' }), summary: JSON.stringify({ en: '<p>Send them.</p>' }), body: JSON.stringify({}), expires_on: null }).execute();
      const empty = await createJournal(db, { path: 'empty', name: { en: 'Empty journal' }, primaryLocale: 'en', supportedLocales: ['en'] });
      // The journal changed after it was created: the feeds must carry this change's date.
      await db.updateTable('journals').set({ description: JSON.stringify({ en: 'Nothing yet.' }) }).where('id', '=', empty).execute();
      emptyJournalUpdated = (await db.selectFrom('journals').select('updated_at').where('id', '=', empty).executeTakeFirstOrThrow()).updated_at;
      await t.changes.sync();
    });
    after(() => t.close());

    const read = async (url: string) => {
      const response = await t.app.inject({ url });
      assert.equal(response.statusCode, 200, url);
      return response.body;
    };

    const FEEDS = [
      { url: '/full/feed/atom', atom: true, title: 'Full journal', entry: 'A published article' },
      { url: '/full/feed/rss', atom: false, title: 'Full journal', entry: 'A published article' },
      { url: '/full/announcement/feed', atom: true, title: 'Full journal', entry: 'Call for papers' },
      { url: '/sm/feed/atom', atom: true, title: 'Sprawy Międzynarodowe', entry: 'Russia’s approaches towards Armenia and Azerbaijan: evolution of the policy or interests come first?' },
      { url: '/empty/feed/atom', atom: true, title: 'Empty journal' },
      { url: '/empty/feed/rss', atom: false, title: 'Empty journal' },
      { url: '/empty/announcement/feed', atom: true, title: 'Empty journal' },
    ];

    for (const feed of FEEDS) {
      it(`${feed.url} (${feed.entry ? 'with entries' : 'empty'}) parses in rss-parser${feed.atom ? ' and is valid Atom' : ''}`, async () => {
        const xml = await read(feed.url);
        if (feed.atom) assertAtomValid(xml);
        const parsed = await rssParser.parseString(xml);
        assert.equal(parsed.title, feed.title);
        assert.deepEqual(parsed.items.map((i) => i.title), feed.entry ? [feed.entry] : []);
      });
    }

    // feed-extractor tells Atom from other XML by an <entry> child, so it can read no Atom feed
    // without entries (RFC 4287 allows them); every other feed it must read.
    for (const feed of FEEDS.filter((f) => f.entry || !f.atom)) {
      it(`${feed.url} parses in @extractus/feed-extractor`, async () => {
        const parsed = extractFromXml(await read(feed.url));
        assert.equal(parsed.title, feed.title);
        assert.deepEqual(parsed.entries?.map((e) => e.title), feed.entry ? [feed.entry] : []);
      });
    }

    it('dates a feed without entries by the journal’s last change, not 1970', async () => {
      // To the second: RSS dates and the article feed's Atom dates carry no milliseconds.
      const second = (date: Date) => Math.floor(date.getTime() / 1000);
      for (const url of ['/empty/feed/atom', '/empty/announcement/feed']) {
        const updated = /<feed[\s\S]*?<updated>([^<]+)<\/updated>/.exec(await read(url))?.[1];
        assert.ok(updated, url);
        assert.equal(second(new Date(updated)), second(emptyJournalUpdated), url);
      }
      const rss = await rssParser.parseString(await read('/empty/feed/rss'));
      assert.ok(rss.lastBuildDate, 'an empty RSS channel says when it was last built too');
      assert.equal(second(new Date(rss.lastBuildDate)), second(emptyJournalUpdated));
    });
  });
}
