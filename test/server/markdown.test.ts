import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandLink, markdownCode, markdownText } from '../../src/server/markdown';
import { Commands } from '../../src/shared/commands';
import { commandLinks, renderMarkdown } from '../helpers/renderedMarkdown';

const ATTACK = `[Click](${'command:robustNas.ntkSweep?' + encodeURIComponent(JSON.stringify([{ out: '/tmp/x.jsonl' }]))})`;

/** Text an attacker controls: links of every Markdown form, emphasis, HTML, entities, table pipes, code fences. */
const HOSTILE = [
  ATTACK,
  `<${'command:robustNas.ntkSweep'}>`,
  `![img](command:robustNas.ntkSweep)`,
  '[ref]\n\n[ref]: command:robustNas.ntkSweep',
  'https://example.com/x and www.example.com',
  '**bold** _em_ ~~strike~~ `code` ``two`` ```fence```',
  '<img src=x onerror=alert(1)> &amp; &#x5b; \\[',
  'a | b | c',
  '# heading\n- list\n> quote\n\n    indented',
  '$(zap) theme icon',
  'line\nbreak\r\nand\u2028separator',
  '`starts and ends with a backtick`',
  '',
];

test('markdownText: what the user reads is the string itself, and nothing in it becomes a link', () => {
  for (const s of HOSTILE) {
    const md = `before ${markdownText(s)} after`;
    const r = renderMarkdown(md);
    assert.deepEqual(r.links, [], `${JSON.stringify(s)} made a link: ${r.html}`);
    const expected = s.replace(/[\u0000-\u001f\u2028\u2029]+/g, ' ');
    assert.equal(r.text.trim(), `before ${expected} after`.trim(), `rendered ${JSON.stringify(s)} as ${r.html}`);
  }
});

test('markdownText in a table cell keeps the cell: pipes and line breaks stay text', () => {
  for (const s of HOSTILE) {
    const md = ['| a | b |', '|--|--|', `| ${markdownText(s)} | x |`].join('\n');
    const r = renderMarkdown(md);
    assert.deepEqual(r.links, []);
    assert.equal((r.html.match(/<td>/g) ?? []).length, 2, `${JSON.stringify(s)} broke the row: ${r.html}`);
  }
});

test('markdownCode: one code span holding the string, whatever backticks it contains', () => {
  for (const s of [...HOSTILE, 'a`b', 'a``b```c', '`', '``']) {
    const r = renderMarkdown(`x ${markdownCode(s)} y`);
    assert.deepEqual(r.links, [], `${JSON.stringify(s)}: ${r.html}`);
    const codes = [...r.html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => m[1]);
    assert.equal(codes.length, 1, `${JSON.stringify(s)}: ${r.html}`);
    const shown = codes[0]
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    // CommonMark strips one space on each side when both are there, and reads line breaks as spaces.
    assert.equal(shown.trim(), s.replace(/[\u0000-\u001f\u2028\u2029]+/g, ' ').trim());
  }
  for (const s of ['a | b', ATTACK]) {
    const r = renderMarkdown(['| a | b |', '|--|--|', `| ${markdownCode(s, { inTable: true })} | x |`].join('\n'));
    assert.equal((r.html.match(/<td>/g) ?? []).length, 2, r.html);
    assert.ok(r.html.includes('<code>') && r.text.includes(s), r.html);
  }
});

test('commandLink: the label is text and no argument can end the link', () => {
  const args = ['a) [Click](command:robustNas.ntkSweep)', { path: '/x/(y)' }];
  const md = commandLink('Add [to] comparison', Commands.addToComparison, args);
  const links = commandLinks(md);
  assert.equal(links.length, 1, md);
  assert.equal(links[0].command, Commands.addToComparison);
  assert.deepEqual(links[0].args, args);
  assert.equal(renderMarkdown(md).text.trim(), 'Add [to] comparison');
});
