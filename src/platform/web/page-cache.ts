import { etagOf, type PublicPage } from '../http/index.ts';

/** The catalog's change generation, as the caches see it (catalog/changes.ts keeps it). */
export interface ChangeGenerations {
  generation(): number;
  /** False while change notifications cannot be trusted: nothing cached is used then. */
  reliable(): boolean;
}

/**
 * Rendered public pages kept in memory, least recently used out first. An entry is used only while
 * the catalog's change generation is the one it was rendered at, so any committed change — from
 * this process, the CLI, or another server on the same PostgreSQL — retires every entry at once.
 */
export interface PageCache {
  /** The cached page for `key`, or renders, caches and returns it. */
  get(key: string, render: () => Promise<string>): Promise<PublicPage>;
  readonly size: number;
}

/** Encoded once, then hashed: hashing the string encoded it a second time (a few ms for a 375 KB table of contents). */
function pageOf(body: string): PublicPage {
  const bytes = Buffer.from(body);
  return { body, etag: etagOf(bytes), bytes };
}

export function createPageCache(changes: ChangeGenerations, options: { maxEntries: number; enabled: boolean }): PageCache {
  const entries = new Map<string, PublicPage & { generation: number }>();
  const rendering = new Map<string, { generation: number; page: Promise<PublicPage> }>();
  return {
    get size() {
      return entries.size;
    },
    async get(key, render) {
      // Taken before rendering: a change that commits mid-render makes this entry stale at once.
      const generation = changes.generation();
      const usable = options.enabled && changes.reliable();
      const hit = entries.get(key);
      if (usable && hit && hit.generation === generation) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      if (!usable) return pageOf(await render());
      // Readers asking for the same page at once (after a change, many do) share one rendering.
      const pending = rendering.get(key);
      if (pending && pending.generation === generation) return pending.page;
      const page = render().then(pageOf);
      rendering.set(key, { generation, page });
      try {
        const done = await page;
        entries.set(key, { ...done, generation });
        if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
        return done;
      } finally {
        if (rendering.get(key)?.page === page) rendering.delete(key);
      }
    },
  };
}
