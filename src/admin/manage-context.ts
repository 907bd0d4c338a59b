import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { can } from '../accounts/index.ts';
import { formPage } from '../platform/web/index.ts';
import type { Database, Journal } from '../db/index.ts';
import { NotFoundError } from '../platform/http/index.ts';
import { isUiLocale, UI_LOCALES, type UiLocale } from '../i18n/index.ts';
import type { PageContext } from '../ui/index.ts';
import type { ManageAccess } from './views/manage.tsx';

export interface ManageContext {
  ctx: PageContext;
  journal: Journal;
  access: ManageAccess;
  /** The journal's languages, for localized fields. */
  locales: UiLocale[];
}

/** Everything a management page needs: the journal's row, what this person may open, the page context. */
export async function manageContext(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply): Promise<ManageContext> {
  const journalId = request.viewer.journal?.id;
  if (journalId === undefined) throw new NotFoundError();
  const [{ ctx }, journal] = await Promise.all([formPage(db, request, reply), db.selectFrom('journals').selectAll().where('id', '=', journalId).executeTakeFirst()]);
  if (!journal) throw new NotFoundError();
  const user = request.viewer.user;
  const access: ManageAccess = {
    settings: can(user, 'journal.settings', { kind: 'journal', journalId }),
    issues: can(user, 'journal.issues', { kind: 'journal', journalId }),
    users: can(user, 'journal.users', { kind: 'journal', journalId }),
    stats: can(user, 'journal.stats', { kind: 'journal', journalId }),
  };
  const locales = journal.supported_locales.filter(isUiLocale);
  return { ctx, journal, access, locales: locales.length > 0 ? locales : [...UI_LOCALES] };
}

/** `?notice=key` after a redirect, when it names one of the notices this page knows. */
export function noticeFrom(request: FastifyRequest, known: readonly string[]): string | undefined {
  const query: unknown = request.query;
  const notice = query !== null && typeof query === 'object' && 'notice' in query ? query.notice : undefined;
  return typeof notice === 'string' && known.includes(notice) ? notice : undefined;
}

/** The permission of the journal's settings pages. */
export const SETTINGS = { config: { permission: 'journal.settings' as const } };

/** `/{journal}/management` of the journal the request points into. */
export function managementBase(request: FastifyRequest): string {
  return `/${request.viewer.journal!.path}/management`;
}
