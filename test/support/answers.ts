import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SaxesParser } from 'saxes';
import { oaiSchemaWithJats } from './oai-schemas.ts';
import type { Session } from './session.ts';

/**
 * How the property tests send a request and what every answer must be: never a 5xx, never invalid
 * XML or JSON, never a stack trace or a server path, never slower than a bound, never no answer at
 * all; and, on a sample, OAI-PMH valid against its schema.
 */

/**
 * The longest any single answer may take. Not a speed test: a guard against work that grows without
 * bound with the input (a quadratic regex, a parse that explodes), generous enough for a loaded machine.
 */
export const ANSWER_TIME_LIMIT_MS = Number(process.env.PROPERTY_TIME_LIMIT_MS ?? 2000);

/** A request (or an import) that never ended: neither answered nor failed. */
export class NoAnswerError extends assert.AssertionError {
  constructor(message: string) {
    super({ message });
  }
}

/**
 * Once something never ended, the rest of that property is skipped (fc.pre): shrinking a case that
 * hangs costs the whole wait on every attempt, and the case found is already what to report.
 */
export function hangGuard() {
  let hung = false;
  return {
    skipIfHung: () => fc.pre(!hung),
    async watch<T>(work: Promise<T>): Promise<T> {
      try {
        return await work;
      } catch (error) {
        if (error instanceof NoAnswerError) hung = true;
        throw error;
      }
    },
  };
}

/** How long to wait for an answer at all before calling it missing. */
const NO_ANSWER_MS = Math.max(10_000, ANSWER_TIME_LIMIT_MS * 5);

export interface Answer {
  /** What was asked, for failure messages. */
  asked: string;
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: string;
  ms: number;
}

function describeRequest(options: InjectOptions): string {
  const payload = typeof options.payload === 'string' ? options.payload : Buffer.isBuffer(options.payload) ? options.payload.toString('latin1') : options.payload ? JSON.stringify(options.payload) : '';
  const shown = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text);
  return `${options.method ?? 'GET'} ${shown(String(options.url))}${payload ? `\n  body: ${shown(JSON.stringify(payload))}` : ''}`;
}

/**
 * Sends one request through `inject` and times it; with `session`, as that person (their cookies, and
 * with `csrfHeader` their form token in X-CSRF-Token). A GET over the time limit is sent once more: on
 * a machine shared with other work one stall is noise, the same request slow twice is the code.
 */
export async function ask(app: FastifyInstance, options: InjectOptions, as: { session?: Session; csrfHeader?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(as.session?.headers ?? {}), ...((options.headers ?? {}) as Record<string, string>) };
  if (as.session && as.session.cookies.size > 0) headers.cookie = [...as.session.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (as.session && as.csrfHeader) headers['x-csrf-token'] = as.session.csrf;
  const request = { ...options, headers };
  const once = async () => {
    const start = performance.now();
    // An answer that never comes is the worst kind of slow: the request fails instead of the run hanging.
    let timer: NodeJS.Timeout | undefined;
    const never = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new NoAnswerError(`no answer within ${NO_ANSWER_MS} ms\n  asked: ${describeRequest(options)}`)), NO_ANSWER_MS);
    });
    try {
      const response = await Promise.race([app.inject(request), never]);
      return { response, ms: performance.now() - start };
    } finally {
      clearTimeout(timer);
    }
  };
  let { response, ms } = await once();
  const idempotent = (options.method ?? 'GET') === 'GET' || options.method === 'HEAD';
  if (ms > ANSWER_TIME_LIMIT_MS && idempotent) ({ response, ms } = await once());
  return { asked: describeRequest(options), status: response.statusCode, headers: response.headers, body: response.body, ms };
}

/** The first problem saxes finds in `text` as namespace-aware XML 1.0, or undefined when well-formed. */
export function xmlProblem(text: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: string | undefined;
  let sawRoot = false;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  parser.on('opentag', () => {
    sawRoot = true;
  });
  try {
    parser.write(text).close();
  } catch (error) {
    problem ??= (error as Error).message;
  }
  if (!problem && !sawRoot) problem = 'no root element';
  return problem;
}

