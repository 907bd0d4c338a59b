/**
 * Types for the citation packages that ship none: `citeproc` (citeproc-js, used by citations.ts) and
 * citation-js (used by citations.test.ts to read our BibTeX and RIS back). Only what we call.
 */

declare module 'citeproc' {
  interface CitationSys {
    /** The locale file's XML for a tag such as `pl-PL`. */
    retrieveLocale(lang: string): string;
    /** The CSL-JSON item with this id. */
    retrieveItem(id: string): unknown;
  }

  interface BibliographyMeta {
    bibstart: string;
    bibend: string;
    [key: string]: unknown;
  }

  class Engine {
    /** `forceLang` makes `lang` win over the style's own `default-locale`. */
    constructor(sys: CitationSys, style: string, lang?: string, forceLang?: boolean);
    setOutputFormat(format: 'html' | 'text' | 'rtf'): void;
    updateItems(ids: string[]): void;
    /** False when the style has no bibliography. */
    makeBibliography(): false | [BibliographyMeta, string[]];
  }

  const CSL: { Engine: typeof Engine };
  export default CSL;
}

declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown);
    static async(data: unknown): Promise<Cite>;
    data: Record<string, unknown>[];
  }
}

declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
