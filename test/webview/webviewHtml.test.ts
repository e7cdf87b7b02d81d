import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, webviewHtml } from '../../src/extension/panels/webviewHtml';

describe('webview HTML shell', () => {
  it('allows nothing by default, scripts only by nonce, styles and images only from the webview source', () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|https?:\/\/(?!x\.vscode-cdn\.net)/);
  });

  it('loads one script with the nonce and inlines no data', () => {
    const html = webviewHtml({
      cspSource: 'https://x',
      scriptUri: 'https://x/a.js',
      styleUri: 'https://x/a.css',
      title: 'T <b>',
      nonce: 'n1',
    });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="n1" src="https:\/\/x\/a.js"><\/script>/);
    assert.ok(!html.includes('<b>'), 'the title is escaped');
    const other = webviewHtml({
      cspSource: 'https://x',
      scriptUri: 'https://x/a.js',
      styleUri: 'https://x/a.css',
      title: 'T',
    });
    assert.notEqual(
      /nonce-([^']+)/.exec(other)?.[1],
      /nonce-([^']+)/.exec(webviewHtml({ cspSource: 'https://x', scriptUri: 's', styleUri: 's', title: 'T' }))?.[1],
      'a fresh nonce per page',
    );
  });
});
