import { CONTRIBUTOR_ROLE, type Localized, type NativeAuthor, type NativePublication } from './model.ts';
import { attrs, indent, localizedLines, lose, text, type Dialect } from './write-xml.ts';

/** Authors as each OJS release reads them (see versions.ts for what differs). */

export const hasText = (values: Localized) => Object.values(values).some((v) => v.trim() !== '');

/**
 * Before 3.5 an author has one affiliation, a text per locale: several are joined per locale with
 * "; " (so none is lost), and ROR ids, which those releases cannot hold, are counted.
 */
function plainAffiliationLines(w: Dialect, depth: number, author: NativeAuthor): string {
  const named = author.affiliations.filter((a) => hasText(a.name));
  const rors = author.affiliations.filter((a) => a.ror).length;
  if (rors > 0) lose(w, 'ror', rors);
  if (named.length > 1) lose(w, 'affiliationsJoined');
  const joined: Localized = {};
  for (const affiliation of named) {
    for (const [locale, name] of Object.entries(affiliation.name)) {
      if (name.trim() === '') continue;
      joined[locale] = joined[locale] ? `${joined[locale]}; ${name}` : name;
    }
  }
  return localizedLines(w, depth, 'affiliation', joined);
}

/**
 * OJS 3.3's importer stops at an author without a given name in the article's language (3.4 and
 * later accept a family name alone): such an author gets, there, a given name from another language,
 * else the family name (which then leaves that language's family name), else — an author known only
 * by an affiliation — the affiliation's name. An author with none of these cannot be written.
 */
function namesFor33(w: Dialect, author: NativeAuthor, publicationLocale: string): { givenName: Localized; familyName: Localized } | undefined {
  if (w.version !== '3.3' || (author.givenName[publicationLocale] ?? '').trim() !== '') return { givenName: author.givenName, familyName: author.familyName };
  const inLocale = (values: Localized) => (values[publicationLocale]?.trim() ? values[publicationLocale]! : Object.values(values).find((v) => v.trim() !== ''));
  const other = inLocale(author.givenName);
  const family = inLocale(author.familyName);
  const affiliation = author.affiliations.map((a) => inLocale(a.name)).find((v) => v !== undefined);
  const name = other ?? family ?? affiliation;
  if (name === undefined) return undefined;
  lose(w, 'givenName');
  const familyName = { ...author.familyName };
  if (other === undefined && family !== undefined) delete familyName[publicationLocale];
  return { givenName: inStoredOrder({ ...author.givenName, [publicationLocale]: name }), familyName };
}

/**
 * Languages in the order the database keeps a jsonb object's keys (shorter first, then by bytes), as
 * every value loaded from it already is: so the copy an import of this document makes exports the same.
 */
function inStoredOrder(values: Localized): Localized {
  const order = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => order(a, b)));
}

/** The authors a release can hold: 3.3 leaves out those with no name at all (counted). */
export function authorsFor(w: Dialect, p: NativePublication, publicationLocale: string): NativeAuthor[] {
  if (w.version !== '3.3') return p.authors;
  return p.authors.filter((a) => namesFor33({ ...w, losses: {} }, a, publicationLocale) !== undefined);
}

/** The user group a release before main knows the author by: OJS's default groups, named in English in every install. */
function userGroupRef(w: Dialect, author: NativeAuthor): string {
  const translator = author.contributorRoles.includes(CONTRIBUTOR_ROLE.translator) && !author.contributorRoles.includes(CONTRIBUTOR_ROLE.author);
  const kept = translator ? CONTRIBUTOR_ROLE.translator : CONTRIBUTOR_ROLE.author;
  const others = author.contributorRoles.filter((r) => r !== kept).length;
  if (others > 0) lose(w, 'contributorRoles', others);
  if (author.contributorType && author.contributorType !== 'PERSON') lose(w, 'contributorType');
  return translator ? 'Translator' : 'Author';
}

export function authorLines(w: Dialect, depth: number, author: NativeAuthor, publicationLocale: string): string {
  const d = depth + 1;
  const main = w.version === 'main';
  const { givenName, familyName } = namesFor33(w, author, publicationLocale) ?? { givenName: author.givenName, familyName: author.familyName };
  let out = `${indent(depth)}<author${attrs([
    ['primary_contact', author.primaryContact ? 'true' : undefined],
    // OJS's importers test the attribute's text as PHP does, where "false" is true and "0" is false.
    ['include_in_browse', author.includeInBrowse ? 'true' : '0'],
    ['user_group_ref', main ? undefined : userGroupRef(w, author)],
    ['seq', author.seq],
    ['id', author.ojsId ?? author.seq],
    ['contributor_type', main ? (author.contributorType ?? 'PERSON') : undefined],
  ])}>\n`;
  out += localizedLines(w, d, 'givenname', givenName, { required: true, fallbackLocale: publicationLocale });
  out += localizedLines(w, d, 'familyname', familyName);
  if (w.version === '3.3' || w.version === '3.4') out += plainAffiliationLines(w, d, author);
  else {
    for (const affiliation of author.affiliations) {
      if (affiliation.ror) {
        out += `${indent(d)}<rorAffiliation>\n${indent(d + 1)}<ror>${text(affiliation.ror)}</ror>\n${localizedLines(w, d + 1, 'name', affiliation.name, { required: true, fallbackLocale: publicationLocale })}${indent(d)}</rorAffiliation>\n`;
      } else if (hasText(affiliation.name)) {
        out += `${indent(d)}<affiliation>\n${localizedLines(w, d + 1, 'name', affiliation.name)}${indent(d)}</affiliation>\n`;
      }
    }
  }
  if (author.country) out += `${indent(d)}<country>${text(author.country)}</country>\n`;
  // Releases before main require <email>; OJS stores an empty one for an author entered without.
  if (author.email || !main) out += `${indent(d)}<email>${text(author.email ?? '')}</email>\n`;
  if (author.url) out += `${indent(d)}<url>${text(author.url)}</url>\n`;
  if (author.orcid) out += `${indent(d)}<orcid>${text(author.orcid)}</orcid>\n`;
  out += localizedLines(w, d, 'biography', author.biography);
  if (main) {
    // OJS main needs a contributor role per author: a contributor entered in Revista has none stored.
    const roles = author.contributorRoles.length > 0 ? author.contributorRoles : [CONTRIBUTOR_ROLE.author];
    out += `${indent(d)}<contributor_roles>\n${roles.map((r) => `${indent(d + 1)}<contributor_role_id>${r}</contributor_role_id>\n`).join('')}${indent(d)}</contributor_roles>\n`;
  }
  return `${out}${indent(depth)}</author>\n`;
}

