import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The schema a whole OAI-PMH answer is validated with, JATS records included.
 *
 * `oai-pmh-with-formats.xsd` (shared) imports the envelope and the oai_dc and MARC record schemas;
 * OAI-PMH's <metadata> takes strict `##other` content, so a JATS record must be in a namespace and
 * that namespace must have a schema. JATS 1.3's official XSD has no namespace: it is brought into
 * the OAI namespace of the format by a chameleon include (its components take the including
 * schema's namespace). It is imported without a namespace as well, because NISO's ALI module refers
 * to JATS's unqualified `license-ref-model` group. Written to a temporary folder, with absolute
 * paths to the shared schemas, so nothing outside the repository is changed.
 */
export const SCHEMAS = fileURLToPath(new URL('../../../shared/schemas/', import.meta.url));

export const JATS_1_3 = path.join(SCHEMAS, 'jats/JATS-journalpublishing1-3-mathml3.xsd');

/** What `oai-pmh-with-formats.xsd` imports (an import of that file itself would need a namespace it has not). */
const WITH_FORMATS = [
  ['http://www.openarchives.org/OAI/2.0/', 'OAI-PMH.xsd'],
  ['http://www.openarchives.org/OAI/2.0/oai_dc/', 'oai_dc.xsd'],
  ['http://www.openarchives.org/OAI/2.0/oai-identifier', 'oai-identifier.xsd'],
  ['http://www.loc.gov/MARC21/slim', 'MARC21slim.xsd'],
];

let written: string | undefined;

export function oaiSchemaWithJats(namespace = 'https://jats.nlm.nih.gov/publishing/1.3/'): string {
  if (written) return written;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-oai-schemas-'));
  // One schema document in the JATS namespace: a top-level document without a namespace could not
  // import JATS's no-namespace components (xmllint takes that namespace as already imported).
  const all = path.join(dir, 'oai-pmh-with-jats.xsd');
  fs.writeFileSync(
    all,
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${namespace}" elementFormDefault="qualified">
${WITH_FORMATS.map(([ns, file]) => `  <xs:import namespace="${ns}" schemaLocation="${path.join(SCHEMAS, 'oai-pmh', file!)}"/>\n`).join('')}  <xs:import schemaLocation="${JATS_1_3}"/>
  <xs:include schemaLocation="${JATS_1_3}"/>
</xs:schema>
`,
  );
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  written = all;
  return all;
}
