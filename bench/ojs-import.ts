/**
 * `npm run bench` (OJS import): a generated OJS Native XML file with 10,000 articles in 100 issues,
 * each with a small PDF galley embedded as base64, imported into an empty embedded database through
 * `revista import ojs-native` in a process of its own: wall time and peak memory (max RSS) of that
 * process. Baseline, measured in the same run: the same command with --dry-run on an empty journal
 * would still write in rolled-back transactions, so the baseline is the bare reading of the file —
 * a process that streams it through the XML reader and decodes every embedded file, storing nothing.
 * Also measured: a process that only opens the embedded database and migrates (PGlite's fixed memory,
 * which every command on PGlite pays), and the same import on PostgreSQL (a scratch database on
 * BENCH_POSTGRES_URL's server, default postgres://postgres@127.0.0.1:5432/postgres) when it answers.
 * Writes bench/results/ojs-import.json.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The children (the baseline above all) load only what they measure: the database drivers and the
// generator are imported by the parent alone (they cost a measured 100+ MB of RSS when every child
// imported them with this file).

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const ROOT = path.resolve(import.meta.dirname, '..');
const ISSUES = Number(process.env.BENCH_OJS_ISSUES ?? 100);
const PER_ISSUE = Number(process.env.BENCH_OJS_ARTICLES_PER_ISSUE ?? 100);
const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 300;

/** Writes the document issue by issue: the generator holds one issue at a time too. */
async function generate(file: string): Promise<number> {
  const { DOCUMENT_END, DOCUMENT_START, issueXml, pdf } = await import('../test/support/ojs-native.ts');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, DOCUMENT_START);
  let article = 100_000;
  for (let i = 0; i < ISSUES; i++) {
    const articles = Array.from({ length: PER_ISSUE }, () => {
      article++;
      // A small PDF of 4–12 KB, different for every article.
      const body = Buffer.concat([pdf(`article ${article}`), Buffer.alloc(4096 + (article % 8) * 1024, article % 251)]);
      return { id: article, title: `Generated article ${article}`, galleyId: article + 200_000, fileId: article + 400_000, file: body, doi: `10.5555/gen.${article}` };
    });
    fs.writeSync(fd, issueXml({ id: 10_000 + i, volume: 1 + Math.floor(i / 4), number: String((i % 4) + 1), year: 2000 + Math.floor(i / 4), articles }));
  }
  fs.writeSync(fd, DOCUMENT_END);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

interface Measured {
  seconds: number;
  maxRssMb: number;
  output: string;
  /** The machine's 1-minute load average when the run ended (other work shares the 2 cores). */
  load: number;
}

