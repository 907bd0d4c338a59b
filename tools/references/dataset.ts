import { readFileSync } from 'node:fs';
import { tokenize } from '../../src/references/tokens.ts';

/**
 * Reads labelled references in the AnyStyle parser XML format:
 * `<dataset><sequence><label>text</label>…</sequence>…</dataset>`, each child one segment of the
 * reference; the segments joined by single spaces are the raw reference. Used by training and
 * evaluation only.
 */
export interface LabelledReference {
  segments: Array<[label: string, text: string]>;
}

export interface LabelledTokens {
  tokens: string[];
  labels: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export function parseDatasetXml(xml: string): LabelledReference[] {
  const references: LabelledReference[] = [];
  const sequences = /<sequence>([\s\S]*?)<\/sequence>/g;
  let sequence: RegExpExecArray | null;
  while ((sequence = sequences.exec(xml)) !== null) {
    const segments: Array<[string, string]> = [];
    const children = /<([a-z][a-z-]*)>([\s\S]*?)<\/\1>/g;
    let child: RegExpExecArray | null;
    while ((child = children.exec(sequence[1]!)) !== null) {
      const text = decode(child[2]!).replace(/\s+/g, ' ').trim().normalize('NFC');
      if (text !== '') segments.push([child[1]!, text]);
    }
    if (segments.length > 0) references.push({ segments });
  }
  return references;
}

export function readDataset(file: string): LabelledReference[] {
  return parseDatasetXml(readFileSync(file, 'utf8'));
}

/** Each segment's tokens carry the segment's label; the tokens are those of the joined raw text. */
export function toTokens(reference: LabelledReference): LabelledTokens {
  const tokens: string[] = [];
  const labels: string[] = [];
  for (const [label, text] of reference.segments) {
    for (const token of tokenize(text)) {
      tokens.push(token.text);
      labels.push(label);
    }
  }
  return { tokens, labels };
}

export function rawText(reference: LabelledReference): string {
  return reference.segments.map(([, text]) => text).join(' ');
}
