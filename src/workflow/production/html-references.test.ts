import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assetName, htmlReferences, isAssetName } from './html-references.ts';
import { assetType } from './galleys.ts';
import { CSS, EPUB, HTML, PNG, WOFF2 } from '../../../test/support/production-fixture.ts';

describe('what an HTML galley refers to', () => {
  it('lists its relative images and style sheets, not links elsewhere, anchors, data, scripts on other sites or a way up', () => {
    assert.deepEqual(htmlReferences(HTML.toString('utf8')), ['style.css', 'figure1.png', 'images/figure 2.png']);
  });

  it('reads srcset, unquoted values, url() and @import, once each', () => {
    const html = `<img srcset="a.png 1x, b.png 2x" src=a.png><video poster=poster.jpg></video><style>@import "print.css"; div{background:url(bg.webp)}</style><div style="background: url('bg.webp')"></div>`;
    assert.deepEqual(htmlReferences(html), ['a.png', 'b.png', 'poster.jpg', 'bg.webp', 'print.css']);
  });

  it('stops at its bounds: a huge or hostile text takes bounded time and gives at most 500 names', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `<img src="f${i}.png">`).join('');
    assert.equal(htmlReferences(many).length, 500);
    const started = Date.now();
    htmlReferences('<img ' + 'a'.repeat(200_000) + ' src="x.png"' + '<'.repeat(100_000));
    assert.ok(Date.now() - started < 2000, 'no catastrophic backtracking');
  });

  it('takes only plain relative names', () => {
    assert.equal(assetName('./figs/./a.png?v=2#x'), 'figs/a.png');
    assert.equal(assetName('/figure.png'), undefined);
    assert.equal(assetName('javascript:alert(1)'), undefined);
    assert.equal(assetName('a/../../b.png'), undefined);
    assert.equal(isAssetName('.htaccess'), false);
    assert.equal(isAssetName('figure1.png'), true);
  });

  it('tells an asset’s type from its bytes: images, SVG, fonts, CSS by name on text; not a zip or HTML named .css', () => {
    assert.equal(assetType(PNG, 'figure1.png'), 'image/png');
    assert.equal(assetType(WOFF2, 'body.woff2'), 'font/woff2');
    assert.equal(assetType(CSS, 'style.css'), 'text/css');
    assert.equal(assetType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'x.svg'), 'image/svg+xml');
    assert.equal(assetType(EPUB, 'style.css'), undefined);
    assert.equal(assetType(Buffer.from('<html><script>alert(1)</script></html>'), 'style.css'), undefined);
    assert.equal(assetType(Buffer.from('alert(1)'), 'x.js'), undefined);
  });
});
