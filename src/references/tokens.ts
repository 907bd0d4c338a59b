/**
 * Tokens of a reference: runs of non-space characters, as the training data is segmented, with one
 * refinement — a comma or semicolon glued to the next word ("Eurasianet,14") ends its token, so the
 * labeller can put the two halves in different fields. URLs, DOIs and numbers like "1,5" stay whole.
 */
export interface Token {
  text: string;
  /** Offsets into the reference text, end exclusive. */
  start: number;
  end: number;
}

const LINK_LIKE = /(?:^|[<(\[])(?:https?:|ftp:|www\.|doi:|10\.\d{3,9}\/)|:\/\//i;
const GLUED_SEPARATOR = /[,;](?=[\p{L}\p{N}])/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const words = /\S+/g;
  let match: RegExpExecArray | null;
  while ((match = words.exec(text)) !== null) {
    const word = match[0];
    const offset = match.index;
    if (!word.includes(',') && !word.includes(';')) {
      tokens.push({ text: word, start: offset, end: offset + word.length });
      continue;
    }
    if (LINK_LIKE.test(word)) {
      tokens.push({ text: word, start: offset, end: offset + word.length });
      continue;
    }
    let from = 0;
    GLUED_SEPARATOR.lastIndex = 0;
    let glued: RegExpExecArray | null;
    while ((glued = GLUED_SEPARATOR.exec(word)) !== null) {
      const cut = glued.index + 1;
      // "1,5" or "12,13": a number, not two fields.
      if (/\d/.test(word[glued.index - 1] ?? '') && /\d/.test(word[cut] ?? '')) continue;
      if (cut - from > 1) {
        tokens.push({ text: word.slice(from, cut), start: offset + from, end: offset + cut });
        from = cut;
      }
    }
    tokens.push({ text: word.slice(from), start: offset + from, end: offset + word.length });
  }
  return tokens;
}
