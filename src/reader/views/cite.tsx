import type { SafeHtml } from '#jsx/jsx-runtime';
import { RichText, type PageContext } from '../../ui/index.ts';

export interface CitationView {
  /** Formatted by citeproc in the chosen style (HTML, escaped by citeproc and sanitized again). */
  html: string;
  styleId: string;
  styles: ReadonlyArray<{ id: string; name: string }>;
}

export const CITATION_DOWNLOADS = [
  { format: 'bibtex', label: 'BibTeX' },
  { format: 'ris', label: 'RIS' },
  { format: 'endnote', label: 'EndNote' },
  { format: 'csl-json', label: 'CSL-JSON' },
] as const;

/**
 * OJS's "How to Cite": the article in one citation style, links to the other styles (plain links:
 * no JavaScript needed) and citation downloads for reference managers.
 */
export function HowToCite({ ctx, journalPath, articleId, citation }: { ctx: PageContext; journalPath: string; articleId: number; citation: CitationView }): SafeHtml {
  const page = `/${journalPath}/article/view/${articleId}`;
  return (
    <section class="how-to-cite" aria-labelledby="how-to-cite">
      <h2 id="how-to-cite">{ctx.t('cite.title')}</h2>
      <RichText text={citation.html} class="citation" />
      <nav aria-label={ctx.t('cite.styles')}>
        <ul class="citation-styles">
          {citation.styles.map((style) => (
            <li>
              {style.id === citation.styleId ? (
                <span aria-current="true">{style.name}</span>
              ) : (
                <a href={`${page}?citationStyle=${style.id}#how-to-cite`} rel="nofollow">
                  {style.name}
                </a>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <p>
        {ctx.t('cite.download')}{' '}
        {CITATION_DOWNLOADS.map((d, i) => (
          <>
            {i > 0 ? ', ' : ''}
            <a href={`/${journalPath}/citationstylelanguage/download/${d.format}?submissionId=${articleId}`} rel="nofollow">
              {d.label}
            </a>
          </>
        ))}
      </p>
    </section>
  );
}
