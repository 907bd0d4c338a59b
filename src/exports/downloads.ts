import type { RecordInput } from '../discovery/index.ts';
import { toBibTeX, toCslJsonText, toEndNote, toRis } from './citations.ts';

/** A citation file for reference managers, by OJS's format names. */
export function citationDownload(format: string, input: RecordInput): { body: string; contentType: string; extension: string } | undefined {
  switch (format) {
    case 'bibtex':
      return { body: toBibTeX(input), contentType: 'application/x-bibtex; charset=utf-8', extension: 'bib' };
    case 'ris':
      return { body: toRis(input), contentType: 'application/x-research-info-systems; charset=utf-8', extension: 'ris' };
    case 'endnote':
      return { body: toEndNote(input), contentType: 'application/x-endnote-refer; charset=utf-8', extension: 'enw' };
    case 'csl-json':
      return { body: toCslJsonText(input), contentType: 'application/vnd.citationstyles.csl+json; charset=utf-8', extension: 'json' };
    default:
      return undefined;
  }
}
