import type { SafeHtml } from '#jsx/jsx-runtime';
import type { ContributorForEditing } from '../../../catalog/index.ts';
import type { LocalizedList, LocalizedText } from '../../../db/schema.ts';
import { localizeText } from '../../../i18n/index.ts';
import type { ActivityAction } from '../../activity.ts';
import { ACTIVITY_LABEL, ROLE_LABEL, STAGE_LABEL, STATUS_LABEL } from './editorial-labels.tsx';
import { AdminPage, ManagePage, contributorName, formatFileSize, type ManageAccess } from '../../../platform/web/index.ts';
import { Confirmation, ConfirmLink, Form, RichText, RichTitle, SubmitButton, richToPlainLine, type PageContext } from '../../../ui/index.ts';
import type { ActivityEntry, FileRevision, Participant, SubmissionFileEntry, SubmissionRecord } from '../../queries.ts';
import type { ParticipantRole } from '../../../db/schema.ts';
import { AuthorReviewSection, type AuthorReviewData } from './author-review.tsx';

export interface PersonRef {
  userId: number;
  name: string;
}

export interface FileView extends SubmissionFileEntry {
  uploadedByName: string | null;
  /** The kind's name as the journal calls it (the key when the kind is no longer configured). */
  kindName: LocalizedText;
  /** Earlier revisions, newest first (the current one left out). */
  earlier: Array<FileRevision & { uploadedByName: string | null }>;
}

export interface SubmissionPageData {
  submission: SubmissionRecord;
  publication: { prefix: LocalizedText; title: LocalizedText; subtitle: LocalizedText; abstract: LocalizedText; keywords: LocalizedList; locale: string };
  sectionTitle: LocalizedText;
  contributors: ContributorForEditing[];
  references: string[];
  files: FileView[];
  participants: Array<Participant & { name: string }>;
  activity: ActivityEntry[];
  /** Names of people the activity log mentions (assigned, removed). */
  people: Map<number, string>;
  /** The viewer edits the submission (an editor of it): comments for the editor, the whole log. */
  editorView: boolean;
  canAssign: boolean;
  canRevise: boolean;
  eligible: { editor: PersonRef[]; 'section-editor': Array<PersonRef & { inSection: boolean }> };
  errors: { assign?: string; revise?: { fileId: number; message: string } };
  notice?: string;
  /** The Review section (rounds, reviewers, decisions) for the submission's editors. */
  review?: SafeHtml | undefined;
  /** The Copyediting section (issue 21) for the editors, copyeditors and layout editors. */
  copyediting?: SafeHtml | undefined;
  /** The Production section (galleys, proofs) for layout editors and editors; an author's way to their proofs. */
  production?: SafeHtml | undefined;
  publishing?: SafeHtml | undefined;
  /** What its author sees of review (rounds, decisions, shared reviews); editors have their own review section. */
  authorReview?: AuthorReviewData;
  /** The management menu (editors) or none (authors: their own frame). */
  access?: ManageAccess;
}

/** Entries only the journal's editors see: who was assigned, and discussions an author may not be part of. */
const EDITOR_ONLY = new Set(['participant.assigned', 'participant.removed', 'discussion.started', 'discussion.message', 'discussion.closed', 'discussion.reopened', 'discussion.participants-added']);

export function visibleActivity(activity: readonly ActivityEntry[], editorView: boolean): ActivityEntry[] {
  return editorView ? [...activity] : activity.filter((a) => !EDITOR_ONLY.has(a.action));
}

const dateTime = (ctx: PageContext, at: Date) => new Intl.DateTimeFormat(ctx.locale === 'pl' ? 'pl' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at);

function When({ ctx, at }: { ctx: PageContext; at: Date }): SafeHtml {
  return <time datetime={at.toISOString()}>{dateTime(ctx, at)}</time>;
}

