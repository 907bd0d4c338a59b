import type { CrfModel } from './crf.ts';
import { checkReference, duplicateIssues, issue } from './checks.ts';
import { correctLabels, runs } from './corrections.ts';
import { toCsl } from './csl.ts';
import { labelTokens } from './labeller.ts';
import { referenceModel } from './model.ts';
import { tokenize } from './tokens.ts';
import type { ParsedReference, ReferenceIssue, ReferenceLabel, Segment } from './types.ts';

/**
 * One raw reference → labelled segments (the CRF, then corrections.ts), CSL-JSON (rules) and issues (checks). Any
 * string is accepted: empty, huge, binary or punctuation-only input gives a result with an issue.
 */
export interface ParseOptions {
  /** Today, for "year in the future"; the real clock by default. */
  now?: Date;
  /** The labeller; the committed model by default. */
  model?: CrfModel;
}

/** Longer than this, a "reference" is almost surely several, or pasted text: it is not labelled. */
export const MAX_REFERENCE_LENGTH = 5000;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Every character CONTROL can match, as one class: most references have none, and this test is quick. */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFD-\uFFFF]/;

function unlabelled(text: string, problem: ReferenceIssue): ParsedReference {
  return { segments: text === '' ? [] : [['note', text]], csl: { type: 'document' }, issues: [problem] };
}

export function parseReference(raw: string, options: ParseOptions = {}): ParsedReference {
  const input = typeof raw === 'string' ? raw : '';
  let text = input.normalize('NFC').replace(/[\t\r\n\u2028\u2029]+/g, ' ').trim();
  // A fresh test each time: CONTROL is global (for the replace below), so .test would keep its place.
  CONTROL.lastIndex = 0;
  const damaged = SUSPECT.test(text) && CONTROL.test(text);
  if (damaged) text = text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  if (text === '') return unlabelled('', issue(damaged ? 'not-text' : 'empty'));
  if (text.length > MAX_REFERENCE_LENGTH) return unlabelled(text, issue('too-long', { length: text.length, limit: MAX_REFERENCE_LENGTH }));
  // Mostly symbols and stray bytes: report it rather than pretend to read it.
  if (damaged && (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < text.replace(/\s/g, '').length / 2) return unlabelled(text, issue('not-text'));
  if (!/[\p{L}\p{N}]/u.test(text)) return unlabelled(text, issue('no-words'));

  const tokens = tokenize(text);
  const texts = tokens.map((t) => t.text);
  const labels = correctLabels(texts, labelTokens(options.model ?? referenceModel(), texts) as ReferenceLabel[]);
  const segments: Segment[] = runs(labels).map(([start, end]) => [labels[start]!, text.slice(tokens[start]!.start, tokens[end - 1]!.end)]);
  const { csl, context } = toCsl(segments);
  const issues = checkReference(text, segments, csl, context, { now: options.now ?? new Date() });
  if (damaged) issues.unshift(issue('not-text'));
  return { segments, csl, issues };
}

/**
 * A whole reference list: each parsed, numbered (csl.id "ref-1", …), and checked against the
 * others for duplicates.
 */
export function parseReferences(raws: readonly string[], options: ParseOptions = {}): ParsedReference[] {
  const parsed = raws.map((raw) => parseReference(raw, options));
  const duplicates = duplicateIssues(raws.map((raw) => (typeof raw === 'string' ? raw : '')), parsed.map((p) => p.csl));
  return parsed.map((reference, index) => ({
    ...reference,
    csl: { id: `ref-${index + 1}`, ...reference.csl },
    issues: [...reference.issues, ...duplicates[index]!],
  }));
}

/** The issues of each reference in a list, including duplicates among them. */
export function checkReferences(raws: readonly string[], options: ParseOptions = {}): ReferenceIssue[][] {
  return parseReferences(raws, options).map((reference) => reference.issues);
}
