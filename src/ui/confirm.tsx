import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { PageContext } from './context.ts';

/**
 * Every destructive action (removal, deletion, unpublishing, disabling) is two steps: a link or
 * button that opens this confirmation (a page of its own, so it works without JavaScript), and the
 * form on it that does the work. The page says what will happen, in the words of the action; the
 * button repeats the action's name ("Delete issue", not "OK"); Cancel goes back without a change.
 *
 * The route pair is always `GET …/x` (this page) and `POST …/x` (the work, with the CSRF token).
 */
export function Confirmation({
  ctx,
  action,
  question,
  consequences,
  confirmLabel,
  cancelHref,
  danger = true,
  children,
}: {
  ctx: PageContext;
  /** Where the form posts: the same address as the page, by convention. */
  action: string;
  /** The question, naming the thing: "Remove Anna Nowak's Editor role in Acta?" */
  question: string;
  /** What will happen, one sentence each; what will not happen too, when people would fear it. */
  consequences: string[];
  confirmLabel: string;
  cancelHref: string;
  danger?: boolean;
  /** Extra fields: a reason, a typed confirmation, hidden values naming what is acted on. */
  children?: Child;
}): SafeHtml {
  return (
    <section class="confirmation" aria-labelledby="confirmation-question">
      <h2 id="confirmation-question">{question}</h2>
      {consequences.length > 0 ? (
        <ul class="confirmation__consequences">
          {consequences.map((text) => (
            <li>{text}</li>
          ))}
        </ul>
      ) : null}
      <form action={action} method="post" class="form confirmation__form" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        {children}
        <div class="confirmation__actions">
          <button type="submit" class={danger ? 'button button--danger' : 'button button--primary'}>
            {confirmLabel}
          </button>
          <a class="button button--secondary" href={cancelHref}>
            {ctx.t('confirm.cancel')}
          </a>
        </div>
      </form>
    </section>
  );
}

/**
 * The first step of a destructive action: a link to its confirmation page, styled as a button.
 * `data-confirm` lets the page's script open the same confirmation in a dialog instead.
 */
export function ConfirmLink({ href, label, danger = true, describedBy }: { href: string; label: string; danger?: boolean; describedBy?: string }): SafeHtml {
  return (
    <a class={danger ? 'button button--danger' : 'button button--secondary'} href={href} data-confirm="" aria-describedby={describedBy}>
      {label}
    </a>
  );
}
