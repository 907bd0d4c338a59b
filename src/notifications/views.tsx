import type { SafeHtml } from '#jsx/jsx-runtime';
import type { MessageKey } from '../i18n/index.ts';
import { FieldGroup, Form, Layout, Notice, Pagination, SubmitButton, type PageContext } from '../ui/index.ts';
import type { NotificationKind } from './notify.ts';
import type { NotificationPage, NotificationPreference } from './queries.ts';
import { notificationsPath, notificationTarget, notificationWords } from './words.ts';

const dateTime = (ctx: PageContext, at: Date) => `${new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;

export interface ListView {
  page: NotificationPage;
  pageNumber: number;
  pages: number;
  /** Set on `/{journal}/notifications`: only that journal's. */
  journalPath?: string;
  notice?: string;
  csrf: string;
}

/** The person's notifications, newest first: each says what happened and leads where to act. */
export function NotificationsPage({ ctx, view }: { ctx: PageContext; view: ListView }): SafeHtml {
  const { page, journalPath } = view;
  const title = journalPath && ctx.journal ? ctx.t('notifications.titleInJournal', { journal: ctx.journal.name }) : ctx.t('notifications.title');
  const pageHref = (n: number) => notificationsPath(journalPath, n > 1 ? `?page=${n}` : '');
  // Forms send the person back to the page they were on.
  const back = view.pageNumber > 1 ? String(view.pageNumber) : '';
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <h1>{title}</h1>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      {journalPath ? (
        <p>
          {ctx.t('notifications.journalOnly')} <a href="/notifications">{ctx.t('notifications.showAll')}</a>
        </p>
      ) : null}
      <p>
        <a href={`${journalPath ? `/${journalPath}` : ''}/user/profile/notifications`}>{ctx.t('notifications.settingsLink')}</a>
      </p>
      {page.total === 0 ? (
        <p>{ctx.t('notifications.empty')}</p>
      ) : (
        <>
          <p>{ctx.t('notifications.unreadSummary', { count: page.unread, total: page.total })}</p>
          {page.unread > 0 ? (
            <Form action={notificationsPath(journalPath, '/read-all')} csrf={view.csrf} class="inline-form">
              <input type="hidden" name="page" value={back} />
              <button type="submit" class="button button--secondary">
                {ctx.t('notifications.markAllRead')}
              </button>
            </Form>
          ) : null}
          <ol class="notification-list" aria-label={ctx.t('notifications.listLabel')}>
            {page.items.map((n) => {
              const words = notificationWords(ctx, n);
              const unread = n.readAt === null;
              const target = notificationTarget(n);
              return (
                <li class={unread ? 'notification notification--unread' : 'notification'}>
                  <p>
                    {unread ? <strong class="notification__state">{ctx.t('notifications.unread')}: </strong> : null}
                    {target ? <a href={notificationsPath(journalPath, `/${n.id}/open`)}>{words.text}</a> : <span>{words.text}</span>}
                    <br />
                    <time datetime={n.createdAt.toISOString()}>{dateTime(ctx, n.createdAt)}</time>
                  </p>
                  {unread ? (
                    <form action={notificationsPath(journalPath, `/${n.id}/read`)} method="post" class="inline-form">
                      <input type="hidden" name="_csrf" value={view.csrf} />
                      <input type="hidden" name="page" value={back} />
                      <button type="submit" class="button button--secondary" aria-label={ctx.t('notifications.markReadOf', { text: words.text })}>
                        {ctx.t('notifications.markRead')}
                      </button>
                    </form>
                  ) : null}
                </li>
              );
            })}
          </ol>
          <Pagination ctx={ctx} page={view.pageNumber} pages={view.pages} href={pageHref} label={ctx.t('notifications.pagination')} />
        </>
      )}
    </Layout>
  );
}

const KIND_LABELS: Record<NotificationKind, MessageKey> = {
  'submission-submitted': 'notifications.settings.kind.submission-submitted',
  'submission-assigned': 'notifications.settings.kind.submission-assigned',
  'discussion-message': 'notifications.settings.kind.discussion-message',
  'review-requested': 'notifications.settings.kind.review-requested',
  'review-answered': 'notifications.settings.kind.review-answered',
  'review-submitted': 'notifications.settings.kind.review-submitted',
  'review-changed': 'notifications.settings.kind.review-changed',
  'review-reminder': 'notifications.settings.kind.review-reminder',
  decision: 'notifications.settings.kind.decision',
  recommendation: 'notifications.settings.kind.recommendation',
  'revisions-submitted': 'notifications.settings.kind.revisions-submitted',
  'proofs-requested': 'notifications.settings.kind.proofs-requested',
  'proofs-answered': 'notifications.settings.kind.proofs-answered',
  'publication-published': 'notifications.settings.kind.publication-published',
  'notice-published': 'notifications.settings.kind.notice-published',
};

/** Per kind, "show in Revista" and "email me"; kinds that always come by email say so, their box fixed. */
export function NotificationSettingsPage({ ctx, preferences, notice }: { ctx: PageContext; preferences: NotificationPreference[]; notice?: string }): SafeHtml {
  const prefix = ctx.journal ? `/${ctx.journal.path}` : '';
  const title = ctx.t('notifications.settings.title');
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.journal?.name ?? ctx.siteTitle}`}>
      <h1>{title}</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <p>{ctx.t('notifications.settings.explain')}</p>
      <p>
        <a href={`${prefix}/notifications`}>{ctx.t('notifications.title')}</a> · <a href={`${prefix}/user/profile`}>{ctx.t('notifications.settings.back')}</a>
      </p>
      <Form action={`${prefix}/user/profile/notifications`} csrf={ctx.csrf ?? ''}>
        {preferences.map((p) => {
          const id = `notification-${p.kind}`;
          const hint = p.alwaysByEmail ? ctx.t('notifications.settings.always') : p.kind === 'submission-submitted' ? ctx.t('notifications.settings.receipt') : undefined;
          return (
            <FieldGroup name={id} legend={ctx.t(KIND_LABELS[p.kind])} {...(hint ? { hint } : {})}>
              <div class="field field--checkbox">
                <input id={`${id}-in-app`} type="checkbox" name="inApp" value={p.kind} checked={p.inApp} />
                <label for={`${id}-in-app`}>{ctx.t('notifications.settings.inApp')}</label>
              </div>
              <div class="field field--checkbox">
                {/* A disabled box is not sent; the kind is emailed whatever arrives (queries.ts). */}
                <input id={`${id}-by-email`} type="checkbox" name="byEmail" value={p.kind} checked={p.byEmail} disabled={p.alwaysByEmail} />
                <label for={`${id}-by-email`}>{ctx.t('notifications.settings.byEmail')}</label>
              </div>
            </FieldGroup>
          );
        })}
        <SubmitButton label={ctx.t('notifications.settings.save')} />
      </Form>
    </Layout>
  );
}