/** Signs of an internal failure shown to the visitor: a stack frame, an error naming a source file, a server path. */
const LEAKS: RegExp[] = [
  /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/)?\/[^\s()]+:\d+:\d+\)?/,
  /\b\w*Error: [^\n<]*\/[\w.@-]+\/[\w.@/-]+\.(?:ts|tsx|js|mjs|cjs)\b/,
  /\bnode_modules\//,
];
const SERVER_PATHS = [process.cwd(), os.tmpdir() + path.sep].filter((p) => p.length > 4);

/** Markup that, found unescaped in an HTML answer, came from the input: the fragments above never occur otherwise. */
const INJECTED = /<script>alert\(1\)|<img src=x onerror=|<svg onload=/i;

export type Expect = 'html' | 'xml' | 'json' | 'any';

/**
 * What every answer must be: below 500, within the time limit, with the security headers, without a
 * stack trace or a server path, with no injected markup in HTML, and — when it says it is XML or
 * JSON, or `expect` says it must be — well-formed XML or parseable JSON. Returns the parsed JSON.
 */
export function checkAnswer(answer: Answer, expect: Expect = 'any'): unknown {
  const where = `\n  asked: ${answer.asked}\n  answered ${answer.status} in ${Math.round(answer.ms)} ms: ${answer.body.slice(0, 400)}`;
  assert.ok(answer.status < 500, `a server error${where}`);
  assert.ok(answer.ms <= ANSWER_TIME_LIMIT_MS, `slower than ${ANSWER_TIME_LIMIT_MS} ms, twice${where}`);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', `no security headers${where}`);
  assert.ok(answer.headers['content-security-policy'], `no content-security-policy${where}`);
  for (const leak of LEAKS) {
    const found = leak.exec(answer.body)?.[0];
    assert.ok(found === undefined || answer.asked.includes(found), `the answer shows an internal detail (${found})${where}`);
  }
  for (const serverPath of SERVER_PATHS) assert.ok(!answer.body.includes(serverPath) || answer.asked.includes(serverPath), `the answer names a server path (${serverPath})${where}`);
  const type = String(answer.headers['content-type'] ?? '');
  if (/text\/html/.test(type)) {
    const injected = INJECTED.exec(answer.body)?.[0];
    assert.equal(injected, undefined, `input markup reached the page unescaped${where}`);
  }
  const isXml = /[/+]xml\b/.test(type);
  if (expect === 'xml' || (isXml && answer.body !== '')) {
    assert.ok(isXml, `not XML but ${type}${where}`);
    const problem = xmlProblem(answer.body);
    assert.equal(problem, undefined, `not well-formed XML: ${problem}${where}`);
  }
  const isJson = /[/+]json\b/.test(type);
  if (expect === 'json' || (isJson && answer.body !== '')) {
    assert.ok(isJson, `not JSON but ${type}${where}`);
    try {
      return JSON.parse(answer.body) as unknown;
    } catch (error) {
      assert.fail(`not JSON: ${(error as Error).message}${where}`);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// OAI-PMH schema validation, on a sample

const execFileAsync = promisify(execFile);

/**
 * Validates OAI-PMH answers against the official schema (with the oai_dc, MARC and JATS record schemas) in
 * one xmllint run; throws with xmllint's complaints when any is invalid. Kept for a sample of the
 * answers: xmllint costs a process per call.
 */
export async function assertValidOai(answers: readonly string[]): Promise<void> {
  if (answers.length === 0) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-oai-sample-'));
  try {
    const names = answers.map((body, i) => {
      const name = path.join(dir, `answer-${i}.xml`);
      fs.writeFileSync(name, body);
      return name;
    });
    // oai-pmh-with-formats.xsd and the JATS 1.3 records' namespace (OAI-PMH's strict ##other needs both).
    const schema = oaiSchemaWithJats();
    try {
      await execFileAsync('xmllint', ['--noout', '--nonet', '--schema', schema, ...names], { maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const failure = error as { code?: number; stderr?: string };
      const invalid = (failure.stderr ?? '').split('\n').filter((line) => line !== '' && !/ validates$/.test(line));
      const shown = invalid.slice(0, 20).map((line) => {
        const index = /answer-(\d+)\.xml/.exec(line)?.[1];
        return index === undefined ? line : `${line}\n    in: ${answers[Number(index)]!.slice(0, 600)}`;
      });
      assert.fail(`OAI-PMH answers not valid against the schema (xmllint exit ${failure.code}):\n${shown.join('\n')}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

