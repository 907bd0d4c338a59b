import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanTitle, cleanTitlePerLocale, plainToRichText, richToInlineHtml, richToJatsBlocks, richToJatsInline, richToPlainLine, richToPlainText, toRichText, toRichTextPerLocale } from './rich-text-convert.ts';

// The one abstract of PKP's own OJS 3.3 test export (test/fixtures/ojs/pkp-ojs-export-issues.xml), as stored.
const PKP_ABSTRACT = '<p>test submission 2 - abstract</p>';

describe('rich text as it is stored', () => {
  it('turns plain text into escaped paragraphs at its blank lines, and keeps HTML through the allow-list', () => {
    assert.equal(toRichText('Fish & chips <3\nsame paragraph\n\n\n  Next.  '), '<p>Fish &amp; chips &lt;3\nsame paragraph</p><p>Next.</p>');
    assert.equal(toRichText(PKP_ABSTRACT), PKP_ABSTRACT);
    assert.equal(toRichText('<p onclick="x()">a</p><script>alert(1)</script><svg onload="alert(2)"></svg>'), '<p>a</p>');
    assert.equal(toRichText('First with <i>italics</i>\n\nSecond'), '<p>First with <i>italics</i></p><p>Second</p>');
    assert.deepEqual(toRichTextPerLocale({ en: 'Text', pl: '  ', de: '<script>x</script>' }), { en: '<p>Text</p>' });
    assert.equal(plainToRichText(''), '');
    assert.equal(toRichText('bell\u0007 <b>x</b>\u0000'), 'bell <b>x</b>');
    // What the allow-list leaves without a tag stays HTML, in a paragraph ("&amp;" must not be read as text).
    assert.equal(toRichText('<script>alert(1)</script>Fish & chips'), '<p>Fish &amp; chips</p>');
    assert.equal(toRichText('Fish &amp; chips'), '<p>Fish &amp; chips</p>');
    assert.equal(richToPlainText(toRichText('<script>alert(1)</script>Fish & chips')), 'Fish & chips');
  });

  it('keeps a title plain unless it has markup, and never stores entities a reader would see', () => {
    assert.equal(cleanTitle('Fish & chips <3'), 'Fish & chips <3');
    assert.equal(cleanTitle('Growth of <i>Quercus</i> &amp; CO<sub>2</sub><script>x</script>'), 'Growth of <i>Quercus</i> &amp; CO<sub>2</sub>');
    assert.equal(cleanTitle('Fish &amp; chips'), 'Fish & chips');
    assert.equal(cleanTitle('"<script>alert(1)</script> & more'), '" & more');
    assert.deepEqual(cleanTitlePerLocale({ en: '<b></b>', pl: 'Tytuł' }), { pl: 'Tytuł' });
  });
});

describe('rich text to plain text', () => {
  it('resolves entities, parts paragraphs and list items, and drops scripts, MathML and images', () => {
    const html = '<p>A &amp; B &lt;c&gt; &quot;d&quot; &nbsp;e</p><ul><li>one</li><li>two</li></ul><p>x<math><mi>y</mi></math><script>alert(1)</script><img src="https://e.org/i.png" alt="figure">z</p>';
    assert.equal(richToPlainText(html), 'A & B <c> "d" e\n\none\n\ntwo\n\nxfigurez');
    assert.equal(richToPlainText(html, ' '), 'A & B <c> "d" e one two xfigurez');
    assert.equal(richToPlainText(PKP_ABSTRACT), 'test submission 2 - abstract');
  });

  it('reads plain text (older rows) as it is', () => {
    assert.equal(richToPlainText('Fish & chips <3\n\nNext'), 'Fish & chips <3\n\nNext');
    assert.equal(richToPlainLine('Q&A: <b>not</b> a tag?'), 'Q&A: not a tag?');
    assert.equal(richToPlainLine(undefined), '');
  });
});

describe('rich text to JATS', () => {
  it('maps emphasis, scripts and web links to JATS elements and lists to JATS lists', () => {
    const blocks = richToJatsBlocks('<h3>Methods</h3><p>H<sub>2</sub>O, <em>in vivo</em>, <b>n</b> = 10<sup>3</sup>, <u>u</u>, <code>c</code>,<br>see <a href="https://doi.org/10.1/x">this</a> or <a href="mailto:a@b.org">mail</a></p><ol><li><p>one</p></li><li>two</li></ol>');
    assert.deepEqual(blocks, [
      { tag: 'p', children: [{ tag: 'bold', children: ['Methods'] }] },
      {
        tag: 'p',
        children: [
          'H', { tag: 'sub', children: ['2'] }, 'O, ', { tag: 'italic', children: ['in vivo'] }, ', ', { tag: 'bold', children: ['n'] }, ' = 10', { tag: 'sup', children: ['3'] }, ', ',
          { tag: 'underline', children: ['u'] }, ', ', { tag: 'monospace', children: ['c'] }, ', see ', { tag: 'ext-link', href: 'https://doi.org/10.1/x', children: ['this'] }, ' or mail',
        ],
      },
      { tag: 'list', ordered: true, items: [[{ tag: 'p', children: ['one'] }], [{ tag: 'p', children: ['two'] }]] },
    ]);
  });

  it('never makes a link of anything but http(s), and leaves no empty element', () => {
    const blocks = richToJatsBlocks('<p><a href="javascript:alert(1)">x</a> <a href="ftp://e.org/f">y</a> <i> </i><b></b></p><p> </p>');
    assert.deepEqual(blocks, [{ tag: 'p', children: ['x y'] }]);
  });

  it('gives a title one inline run', () => {
    assert.deepEqual(richToJatsInline('The <i>Quercus</i> genus'), ['The ', { tag: 'italic', children: ['Quercus'] }, ' genus']);
    assert.deepEqual(richToJatsInline('Q&A <3'), ['Q&A <3']);
  });
});

describe('bounded work', () => {
  it('converts 20,000 nested elements without running out of stack, keeping the text', () => {
    const deep = `<p>${'<b>'.repeat(20_000)}deep${'</b>'.repeat(20_000)}</p>`;
    assert.equal(richToPlainText(deep), 'deep');
    assert.match(richToInlineHtml(deep), /deep/);
    assert.equal(richToJatsBlocks(deep).length, 1);
  });
});

describe('titles on pages', () => {
  it('keep their inline markup and nothing else', () => {
    assert.equal(richToInlineHtml('The <em>Quercus</em> x<sup>2</sup> <a href="https://e.org">link</a><script>alert(1)</script><img src=x onerror=alert(2)> &amp; co'), 'The <i>Quercus</i> x<sup>2</sup> link &amp; co');
    assert.equal(richToInlineHtml('<p>One</p><p>Two</p>'), 'One Two');
  });
});
