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

/** The namespace of JATS 1.3 Journal Publishing records in OAI-PMH, named after the tag set's address. */
export const JATS_OAI_NAMESPACE = 'https://jats.nlm.nih.gov/publishing/1.3/';

export const METADATA_FORMATS: MetadataFormat[] = [
  { prefix: 'oai_dc', schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd', namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/', build: dublinCoreRecord, references: false },
  { prefix: 'marcxml', schema: 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd', namespace: 'http://www.loc.gov/MARC21/slim', build: marcxmlRecord, references: false },
  // OAI-PMH wants a record's metadata in a namespace (the envelope's <metadata> takes strict
  // ##other content, which excludes unqualified elements), and the format's namespace is the one
  // ListMetadataFormats declares. JATS's own schema has no namespace, so the OAI record is the JATS
  // article with every unprefixed element put in the tag set's namespace by one default declaration,
  // as OJS's oaiJats plugin does (it declares `https://jats.nlm.nih.gov/publishing/1.1/` on
  // <article>). Taking that declaration off again gives back the plain JATS document the schema
  // validates; the JATS export (`revista export jats`) stays without a namespace.
  // A ListRecords answer holds many articles in one XML document, where an id may appear once: each
  // record's ids carry its article's id.
  {
    prefix: 'jats',
    schema: 'https://jats.nlm.nih.gov/publishing/1.3/xsd/JATS-journalpublishing1-3.xsd',
    namespace: JATS_OAI_NAMESPACE,
    build: (input) => jatsArticle(input, { idPrefix: `a${input.article.id}-` }).replace(/^<article\b/, `<article xmlns="${JATS_OAI_NAMESPACE}"`),
    references: true,
  },
];

export function formatFor(prefix: string): MetadataFormat | undefined {
  return METADATA_FORMATS.find((f) => f.prefix === prefix);
}

export { dublinCoreRecord, marcxmlRecord, jatsArticle };
