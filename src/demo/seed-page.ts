/**
 * Reads the demo article from the text of its OJS article page (article-page.txt beside this file:
 * journal Sprawy Międzynarodowe, article 1786, Polish UI). Only what the page states is taken.
 */
export interface SeedArticlePage {
  issue: { volume: number; number: string; year: number; title: string };
  section: string;
  title: string;
  dateSubmitted: string;
  datePublished: string;
  abstract: string;
  references: string[];
}

export class SeedPageError extends Error {}

const POLISH_MONTHS_GENITIVE = ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'];

const pad = (n: number) => String(n).padStart(2, '0');

/** "27 grudnia 2021" → "2021-12-27" */
export function parsePolishLongDate(text: string): string {
  const match = /^(\d{1,2}) (\p{L}+) (\d{4})$/u.exec(text.trim());
  const month = match ? POLISH_MONTHS_GENITIVE.indexOf(match[2]!) : -1;
  if (!match || month < 0) throw new SeedPageError(`not a Polish date: "${text}"`);
  return `${match[3]}-${pad(month + 1)}-${pad(Number(match[1]))}`;
}

/** "27.12.2021" → "2021-12-27" */
export function parseNumericDate(text: string): string {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text.trim());
  if (!match) throw new SeedPageError(`not a dd.mm.yyyy date: "${text}"`);
  return `${match[3]}-${match[2]}-${match[1]}`;
}

export function parseSeedArticlePage(text: string): SeedArticlePage {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const content = lines.map((line) => line.trim()).filter((line) => line !== '');
  const issueIndex = content.findIndex((line) => /^Tom \d+ Nr \S+ \(\d{4}\): /.test(line));
  if (issueIndex < 0) throw new SeedPageError('the issue line ("Tom … Nr … (yyyy): …") is missing');
  const issueMatch = /^Tom (\d+) Nr (\S+) \((\d{4})\): (.+)$/.exec(content[issueIndex]!)!;
  const [section, title, submittedLine, publishedLine, abstract] = content.slice(issueIndex + 1, issueIndex + 6);
  if (!submittedLine?.startsWith('Przesłane: ')) throw new SeedPageError('the "Przesłane:" line is missing');
  if (!publishedLine?.startsWith('Opublikowane: ')) throw new SeedPageError('the "Opublikowane:" line is missing');
  if (!section || !title || !abstract) throw new SeedPageError('section, title or abstract is missing');

  const references: string[] = [];
  for (const line of lines) {
    const match = /^\s+(\d+)\. (.*)$/.exec(line);
    if (!match) continue;
    if (Number(match[1]) !== references.length + 1) throw new SeedPageError(`reference ${match[1]} is out of order`);
    references.push(match[2]!.trimEnd());
  }
  return {
    issue: { volume: Number(issueMatch[1]), number: issueMatch[2]!, year: Number(issueMatch[3]), title: issueMatch[4]! },
    section,
    title,
    dateSubmitted: parsePolishLongDate(submittedLine.slice('Przesłane: '.length)),
    datePublished: parseNumericDate(publishedLine.slice('Opublikowane: '.length)),
    abstract,
    references,
  };
}
