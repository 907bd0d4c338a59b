import { randomBytes } from 'node:crypto';
import type { create } from 'xmlbuilder2';
import type { JatsBlock, JatsInline } from '../ui/index.ts';
import { escapeXml } from './xml.ts';

/**
 * The JATS form of rich text (ui/rich-text-convert.ts) as XML: JATS `<abstract>` and
 * `<article-title>` (no namespace), Crossref's `jats:abstract` (its JATS namespace) and titles.
 *
 * Mixed content cannot go through xmlbuilder2's pretty printer, which indents every child element
 * and so writes "CO\n    <sub>2</sub>\n     by" ("CO 2 by" to every reader). The markup is therefore
 * written here as one compact fragment, held in its element by a placeholder that the printer
 * leaves on the element's line, and put in place after printing (RichSlots).
 */

type Node = ReturnType<typeof create>;

const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** A JATS namespace prefix (Crossref: `jats`, declared on its root), or none for a JATS document. */
export type JatsPrefix = string | undefined;

const name = (local: string, prefix: JatsPrefix) => (prefix ? `${prefix}:${local}` : local);

export function jatsInlineXml(children: JatsInline[], prefix?: JatsPrefix): string {
  return children
    .map((child) => {
      if (typeof child === 'string') return escapeXml(child);
      if (child.tag === 'ext-link') {
        const tag = name('ext-link', prefix);
        return `<${tag} ext-link-type="uri" xmlns:xlink="${XLINK_NS}" xlink:href="${escapeXml(child.href)}">${jatsInlineXml(child.children, prefix)}</${tag}>`;
      }
      const tag = name(child.tag, prefix);
      return `<${tag}>${jatsInlineXml(child.children, prefix)}</${tag}>`;
    })
    .join('');
}

export function jatsBlocksXml(blocks: JatsBlock[], prefix?: JatsPrefix): string {
  const p = name('p', prefix);
  return blocks
    .map((block) => {
      if (block.tag === 'p') return `<${p}>${jatsInlineXml(block.children, prefix)}</${p}>`;
      const list = name('list', prefix);
      const item = name('list-item', prefix);
      const items = block.items.map((blocks_) => `<${item}>${jatsBlocksXml(blocks_, prefix)}</${item}>`).join('');
      // <abstract> takes paragraphs (and sections), not lists: a list sits in a paragraph of its own.
      return `<${p}><${list} list-type="${block.ordered ? 'order' : 'bullet'}">${items}</${list}></${p}>`;
    })
    .join('');
}

/** Places in an xmlbuilder2 document for compact XML fragments, filled once the document is printed. */
export interface RichSlots {
  /** Puts `xml` (well-formed, its prefixes declared above `element`) as the whole content of `element`. */
  put(element: Node, xml: string): void;
  /** The printed document with every fragment in its place. */
  fill(printed: string): string;
}

export function richSlots(): RichSlots {
  // A random mark per document: no text an author wrote can contain it.
  const mark = `\uE000${randomBytes(8).toString('hex')}:`;
  const fragments: string[] = [];
  return {
    put(element, xml) {
      if (xml === '') return;
      element.txt(`${mark}${fragments.length}\uE000`);
      fragments.push(xml);
    },
    fill(printed) {
      if (fragments.length === 0) return printed;
      return printed.replace(new RegExp(`${mark}(\\d+)\uE000`, 'g'), (_m, index: string) => fragments[Number(index)]!);
    },
  };
}
