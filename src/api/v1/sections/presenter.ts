import type { Section as SectionRow } from '../../../db/index.ts';
import type { Static } from '../../../platform/http/index.ts';
import type { Section } from './schema.ts';

export function presentSection(row: SectionRow, journalPath: string, baseUrl: string): Static<typeof Section> {
  return { id: row.id, contextId: row.journal_id, title: row.title, abbrev: row.abbreviation, policy: row.policy, seq: row.seq, _href: `${baseUrl}/${journalPath}/api/v1/sections/${row.id}` };
}