function activityText(ctx: PageContext, entry: ActivityEntry, people: Map<number, string>): string {
  const who = entry.userName ?? ctx.t('submissionPage.someone');
  const d = entry.details;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const person = typeof d.userId === 'number' ? (people.get(d.userId) ?? `#${d.userId}`) : '';
  const role = typeof d.role === 'string' && Object.hasOwn(ROLE_LABEL, d.role) ? ctx.t(ROLE_LABEL[d.role as ParticipantRole]) : '';
  if (!Object.hasOwn(ACTIVITY_LABEL, entry.action)) return ctx.t('submissionPage.activity.other', { who, action: entry.action });
  return ctx.t(ACTIVITY_LABEL[entry.action as ActivityAction], { who, name: text(d.name), person, role });
}

const languageLabel = (ctx: PageContext, locale: string) => {
  try {
    return new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(locale.replace('_', '-')) ?? locale;
  } catch {
    return locale;
  }
};

function Localized({ ctx, label, values, rich }: { ctx: PageContext; label: string; values: LocalizedText; rich?: 'title' | 'block' }): SafeHtml {
  const entries = Object.entries(values).filter(([, v]) => v.trim() !== '');
  if (entries.length === 0) return <></>;
  return (
    <>
      <dt>{label}</dt>
      {entries.map(([locale, value]) => (
        <dd lang={locale}>
          <span class="hint">{languageLabel(ctx, locale)}: </span>
          {rich === 'title' ? <RichTitle text={value} /> : rich === 'block' ? <RichText text={value} lang={locale} /> : value}
        </dd>
      ))}
    </>
  );
}

