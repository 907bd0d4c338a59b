import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trustedHtml } from './jsx-runtime.ts';

describe('the JSX runtime escapes by default', () => {
  const hostile = '"><script>alert(1)</script><img src=x onerror=alert(1)>';

  it('escapes text children and attribute values', () => {
    const html = String(
      <p title={hostile} data-x={hostile}>
        {hostile}
      </p>,
    );
    assert.doesNotMatch(html, /<script>/);
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /title=""/);
    assert.match(html, /&lt;script&gt;alert\(1\)/);
    assert.match(html, /title="&quot;&gt;/);
  });

  it('inserts markup built by JSX, and trusted markup, as is', () => {
    const inner = <em>{'a < b'}</em>;
    assert.equal(String(<p>{inner}{trustedHtml('<br>')}</p>), '<p><em>a &lt; b</em><br></p>');
  });

  it('renders lists, numbers, and leaves out null, undefined and booleans', () => {
    assert.equal(String(<ul>{[1, 2].map((n) => <li>{n}</li>)}{null}{undefined}{false}{true}</ul>), '<ul><li>1</li><li>2</li></ul>');
  });

  it('writes void elements without a closing tag and drops absent attributes', () => {
    assert.equal(String(<input type="text" value={undefined} disabled />), '<input type="text" disabled>');
  });
});
