import { trustedHtml, type SafeHtml } from '#jsx/jsx-runtime';
import { looksLikeHtml, sanitizeRichText } from './sanitize.ts';

/**
 * Text a journal wrote: rich text (HTML from the editors' forms, sanitized again here in case it
 * arrived another way, e.g. an import) or plain text, whose blank lines become paragraphs.
 */
export function RichText({ text, lang, class: className }: { text: string; lang?: string; class?: string }): SafeHtml {
  return (
    <div class={className ? `rich-text ${className}` : 'rich-text'} lang={lang}>
      {looksLikeHtml(text) ? trustedHtml(sanitizeRichText(text)) : text.split(/\n{2,}/).map((paragraph) => <p>{paragraph}</p>)}
    </div>
  );
}