function FileList({ ctx, data, base }: { ctx: PageContext; data: SubmissionPageData; base: string }): SafeHtml {
  const { t } = ctx;
  if (data.files.length === 0) return <p>{t('submissionPage.noFiles')}</p>;
  return (
    <table class="data-table">
      <caption class="visually-hidden">{t('submissionPage.files')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('submissionPage.fileName')}</th>
          <th scope="col">{t('submissionPage.fileKind')}</th>
          <th scope="col">{t('submissionPage.fileSize')}</th>
          <th scope="col">{t('submissionPage.fileType')}</th>
          <th scope="col">{t('submissionPage.fileChecksum')}</th>
          <th scope="col">{t('submissionPage.uploaded')}</th>
          <th scope="col">{t('submissionPage.revisions')}</th>
        </tr>
      </thead>
      <tbody>
        {data.files.map((f) => (
          <tr>
            <td>
              <a href={`${base}/files/${f.id}`} download={f.name}>
                {f.name}
              </a>
            </td>
            <td>{localizeText(f.kindName, ctx.locale) || f.kind}</td>
            <td>{formatFileSize(f.sizeBytes, ctx.locale)}</td>
            <td>{f.mimeType}</td>
            <td>
              <code title={f.sha256}>{f.sha256.slice(0, 12)}</code>
            </td>
            <td>
              {f.uploadedByName ?? '—'}, <When ctx={ctx} at={f.updatedAt} />
            </td>
            <td>
              {String(f.revisions)}
              {f.earlier.length > 0 ? (
                <details>
                  <summary>{t('submissionPage.earlierRevisions')}</summary>
                  <ul>
                    {f.earlier.map((r) => (
                      <li>
                        <a href={`${base}/files/${f.id}/revisions/${r.id}`}>{r.originalName}</a> ({formatFileSize(r.sizeBytes, ctx.locale)}, <code>{r.sha256.slice(0, 12)}</code>, {r.uploadedByName ?? '—'},{' '}
                        <When ctx={ctx} at={r.createdAt} />)
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {data.canRevise ? (
                <Form action={`${base}/files/${f.id}/revise`} csrf={ctx.csrf ?? ''} multipart>
                  <div class={data.errors.revise?.fileId === f.id ? 'field field--error' : 'field'}>
                    <label for={`revise-${f.id}`}>{t('submissionPage.newRevision', { name: f.name })}</label>
                    {data.errors.revise?.fileId === f.id ? (
                      <p class="field-error" id={`revise-${f.id}-error`}>
                        {data.errors.revise.message}
                      </p>
                    ) : null}
                    <input
                      id={`revise-${f.id}`}
                      type="file"
                      name="file"
                      required
                      aria-invalid={data.errors.revise?.fileId === f.id ? 'true' : undefined}
                      aria-describedby={data.errors.revise?.fileId === f.id ? `revise-${f.id}-error` : undefined}
                    />
                  </div>
                  <SubmitButton label={t('submissionPage.upload')} />
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AssignForm({ ctx, data, base, role }: { ctx: PageContext; data: SubmissionPageData; base: string; role: 'editor' | 'section-editor' }): SafeHtml {
  const { t } = ctx;
  const people = data.eligible[role];
  const id = `assign-${role}`;
  const error = data.errors.assign;
  return (
    <Form action={`${base}/participants`} csrf={ctx.csrf ?? ''}>
      <input type="hidden" name="role" value={role} />
      <div class={error ? 'field field--error' : 'field'}>
        <label for={id}>{t(role === 'editor' ? 'submissionPage.assignEditor' : 'submissionPage.assignSectionEditor')}</label>
        {error ? (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
        <select id={id} name="userId" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
          <option value="">{t('submissionPage.choosePerson')}</option>
          {people.map((p) => (
            <option value={String(p.userId)}>{'inSection' in p && p.inSection ? t('submissionPage.ofThisSection', { name: p.name }) : p.name}</option>
          ))}
        </select>
      </div>
      <div class="field field--checkbox">
        <input id={`${id}-recommend`} type="checkbox" name="recommendOnly" value="on" />
        <label for={`${id}-recommend`}>{t('submissionPage.recommendOnly')}</label>
      </div>
      <SubmitButton label={t('submissionPage.assign')} />
    </Form>
  );
}

export function SubmissionPage({ ctx, data }: { ctx: PageContext; data: SubmissionPageData }): SafeHtml {
  const { t } = ctx;
  const s = data.submission;
  const path = ctx.journal!.path;
  const base = `/${path}/workflow/index/${s.id}`;
  const pub = data.publication;
  const title = richToPlainLine(localizeText(pub.title, ctx.locale, pub.locale)) || t('editorial.untitled', { id: s.id });
  const keywords: LocalizedText = Object.fromEntries(Object.entries(pub.keywords).map(([l, list]) => [l, list.join(', ')]));
  const body = (
    <>
      <dl class="summary-list">
        <dt>{t('editorial.id')}</dt>
        <dd>{String(s.id)}</dd>
        <dt>{t('editorial.status')}</dt>
        <dd>{t(STATUS_LABEL[s.status])}</dd>
        <dt>{t('editorial.stage')}</dt>
        <dd>{t(STAGE_LABEL[s.stage])}</dd>
        <dt>{t('article.section')}</dt>
        <dd>{localizeText(data.sectionTitle, ctx.locale)}</dd>
        <dt>{t('article.submitted')}</dt>
        <dd>{s.submittedAt ? <When ctx={ctx} at={s.submittedAt} /> : '—'}</dd>
      </dl>
      <p>
        <a href={`${base}/discussions`}>{t('submissionPage.discussions')}</a>
      </p>
      {data.editorView && s.commentsForEditor.trim() !== '' ? (
        <section aria-labelledby="comments-heading">
          <h2 id="comments-heading">{t('submissionPage.commentsForEditor')}</h2>
          <p class="preformatted">{s.commentsForEditor}</p>
        </section>
      ) : null}
      {data.review ?? null}
      {data.copyediting ?? null}
      {data.production ?? null}
      {data.publishing ?? null}
      <section aria-labelledby="metadata-heading">
        <h2 id="metadata-heading">{t('submissionPage.metadata')}</h2>
        <dl>
          <Localized ctx={ctx} label={t('submissionPage.prefix')} values={pub.prefix} />
          <Localized ctx={ctx} label={t('editorial.titleColumn')} values={pub.title} rich="title" />
          <Localized ctx={ctx} label={t('submissionPage.subtitle')} values={pub.subtitle} rich="title" />
          <Localized ctx={ctx} label={t('article.abstract')} values={pub.abstract} rich="block" />
          <Localized ctx={ctx} label={t('article.keywords')} values={keywords} />
        </dl>
      </section>
      <section aria-labelledby="contributors-heading">
        <h2 id="contributors-heading">{t('submissionPage.contributors')}</h2>
        {data.contributors.length === 0 ? (
          <p>{t('submissionPage.noContributors')}</p>
        ) : (
          <ul>
            {data.contributors.map((c) => (
              <li>
                {contributorName(c, ctx.locale, pub.locale)?.text ?? '—'}
                {c.isPrimaryContact ? ` (${t('submissionPage.primaryContact')})` : ''}
                {c.orcid ? (
                  <>
                    {' '}
                    <a href={c.orcid}>{c.orcid}</a>
                  </>
                ) : null}
                {c.affiliations.length > 0 ? <>, {c.affiliations.map((a) => localizeText(a.name, ctx.locale, pub.locale)).join('; ')}</> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="references-heading">
        <h2 id="references-heading">{t('article.references')}</h2>
        {data.references.length === 0 ? (
          <p>{t('submissionPage.noReferences')}</p>
        ) : (
          <ol>
            {data.references.map((r) => (
              <li>{r}</li>
            ))}
          </ol>
        )}
      </section>
      {data.authorReview ? <AuthorReviewSection ctx={ctx} data={data.authorReview} base={base} /> : null}
      <section aria-labelledby="files-heading">
        <h2 id="files-heading">{t('submissionPage.files')}</h2>
        <FileList ctx={ctx} data={data} base={base} />
      </section>
      <section aria-labelledby="participants-heading">
        <h2 id="participants-heading">{t('submissionPage.participants')}</h2>
        <ul>
          {data.participants.map((p) => (
            <li>
              {p.name} — {t(ROLE_LABEL[p.role])}
              {p.recommendOnly ? ` (${t('submissionPage.recommendOnlyShort')})` : ''}, {t('submissionPage.assignedOn')} <When ctx={ctx} at={p.createdAt} />
              {data.canAssign && p.role !== 'author' ? <ConfirmLink href={`${base}/participants/${p.id}/remove`} label={t('submissionPage.removeParticipant', { name: p.name })} /> : null}
            </li>
          ))}
        </ul>
        {data.canAssign && s.status === 'active' ? (
          <>
            <AssignForm ctx={ctx} data={data} base={base} role="editor" />
            <AssignForm ctx={ctx} data={data} base={base} role="section-editor" />
          </>
        ) : null}
      </section>
      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading">{t('submissionPage.activity')}</h2>
        <ol class="activity-log">
          {visibleActivity(data.activity, data.editorView).map((a) => (
            <li>
              <When ctx={ctx} at={a.createdAt} />: {activityText(ctx, a, data.people)}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
  const pageTitle = t('submissionPage.title', { id: s.id, title });
  if (data.access) {
    return (
      <ManagePage ctx={ctx} access={data.access} title={pageTitle} notice={data.notice}>
        {body}
      </ManagePage>
    );
  }
  return (
    <AdminPage ctx={ctx} title={pageTitle} nav={[{ href: `/${path}/dashboard/mySubmissions`, label: 'submissionPage.mySubmissions' }]} area={t('submissionPage.mySubmissions')} areaHref={`/${path}/dashboard/mySubmissions`} notice={data.notice}>
      {body}
    </AdminPage>
  );
}

/** The confirmation before someone is taken off a submission. */
export function RemoveParticipantPage({ ctx, access, action, cancelHref, name, role }: { ctx: PageContext; access: ManageAccess; action: string; cancelHref: string; name: string; role: ParticipantRole }): SafeHtml {
  const question = ctx.t('submissionPage.removeParticipantQuestion', { name, role: ctx.t(ROLE_LABEL[role]) });
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('submissionPage.removeParticipantTitle')}>
      <Confirmation ctx={ctx} action={action} question={question} consequences={[ctx.t('submissionPage.removeParticipantWhat')]} confirmLabel={ctx.t('submissionPage.removeParticipantConfirm', { name })} cancelHref={cancelHref} />
    </ManagePage>
  );
}
