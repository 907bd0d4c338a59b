import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The layering of src/, read from the code's own imports:
 * - lower layers (platform/*, ui, i18n, db and the single files at the root such as config.ts)
 *   import no capability: what every capability stands on knows none of them;
 * - a capability (reader, discovery, accounts, admin, …) imports another one only through the
 *   other's index.ts, never its internals;
 * - the folders' imports have no loop;
 * - app.ts and main.ts, the composition root, are imported by nothing but main.ts.
 * Test files are left out: a test may reach into what it tests.
 */

const SRC = fileURLToPath(new URL('..', import.meta.url));
const LOWER = new Set(['ui', 'i18n', 'db']);
// The composition root: app.ts and main.ts build the app; job-handlers.ts and subscribers.ts list every
// capability's jobs and event subscribers for the worker.
const ROOT = new Set(['app.ts', 'main.ts', 'job-handlers.ts', 'subscribers.ts']);

export interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * The module specifiers a file names: static imports and re-exports (a statement at the start of a
 * line, so commented-out code and text in comments do not count), `import('…')` with a literal, and
 * worker modules started as `new URL('./x.ts', import.meta.url)`.
 */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*'([^']+)'/gm)) found.push(match[1]!);
  for (const match of source.matchAll(/^\s*import\s*'([^']+)'/gm)) found.push(match[1]!);
  for (const match of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push(match[1]!);
  for (const match of source.matchAll(/new URL\(\s*'([^']+\.tsx?)',\s*import\.meta\.url\s*\)/g)) found.push(match[1]!);
  return found;
}

/** Every import between two files of src/, as paths relative to src/ with '/' separators. */
export function sourceImports(src = SRC): Import[] {
  const imports: Import[] = [];
  for (const file of sourceFiles(src)) {
    const from = path.relative(src, file).split(path.sep).join('/');
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      let target: string;
      if (specifier.startsWith('.')) target = path.resolve(path.dirname(file), specifier);
      else if (specifier.startsWith('#jsx/')) target = path.join(src, 'ui', 'jsx', specifier.slice('#jsx/'.length));
      else continue;
      imports.push({ from, to: path.relative(src, target).split(path.sep).join('/') });
    }
  }
  return imports;
}

/** The folder a file belongs to for layering: `platform/web`, `interop/ojs`, `reader`, or a root file itself. */
export function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return parts[0]!;
  if ((parts[0] === 'platform' || parts[0] === 'interop') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

export function isLower(unit: string): boolean {
  return unit.startsWith('platform/') || LOWER.has(unit) || (!unit.includes('/') && unit.endsWith('.ts') && !ROOT.has(unit));
}

function isCapability(unit: string): boolean {
  return !isLower(unit) && !ROOT.has(unit);
}

/** The first loop in a graph of folders, as the path that closes it; undefined when there is none. */
export function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

export function unitGraph(imports: readonly Import[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    const a = unitOf(from);
    const b = unitOf(to);
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  }
  return edges;
}

describe('the imports between folders', () => {
  const imports = sourceImports();

  it('reads the imports of the source files', () => {
    // Guards the reading itself: a regex that stopped matching would make every rule below pass.
    assert.ok(imports.length > 500, `only ${imports.length} imports read`);
    assert.ok(imports.some((i) => i.from === 'app.ts' && i.to === 'reader/index.ts'));
  });

  it('lower layers import no capability', () => {
    const wrong = imports.filter((i) => isLower(unitOf(i.from)) && !isLower(unitOf(i.to)));
    assert.deepEqual(wrong.map((i) => `${i.from} -> ${i.to}`), []);
  });

  it('a capability reaches another only through its index.ts', () => {
    const wrong = imports.filter((i) => {
      const target = unitOf(i.to);
      return unitOf(i.from) !== target && isCapability(target) && i.to !== `${target}/index.ts`;
    });
    assert.deepEqual(wrong.map((i) => `${i.from} -> ${i.to}`), []);
  });

  it('the composition root (app.ts, main.ts, job-handlers.ts, subscribers.ts) is imported by itself alone', () => {
    const wrong = imports.filter((i) => ROOT.has(i.to) && !ROOT.has(i.from));
    assert.deepEqual(wrong.map((i) => `${i.from} -> ${i.to}`), []);
  });

  it('the folders import each other without a loop', () => {
    assert.equal(findCycle(unitGraph(imports))?.join(' -> '), undefined);
  });
});

describe('finding loops and layers', () => {
  it('finds a loop through three folders and none in a tree', () => {
    const graph = unitGraph([
      { from: 'reader/index.ts', to: 'discovery/index.ts' },
      { from: 'discovery/head.tsx', to: 'exports/index.ts' },
      { from: 'exports/doi.ts', to: 'reader/index.ts' },
    ]);
    assert.deepEqual(findCycle(graph), ['discovery', 'exports', 'reader', 'discovery']);
    graph.get('exports')!.delete('reader');
    assert.equal(findCycle(graph), undefined);
  });

  it('reads static, type-only, re-exported, dynamic and worker imports, not those in comments', () => {
    const source = [
      "import type { A } from './a.ts';",
      'import {',
      '  B,',
      "} from '../b/index.ts';",
      "export { C } from './c.ts';",
      "// import { D } from './d.ts';",
      " * see import { E } from './e.ts'",
      "const f = await import('./f.ts');",
      "startTypeScriptWorker(new URL('./g.ts', import.meta.url));",
      "import 'node:fs';",
    ].join('\n');
    assert.deepEqual(importSpecifiers(source).sort(), ['../b/index.ts', './a.ts', './c.ts', './f.ts', './g.ts', 'node:fs']);
  });

  it('places files in their folders and layers', () => {
    assert.equal(unitOf('platform/web/context.ts'), 'platform/web');
    assert.equal(unitOf('interop/ojs/views/import-export.tsx'), 'interop/ojs');
    assert.equal(unitOf('discovery/search/routes.ts'), 'discovery');
    assert.ok(isLower('platform/web') && isLower('config.ts') && isLower('ui'));
    assert.ok(!isLower('reader') && !isLower('app.ts'));
  });
});
