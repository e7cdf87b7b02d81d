import { Marked, type Token } from 'marked';

/**
 * What VS Code makes of a piece of server Markdown: VS Code 1.100 renders hover Markdown with marked 14.0.0 (GFM),
 * the version pinned in devDependencies. Returns every link the renderer would create (their targets) and the plain
 * text a user reads, so tests can tell a live `command:` link from escaped text that merely shows one.
 */
export interface RenderedMarkdown {
  readonly links: { readonly href: string; readonly text: string }[];
  /** The visible text: escapes resolved, link targets dropped. */
  readonly text: string;
  readonly html: string;
}

const marked = new Marked({ gfm: true });

export function renderMarkdown(markdown: string): RenderedMarkdown {
  const tokens = marked.lexer(markdown);
  const links: { href: string; text: string }[] = [];
  marked.walkTokens(tokens, (t: Token) => {
    // The token's text is the label's source; the user reads it with its backslash escapes resolved.
    if (t.type === 'link') links.push({ href: t.href, text: t.text.replace(/\\([!-/:-@[-`{-~])/g, '$1') });
  });
  const html = marked.parser(tokens);
  const text = html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&emsp;/g, '\u2003')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return { links, text, html };
}

/** The command ids of a rendered piece of Markdown's `command:` links, and their decoded arguments. */
export function commandLinks(markdown: string): { command: string; args: unknown[]; text: string }[] {
  return renderMarkdown(markdown)
    .links.filter((l) => l.href.startsWith('command:'))
    .map((l) => {
      const [command, query = ''] = l.href.slice('command:'.length).split('?');
      return { command, args: query ? (JSON.parse(decodeURIComponent(query)) as unknown[]) : [], text: l.text };
    });
}
