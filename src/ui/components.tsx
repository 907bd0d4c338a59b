import type { Child, SafeHtml } from '#jsx/jsx-runtime';

/**
 * Small pieces of the management application's look (styled in manage.css). Plain markup with the
 * shared class names, so a page may also write the same HTML by hand.
 */

export type BadgeTone = 'success' | 'warning' | 'danger' | 'neutral';

/** A status in a word: "Published", "Future", "Disabled". The words carry the meaning; the colour repeats it. */
export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children?: Child }): SafeHtml {
  return <span class={`badge badge--${tone}`}>{children}</span>;
}

/** An empty list: what is missing, and the next step as a primary button when there is one. */
export function EmptyState({ message, action, children }: { message: string; action?: { href: string; label: string }; children?: Child }): SafeHtml {
  return (
    <div class="empty-state">
      <p>{message}</p>
      {children}
      {action ? (
        <a class="button button--primary" href={action.href}>
          {action.label}
        </a>
      ) : null}
    </div>
  );
}

export interface CardItem {
  /** What is counted: "Issues". */
  title: string;
  /** The count, already formatted for the page's language. */
  value: string;
  /** One line under the count: "2 future, 14 published". */
  detail?: string;
  /** The area the card opens. */
  href?: string;
  /** Something waiting for someone: the card is marked and the detail says what. */
  attention?: boolean;
  /** An empty area's next step, shown under the count: "Create the first issue". */
  next?: { href: string; label: string };
}

/**
 * Counts on an overview, one card per area, each a link to its area (the whole card is the link's
 * target, the title its name). A next step, when there is one, is a link of its own.
 */
export function Cards({ cards, label }: { cards: CardItem[]; label?: string }): SafeHtml {
  return (
    <ul class="cards" aria-label={label}>
      {cards.map((card) => (
        <li class={card.attention ? 'card card--attention' : 'card'}>
          <p class="card__title">{card.href ? <a href={card.href}>{card.title}</a> : card.title}</p>
          <p class="card__value">{card.value}</p>
          {card.detail ? <p class="card__detail">{card.detail}</p> : null}
          {card.next ? (
            <p class="card__next">
              <a class="button button--primary" href={card.next.href}>
                {card.next.label}
              </a>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