/** Runs a child and reads its peak RSS from the kernel (getrusage of the waited-for child). */
function measure(args: string[], env: NodeJS.ProcessEnv): Measured {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed (${child.status}): ${child.stderr.slice(-2000)}`);
  const rss = /max-rss-kb (\d+)/.exec(child.stdout);
  return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN, output: child.stdout, load: os.loadavg()[0]! };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--read-only') {
    // The baseline child: read and decode, nothing stored.
    const { readUnits, measuringSink } = await import('../src/interop/ojs/xml-stream.ts');
    let units = 0;
    for await (const unit of readUnits(fs.createReadStream(process.argv[3]!), { sink: measuringSink, onRoot() {} })) {
      const pending: Promise<unknown>[] = [];
      const walk = (e: { children: unknown[]; embedded?: Promise<unknown> }) => {
        if (e.embedded) pending.push(e.embedded);
        for (const c of e.children) walk(c as typeof e);
      };
      walk(unit);
      await Promise.all(pending);
      units++;
    }
    console.log(`units ${units} max-rss-kb ${process.resourceUsage().maxRSS}`);
    return;
  }
  if (process.argv[2] === '--open-only') {
    // PGlite's fixed cost: open the database and migrate, nothing else.
    const { migrateToLatest, openDatabase } = await import('../src/db/index.ts');
    const handle = await openDatabase({ kind: 'pglite', dataDir: process.argv[3]!, command: 'bench' });
    await migrateToLatest(handle.db);
    await handle.db.selectFrom('journals').select('id').execute();
    await handle.close();
    console.log(`max-rss-kb ${process.resourceUsage().maxRSS}`);
    return;
  }
  if (process.argv[2] === '--import') {
    const { runCli } = await import('../src/cli/main.ts');
    const code = await runCli(['import', 'ojs-native', process.argv[3]!, '--journal', 'sm'], { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env });
    console.log(`max-rss-kb ${process.resourceUsage().maxRSS}`);
    process.exitCode = code;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-ojs-bench-'));
  try {
    const file = path.join(dir, 'generated.xml');
    console.log(`OJS import benchmark: ${ISSUES} issues × ${PER_ISSUE} articles, each with an embedded PDF galley`);
    const bytes = await generate(file);
    console.log(`generated ${(bytes / 1e6).toFixed(1)} MB of Native XML`);
    // An empty site with the demo journal (path sm) to import into.
    const dataDir = path.join(dir, 'data');
    const { migrateToLatest, openDatabase } = await import('../src/db/index.ts');
    const { initialiseSite } = await import('../src/demo/index.ts');
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db'), command: 'bench' });
    await migrateToLatest(handle.db);
    await initialiseSite(handle.db, { demo: true });
    await handle.close();

    const baseline = measure(['bench/ojs-import.ts', '--read-only', file], {});
    const openOnly = measure(['bench/ojs-import.ts', '--open-only', path.join(dataDir, 'db')], {});
    const imported = measure(['bench/ojs-import.ts', '--import', file], { DATA_DIR: dataDir, DATABASE_URL: '' });
    const articles = /articles: (\d+) new/.exec(imported.output)?.[1];

    let postgres: (Measured & { importedArticles: number }) | undefined;
    const { createScratchDatabase } = await import('../test/support/databases.ts');
    const scratch = await createScratchDatabase('revista_bench_ojs', ADMIN_URL).catch(() => undefined);
    if (scratch) {
      try {
        const pg = await openDatabase({ kind: 'postgres', url: scratch.url });
        await migrateToLatest(pg.db);
        await initialiseSite(pg.db, { demo: true });
        await pg.close();
        const result = measure(['bench/ojs-import.ts', '--import', file], { DATA_DIR: path.join(dir, 'data-pg'), DATABASE_URL: scratch.url });
        postgres = { ...result, importedArticles: Number(/articles: (\d+) new/.exec(result.output)?.[1] ?? 0) };
      } finally {
        await scratch.drop();
      }
    }

    const mb = (n: number) => `${n.toFixed(0)} MB`;
    console.log('');
    console.log(`baseline: read + decode only     ${baseline.seconds.toFixed(1)} s   max RSS ${mb(baseline.maxRssMb)}   ${(bytes / 1e6 / baseline.seconds).toFixed(1)} MB/s   load ${baseline.load.toFixed(1)}`);
    console.log(`PGlite: open + migrate only      ${openOnly.seconds.toFixed(1)} s   max RSS ${mb(openOnly.maxRssMb)}   (the embedded database's fixed cost)   load ${openOnly.load.toFixed(1)}`);
    console.log(`import on PGlite                 ${imported.seconds.toFixed(1)} s   max RSS ${mb(imported.maxRssMb)}   ratio ${(imported.seconds / baseline.seconds).toFixed(2)} of baseline time   ${articles ?? '?'} articles   RSS above PGlite's fixed cost: ${mb(imported.maxRssMb - openOnly.maxRssMb)}   load ${imported.load.toFixed(1)}`);
    if (postgres) console.log(`import on PostgreSQL             ${postgres.seconds.toFixed(1)} s   max RSS ${mb(postgres.maxRssMb)}   ratio ${(postgres.seconds / baseline.seconds).toFixed(2)} of baseline time   ${postgres.importedArticles} articles (the server's own memory not counted)   load ${postgres.load.toFixed(1)}`);
    else console.log('import on PostgreSQL             skipped: no server at ' + ADMIN_URL);
    const verdict = (m: Measured) => `< ${TARGET_SECONDS} s: ${m.seconds < TARGET_SECONDS ? 'met' : 'NOT met'}; < ${TARGET_RSS_MB} MB: ${m.maxRssMb < TARGET_RSS_MB ? 'met' : 'NOT met'}`;
    console.log(`targets on PGlite: ${verdict(imported)}${postgres ? `; on PostgreSQL: ${verdict(postgres)}` : ''}`);
    const report = {
      benchmark: 'ojs-import',
      date: new Date().toISOString(),
      issues: ISSUES,
      articles: ISSUES * PER_ISSUE,
      fileBytes: bytes,
      cores: os.cpus().length,
      baseline: { name: 'read and decode the file once, storing nothing', seconds: baseline.seconds, maxRssMb: baseline.maxRssMb, loadAverage: baseline.load },
      pgliteOpenOnly: { seconds: openOnly.seconds, maxRssMb: openOnly.maxRssMb, loadAverage: openOnly.load },
      import: { database: 'pglite', seconds: imported.seconds, maxRssMb: imported.maxRssMb, loadAverage: imported.load, rssAbovePgliteMb: imported.maxRssMb - openOnly.maxRssMb, importedArticles: Number(articles ?? 0), ratioToBaseline: imported.seconds / baseline.seconds, meetsTimeTarget: imported.seconds < TARGET_SECONDS, meetsMemoryTarget: imported.maxRssMb < TARGET_RSS_MB },
      ...(postgres ? { importPostgres: { database: 'postgres', seconds: postgres.seconds, maxRssMb: postgres.maxRssMb, loadAverage: postgres.load, importedArticles: postgres.importedArticles, ratioToBaseline: postgres.seconds / baseline.seconds, meetsTimeTarget: postgres.seconds < TARGET_SECONDS, meetsMemoryTarget: postgres.maxRssMb < TARGET_RSS_MB } } : {}),
    };
    const out = path.join(ROOT, 'bench/results/ojs-import.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${path.relative(ROOT, out)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
