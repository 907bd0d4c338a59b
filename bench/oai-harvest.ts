/**
 * `npm run bench` (second part): an OAI-PMH harvest of a large repository. Generates 100,000
 * published articles (each with an author and five references) in an embedded database, starts
 * Revista on it as a child process, and harvests the whole ListRecords oai_dc sequence through its
 * resumption tokens, as a harvester would. Baseline, measured in the same run: reading the same
 * rows straight from the database (no HTTP, no XML). Reports records/s, the ratio to the baseline,
 * and the server's resident memory after 10% and at the end of the harvest plus its peak (VmHWM),
 * to show that memory does not grow with the repository. Writes bench/results/oai-harvest.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { initialiseSite } from '../src/demo/index.ts';
import { freePort } from '../test/support/ports.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTICLES = Number(process.env.BENCH_OAI_ARTICLES ?? 100_000);
const TARGET_RECORDS_PER_SEC = 5000;

async function generate(dataDir: string): Promise<{ baselineRecordsPerSec: number; seconds: number }> {
  const started = Date.now();
  const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'bench' });
  try {
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    const db = handle.db;
    const journal = await db.selectFrom('journals').select('id').where('path', '=', 'sm').executeTakeFirstOrThrow();
    const section = await db.selectFrom('sections').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
    const issue = await db.selectFrom('issues').select('id').where('journal_id', '=', journal.id).executeTakeFirstOrThrow();
    // Set-based generation; the OAI triggers are switched off for the load and the record table filled once after.
    await sql`SET session_replication_role = replica`.execute(db);
    await sql`
      INSERT INTO articles (id, journal_id, locale, status, date_submitted)
      SELECT 100000 + n, ${journal.id}, 'en', 'published', now() FROM generate_series(1, ${ARTICLES}) AS n
    `.execute(db);
    await sql`
      INSERT INTO publications (article_id, version, status, locale, prefix, title, subtitle, abstract, keywords, subjects, section_id, issue_id, seq, pages, copyright_holder, date_published)
      SELECT 100000 + n, 1, 'published', 'en', '{}', jsonb_build_object('en', 'Generated article number ' || n, 'pl', 'Wygenerowany artykuł ' || n),
             '{}', jsonb_build_object('en', 'An abstract of article ' || n || ' about energy security, borders and regional policy.'),
             jsonb_build_object('en', jsonb_build_array('energy', 'security', 'k' || (n % 100))), '{}', ${section.id}, ${issue.id}, n, (n % 90) || '-' || (n % 90 + 9), '{}', '2021-12-27'
      FROM generate_series(1, ${ARTICLES}) AS n
    `.execute(db);
    await sql`UPDATE articles a SET current_publication_id = p.id FROM publications p WHERE p.article_id = a.id AND a.id > 100000`.execute(db);
    await sql`
      INSERT INTO contributors (publication_id, given_name, family_name, affiliation, seq)
      SELECT p.id, '{"en": "Anna"}', jsonb_build_object('en', 'Nowak ' || p.article_id), '{"en": "University of Warsaw"}', 0
      FROM publications p WHERE p.article_id > 100000
    `.execute(db);
    await sql`
      INSERT INTO citations (publication_id, seq, raw_text)
      SELECT p.id, r, 'Reference ' || r || ' of article ' || p.article_id || ', “Journal”, vol. 1, 2020.'
      FROM publications p, generate_series(1, 5) AS r WHERE p.article_id > 100000
    `.execute(db);
    await sql`SET session_replication_role = origin`.execute(db);
    await sql`
      INSERT INTO oai_records (article_id, journal_id, section_id, datestamp, deleted)
      SELECT id, journal_id, ${section.id}, date_trunc('second', now()), false FROM articles WHERE id > 100000
    `.execute(db);
    await sql`SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))`.execute(db);
    await sql`ANALYZE`.execute(db);
    const seconds = (Date.now() - started) / 1000;
    // Baseline: the same rows, read directly in pages of 100 by the same keyset.
    const baselineStart = process.hrtime.bigint();
    let after: [Date, number] | undefined;
    let read = 0;
    for (;;) {
      const rows = await db
        .selectFrom('oai_records as r')
        .innerJoin('articles as a', 'a.id', 'r.article_id')
        .innerJoin('publications as p', 'p.id', 'a.current_publication_id')
        .select(['r.article_id', 'r.datestamp', 'p.title', 'p.abstract', 'p.keywords'])
        .$if(after !== undefined, (q) => q.where(sql<boolean>`(r.datestamp, r.article_id) > (${after![0]}, ${after![1]})`))
        .orderBy('r.datestamp')
        .orderBy('r.article_id')
        .limit(100)
        .execute();
      if (rows.length === 0) break;
      read += rows.length;
      const last = rows.at(-1)!;
      after = [last.datestamp, last.article_id];
    }
    const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;
    return { baselineRecordsPerSec: read / baselineSeconds, seconds };
  } finally {
    await handle.close();
  }
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-oai-bench-'));
  let child: ChildProcess | undefined;
  try {
    console.log(`OAI-PMH harvest benchmark: ${ARTICLES.toLocaleString('en')} generated articles, ListRecords oai_dc, 100 records a page`);
    const generated = await generate(dataDir);
    console.log(`generated in ${generated.seconds.toFixed(1)} s`);
    const port = await freePort();
    child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), '--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', REFERENCE_PARSING: 'off', BASE_URL: `http://127.0.0.1:${port}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        if (i > 600) throw new Error('server did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const startMemory = memoryOf(child.pid!);
    const started = process.hrtime.bigint();
    let url = `${base}/oai?verb=ListRecords&metadataPrefix=oai_dc`;
    let records = 0;
    let bytes = 0;
    let atTenth: { rssMb: number; peakMb: number } | undefined;
    const total = ARTICLES + 1;
    for (;;) {
      const body = await (await fetch(url)).text();
      bytes += body.length;
      records += (body.match(/<record>/g) ?? []).length;
      if (!atTenth && records >= total / 10) atTenth = memoryOf(child.pid!);
      const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(body);
      if (!token) break;
      url = `${base}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token[1]!)}`;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const endMemory = memoryOf(child.pid!);
    if (records !== total) throw new Error(`harvested ${records} records, expected ${total}`);
    const recordsPerSec = records / seconds;
    const ratio = recordsPerSec / generated.baselineRecordsPerSec;
    console.log('');
    console.log(`baseline: the same rows read directly from the database   ${Math.round(generated.baselineRecordsPerSec).toLocaleString('en')} records/s`);
    console.log(`Revista OAI-PMH ListRecords (HTTP, XML, tokens)           ${Math.round(recordsPerSec).toLocaleString('en')} records/s   ratio ${ratio.toFixed(2)}   ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(0)} MB   target ≥ ${TARGET_RECORDS_PER_SEC}: ${recordsPerSec >= TARGET_RECORDS_PER_SEC ? 'met' : 'NOT met'}`);
    console.log(`server memory: ${startMemory.rssMb.toFixed(0)} MB before, ${atTenth!.rssMb.toFixed(0)} MB after 10% of the harvest, ${endMemory.rssMb.toFixed(0)} MB at the end; peak ${endMemory.peakMb.toFixed(0)} MB`);
    const report = {
      benchmark: 'oai-harvest',
      date: new Date().toISOString(),
      articles: ARTICLES,
      pageSize: 100,
      baseline: { name: 'same rows read directly from the database', recordsPerSec: generated.baselineRecordsPerSec },
      harvest: { recordsPerSec, seconds, records, megabytes: bytes / 1e6, ratioToBaseline: ratio, meetsTarget: recordsPerSec >= TARGET_RECORDS_PER_SEC },
      memoryMb: { beforeHarvest: startMemory.rssMb, afterTenPercent: atTenth!.rssMb, end: endMemory.rssMb, peak: endMemory.peakMb },
      target: { recordsPerSec: TARGET_RECORDS_PER_SEC },
    };
    const out = path.join(ROOT, 'bench/results/oai-harvest.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${path.relative(ROOT, out)}`);
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
