#!/usr/bin/env node
// Runs every test file with node's test runner. Node 20's runner takes no glob, so the files are
// found here and named on the command line. `npm test -- --e2e-only` / `--no-e2e` narrow the set.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(full).isDirectory()) out.push(...find(full));
    else if (/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

const args = process.argv.slice(2);
// tools/: code that is not runtime (the reference model's training) keeps its tests beside it.
let files = [...find('src'), ...find('test'), ...find('tools')].sort();
if (args.includes('--no-e2e')) files = files.filter((f) => !f.startsWith(path.join('test', 'e2e')));
if (args.includes('--e2e-only')) files = files.filter((f) => f.startsWith(path.join('test', 'e2e')));
const only = args.filter((a) => !a.startsWith('--'));
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
);
process.exit(result.status ?? 1);
