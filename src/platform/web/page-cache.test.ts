import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPageCache, type ChangeGenerations } from './page-cache.ts';

function generations(): ChangeGenerations & { move(): void } {
  let generation = 1;
  return { generation: () => generation, reliable: () => true, move: () => void generation++ };
}

describe('the page cache', () => {
  it('renders a page once for readers asking for it at the same moment, and again after a change', async () => {
    const changes = generations();
    const cache = createPageCache(changes, { maxEntries: 10, enabled: true });
    let renders = 0;
    const render = async () => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return `<p>version ${changes.generation()}</p>`;
    };
    const pages = await Promise.all(Array.from({ length: 50 }, () => cache.get('pl /sm/article/view/1', render)));
    assert.equal(renders, 1);
    assert.ok(pages.every((page) => page.body === '<p>version 1</p>' && page.etag === pages[0]!.etag));
    await cache.get('pl /sm/article/view/1', render);
    assert.equal(renders, 1, 'kept while nothing changed');
    changes.move();
    const after = await Promise.all(Array.from({ length: 10 }, () => cache.get('pl /sm/article/view/1', render)));
    assert.equal(renders, 2);
    assert.equal(after[0]!.body, '<p>version 2</p>');
  });

  it('shares a failed rendering with those waiting for it, and tries again on the next request', async () => {
    const cache = createPageCache(generations(), { maxEntries: 10, enabled: true });
    let renders = 0;
    const failing = async () => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('database away');
    };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cache.get('pl /sm', failing)));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.equal(renders, 1);
    assert.equal((await cache.get('pl /sm', async () => 'back')).body, 'back');
  });
});
