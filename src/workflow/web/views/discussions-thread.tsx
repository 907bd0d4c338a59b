import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatFileSize } from '../../../platform/web/index.ts';
import { ActionButton, Badge, ErrorSummary, Form, Layout, Notice, SubmitButton, TextArea, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { DiscussionCandidate, DiscussionMessageEntry, DiscussionSummary, PersonName } from '../../discussions.ts';
import { AttachmentsField, DateTime, Heading, nameOf, PeopleField, STAGE_NAMES, submissionBase, type SubmissionHeading } from './discussions.tsx';

/** One discussion: its messages, the reply form, and for editors closing it and asking more people in. */

export interface ThreadView {
  ctx: PageContext;
  submission: SubmissionHeading;
  discussion: DiscussionSummary;
  participants: PersonName[];
  messages: DiscussionMessageEntry[];
  reply: { body: string; errors: FormErrors; maxFiles: number; maxBytes: number };
  /** Set for the submission's editors: who else may be asked in. */
  editor: { candidates: DiscussionCandidate[]; errors: FormErrors } | null;
  viewerId: number;
  notice?: string;
}

/** A message's text as written: paragraphs at blank lines, line breaks kept, everything escaped. */
function MessageBody({ body }: { body: string }): SafeHtml {
  return (
    <div class="message-body">
      {body
        .split(/\n\s*\n/)
        .filter((p) => p.trim() !== '')
        .map((paragraph) => (
          <p>
            {paragraph.split('\n').map((line, i) => (i === 0 ? line : [<br />, line]))}
          </p>
        ))}
    </div>
  );
}

export function DiscussionThreadPage({ ctx, submission, discussion, participants, messages, reply, editor, viewerId, notice }: ThreadView): SafeHtml {
  const base = `${submissionBase(submission)}/discussions/${discussion.id}`;
  const closed = discussion.closedAt !== null;
  return (
    <Layout ctx={ctx} title={`${discussion.subject} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <Heading ctx={ctx} submission={submission} title={discussion.subject} />
      <p>
        <a href={`${submissionBase(submission)}/discussions`}>{ctx.t('discussions.allDiscussions')}</a>
      </p>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={{ ...reply.errors, ...(editor?.errors ?? {}) }} />
      <dl class="summary-list">
        <dt>{ctx.t('discussions.stage')}</dt>
        <dd>{ctx.t(STAGE_NAMES[discussion.stage])}</dd>
        <dt>{ctx.t('discussions.status')}</dt>
        <dd>{closed ? <Badge>{ctx.t('discussions.closed')}</Badge> : <Badge tone="success">{ctx.t('discussions.open')}</Badge>}</dd>
        <dt>{ctx.t('discussions.participants')}</dt>
        <dd>
          <ul>
            {participants.map((p) => (
              <li>
                {nameOf(p, ctx)}
                {p.userId === viewerId ? ` ${ctx.t('discussions.you')}` : ''}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <section aria-labelledby="messages">
        <h2 id="messages">{ctx.t('discussions.messages')}</h2>
        <ol class="messages">
          {messages.map((m) => (
            <li id={`message-${m.id}`}>
              <article aria-labelledby={`message-${m.id}-by`}>
                <h3 id={`message-${m.id}-by`}>
                  {nameOf(m.author, ctx)}, <DateTime ctx={ctx} value={m.createdAt} />
                </h3>
                <MessageBody body={m.body} />
                {m.attachments.length > 0 ? (
                  <>
                    <h4>{ctx.t('discussions.attachments')}</h4>
                    <ul>
                      {m.attachments.map((f) => (
                        <li>
                          <a href={`${base}/files/${f.fileId}`} download={f.name}>
                            {f.name}
                          </a>{' '}
                          ({formatFileSize(f.sizeBytes, ctx.locale)})
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </article>
            </li>
          ))}
        </ol>
      </section>
      {closed ? (
        <Notice kind="warning">{ctx.t('discussions.closedNotice')}</Notice>
      ) : (
        <section aria-labelledby="reply">
          <h2 id="reply">{ctx.t('discussions.reply')}</h2>
          <Form action={base} csrf={ctx.csrf ?? ''} multipart>
            <TextArea ctx={ctx} name="body" label={ctx.t('discussions.message')} value={reply.body} rows={6} required error={reply.errors.body} />
            <AttachmentsField ctx={ctx} error={reply.errors.attachments} maxFiles={reply.maxFiles} maxBytes={reply.maxBytes} />
            <SubmitButton label={ctx.t('discussions.send')} />
          </Form>
        </section>
      )}
      {editor ? (
        <section aria-labelledby="manage-discussion">
          <h2 id="manage-discussion">{ctx.t('discussions.manage')}</h2>
          {editor.candidates.length > 0 && !closed ? (
            <Form action={`${base}/participants`} csrf={ctx.csrf ?? ''}>
              <PeopleField ctx={ctx} name="participantIds" legend={ctx.t('discussions.addParticipants')} people={editor.candidates} chosen={[]} viewerId={viewerId} error={editor.errors.participantIds} />
              <SubmitButton label={ctx.t('discussions.add')} />
            </Form>
          ) : null}
          <ActionButton action={`${base}/${closed ? 'reopen' : 'close'}`} csrf={ctx.csrf ?? ''} label={ctx.t(closed ? 'discussions.reopen' : 'discussions.close')} />
        </section>
      ) : null}
    </Layout>
  );
}
