import type { RecordInput } from '../record.ts';
import { dublinCoreRecord } from './dublin-core.ts';
import { jatsArticle } from './jats.ts';
import { marcxmlRecord } from './marcxml.ts';

/** A metadata format OAI-PMH harvesters may ask for. */
export interface MetadataFormat {
  prefix: string;
  schema: string;
  namespace: string;
  /** The record's metadata element, as XML without a declaration. */
  build(input: RecordInput): string;
  /** Whether the format carries the reference list (loading it is the costliest part of a record). */
  references: boolean;
}

export const METADATA_FORMATS: MetadataFormat[] = [
  { prefix: 'oai_dc', schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd', namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/', build: dublinCoreRecord, references: false },
  { prefix: 'marcxml', schema: 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd', namespace: 'http://www.loc.gov/MARC21/slim', build: marcxmlRecord, references: false },
  // JATS elements have no namespace; the URI names the tag set, as the JATS site publishes it.
  {
    prefix: 'jats',
    schema: 'https://jats.nlm.nih.gov/publishing/1.3/xsd/JATS-journalpublishing1-3.xsd',
    namespace: 'https://jats.nlm.nih.gov/publishing/1.3/',
    // Inside the OAI envelope (default namespace OAI) the article must say it has no namespace.
    build: (input) => jatsArticle(input).replace(/^<article\b/, '<article xmlns=""'),
    references: true,
  },
];

export function formatFor(prefix: string): MetadataFormat | undefined {
  return METADATA_FORMATS.find((f) => f.prefix === prefix);
}

export { dublinCoreRecord, marcxmlRecord, jatsArticle };
