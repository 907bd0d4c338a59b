import { trustedHtml, type SafeHtml } from '#jsx/jsx-runtime';
import { looksLikeHtml, sanitizeRichText } from './sanitize.ts';
import { richToInlineHtml } from './rich-text-convert.ts';

/**
 * Text a journal wrote: rich text (HTML from the editors' forms, sanitized again here in case it
 * arrived another way, e.g. an import) or plain text, whose blank lines become paragraphs.
 */
export function RichText({ text, lang, class: className }: { text: string; lang?: string; class?: string }): SafeHtml {
  return (
    <div class={className ? `rich-text ${className}` : 'rich-text'} lang={lang}>
      {looksLikeHtml(text) ? trustedHtml(withoutControls(sanitizeRichText(text))) : text.split(/\n{2,}/).map((paragraph) => <p>{paragraph}</p>)}
    </div>
  );
}

/** Control characters are no text (the JSX runtime drops them from what it escapes; this HTML it does not see). */
function withoutControls(html: string): string {
  return html.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/**
 * A title as a page shows it: its inline markup (italics for a species, sub/superscripts) kept and
 * everything else as text; a plain title stays plain text, escaped.
 */
export function RichTitle({ text }: { text: string }): SafeHtml {
  return trustedHtml(looksLikeHtml(text) ? richToInlineHtml(text) : escapeText(withoutControls(text)));
}

function escapeText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
