import { trustedHtml, type SafeHtml } from '#jsx/jsx-runtime';
import { sanitizeRichText } from './sanitize.ts';

/**
 * Text a journal wrote: rich text (HTML from the editors' forms, sanitized again here in case it
 * arrived another way, e.g. an import) or plain text, whose blank lines become paragraphs.
 */
export function RichText({ text, lang, class: className }: { text: string; lang?: string; class?: string }): SafeHtml {
  const looksLikeHtml = /<\/?[a-z][\s\S]*>/i.test(text);
  return (
    <div class={className ? `rich-text ${className}` : 'rich-text'} lang={lang}>
      {looksLikeHtml ? trustedHtml(sanitizeRichText(text)) : text.split(/\n{2,}/).map((paragraph) => <p>{paragraph}</p>)}
    </div>
  );
}
