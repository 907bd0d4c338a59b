import type { SafeHtml } from '#jsx/jsx-runtime';
import type { PageContext } from './context.ts';

/** Previous / "Page n of m" / next, for any paged list; nothing when there is one page. */
export function Pagination({ ctx, page, pages, href, label }: { ctx: PageContext; page: number; pages: number; href: (page: number) => string; label: string }): SafeHtml {
  if (pages <= 1) return <></>;
  return (
    <nav class="pagination" aria-label={label}>
      <ul>
        {page > 1 ? (
          <li>
            <a href={href(page - 1)} rel="prev">
              {ctx.t('pagination.previous')}
            </a>
          </li>
        ) : null}
        <li aria-current="page">{ctx.t('pagination.status', { page, pages })}</li>
        {page < pages ? (
          <li>
            <a href={href(page + 1)} rel="next">
              {ctx.t('pagination.next')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
