import type { SafeHtml } from '#jsx/jsx-runtime';
import { personName } from '../../../accounts/index.ts';
import type { WorkflowStage } from '../../../db/schema.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { formatFileSize } from '../../../platform/web/index.ts';
import { Badge, ErrorSummary, FieldGroup, fieldId, Form, Layout, Notice, SelectField, SubmitButton, TextArea, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { DiscussionCandidate, DiscussionSummary, PersonName } from '../../discussions.ts';

/** The discussions of a submission: the list per stage, and the form that starts one (issue 19, item 6). */

export const STAGES: readonly WorkflowStage[] = ['submission', 'review', 'copyediting', 'production'];

export const STAGE_NAMES: Record<WorkflowStage, MessageKey> = {
  submission: 'workflow.stage.submission',
  review: 'workflow.stage.review',
  copyediting: 'workflow.stage.copyediting',
  production: 'workflow.stage.production',
};

const ROLE_NAMES: Record<string, MessageKey> = {
  editor: 'workflow.role.editor',
  'section-editor': 'workflow.role.section-editor',
  author: 'workflow.role.author',
  manager: 'discussions.role.manager',
};

export interface SubmissionHeading {
  id: number;
  title: string;
  titleLang?: string;
  journalPath: string;
}

export function submissionBase(s: SubmissionHeading): string {
  return `/${s.journalPath}/workflow/index/${s.id}`;
}

export function nameOf(person: PersonName | null, ctx: PageContext): string {
  if (!person) return ctx.t('discussions.formerUser');
  return personName({ given_name: person.givenName, family_name: person.familyName }, ctx.locale) ?? person.email;
}

const dateTimes = new Map<string, Intl.DateTimeFormat>();

/** A moment as people read it in their language (UTC, said so). */
export function DateTime({ ctx, value }: { ctx: PageContext; value: Date }): SafeHtml {
  let format = dateTimes.get(ctx.locale);
  if (!format) dateTimes.set(ctx.locale, (format = new Intl.DateTimeFormat(ctx.locale === 'en' ? 'en-GB' : ctx.locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' })));
  return <time datetime={value.toISOString()}>{format.format(value)}</time>;
}

export function Heading({ ctx, submission, title }: { ctx: PageContext; submission: SubmissionHeading; title: string }): SafeHtml {
  return (
    <>
      <p>
        <a href={submissionBase(submission)}>{ctx.t('discussions.backToSubmission')}</a>
      </p>
      <h1>{title}</h1>
      <p class="hint">
        {ctx.t('discussions.aboutSubmission', { id: submission.id })} <span lang={submission.titleLang}>{submission.title}</span>
      </p>
    </>
  );
}

export function candidateLabel(ctx: PageContext, c: DiscussionCandidate, viewerId: number): string {
  const roles = c.roles.map((r) => (ROLE_NAMES[r] ? ctx.t(ROLE_NAMES[r]) : r)).filter((r, i, all) => all.indexOf(r) === i);
  return `${nameOf(c, ctx)}${c.userId === viewerId ? ` ${ctx.t('discussions.you')}` : ''} (${roles.join(', ')})`;
}

/** Checkboxes of people, each labelled with what they are to the submission; errors tied to the group. */
export function PeopleField({ ctx, name, legend, hint, people, chosen, viewerId, error }: { ctx: PageContext; name: string; legend: string; hint?: string; people: DiscussionCandidate[]; chosen: readonly number[]; viewerId: number; error?: string }): SafeHtml {
  const id = fieldId(name);
  return (
    <FieldGroup name={name} legend={legend} hint={hint} error={error}>
      {people.map((p) => (
        <div class="field field--checkbox">
          <input id={`${id}-${p.userId}`} type="checkbox" name={name} value={String(p.userId)} checked={chosen.includes(p.userId)} aria-invalid={error ? 'true' : undefined} />
          <label for={`${id}-${p.userId}`}>{candidateLabel(ctx, p, viewerId)}</label>
        </div>
      ))}
    </FieldGroup>
  );
}

export function AttachmentsField({ ctx, error, maxFiles, maxBytes }: { ctx: PageContext; error?: string; maxFiles: number; maxBytes: number }): SafeHtml {
  const id = fieldId('attachments');
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={id}>{ctx.t('discussions.attachments')}</label>
      <p class="hint" id={`${id}-hint`}>
        {ctx.t('discussions.attachmentsHint', { count: maxFiles, size: formatFileSize(maxBytes, ctx.locale) })}
      </p>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <input id={id} type="file" name="attachments" multiple aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`} />
    </div>
  );
}

export interface StartForm {
  stage: WorkflowStage;
  subject: string;
  participantIds: number[];
  body: string;
  errors: FormErrors;
}

export interface DiscussionListView {
  ctx: PageContext;
  submission: SubmissionHeading;
  discussions: DiscussionSummary[];
  /** Null when the viewer may not start one. */
  start: { form: StartForm; candidates: DiscussionCandidate[]; viewerId: number; maxFiles: number; maxBytes: number } | null;
  notice?: string;
}

export function DiscussionListPage({ ctx, submission, discussions, start, notice }: DiscussionListView): SafeHtml {
  const base = `${submissionBase(submission)}/discussions`;
  const title = ctx.t('discussions.title');
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <Heading ctx={ctx} submission={submission} title={title} />
      {notice ? <Notice>{notice}</Notice> : null}
      {start ? <ErrorSummary ctx={ctx} errors={start.form.errors} /> : null}
      {discussions.length === 0 ? <p>{ctx.t('discussions.none')}</p> : null}
      {STAGES.filter((stage) => discussions.some((d) => d.stage === stage)).map((stage) => (
        <section aria-labelledby={`stage-${stage}`}>
          <h2 id={`stage-${stage}`}>{ctx.t(STAGE_NAMES[stage])}</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{ctx.t('discussions.subject')}</th>
                <th scope="col">{ctx.t('discussions.messageCount')}</th>
                <th scope="col">{ctx.t('discussions.lastMessage')}</th>
                <th scope="col">{ctx.t('discussions.status')}</th>
              </tr>
            </thead>
            <tbody>
              {discussions
                .filter((d) => d.stage === stage)
                .map((d) => (
                  <tr>
                    <th scope="row">
                      <a href={`${base}/${d.id}`}>{d.subject}</a>
                    </th>
                    <td>{String(d.messageCount)}</td>
                    <td>{d.lastMessageAt ? <DateTime ctx={ctx} value={d.lastMessageAt} /> : ''}</td>
                    <td>{d.closedAt ? <Badge>{ctx.t('discussions.closed')}</Badge> : <Badge tone="success">{ctx.t('discussions.open')}</Badge>}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
      {start ? (
        <section aria-labelledby="start-discussion">
          <h2 id="start-discussion">{ctx.t('discussions.start')}</h2>
          <Form action={base} csrf={ctx.csrf ?? ''} multipart>
            <SelectField ctx={ctx} name="stage" label={ctx.t('discussions.stage')} value={start.form.stage} options={STAGES.map((s) => ({ value: s, label: ctx.t(STAGE_NAMES[s]) }))} error={start.form.errors.stage} />
            <TextField ctx={ctx} name="subject" label={ctx.t('discussions.subject')} value={start.form.subject} maxlength={255} required error={start.form.errors.subject} />
            <PeopleField
              ctx={ctx}
              name="participantIds"
              legend={ctx.t('discussions.participants')}
              hint={ctx.t('discussions.participantsHint')}
              people={start.candidates.filter((c) => c.userId !== start.viewerId)}
              chosen={start.form.participantIds}
              viewerId={start.viewerId}
              error={start.form.errors.participantIds}
            />
            <TextArea ctx={ctx} name="body" label={ctx.t('discussions.message')} value={start.form.body} rows={8} required error={start.form.errors.body} />
            <AttachmentsField ctx={ctx} error={start.form.errors.attachments} maxFiles={start.maxFiles} maxBytes={start.maxBytes} />
            <SubmitButton label={ctx.t('discussions.startSubmit')} />
          </Form>
        </section>
      ) : null}
    </Layout>
  );
}
