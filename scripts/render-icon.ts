// Renders the Marketplace icon, media/icon.png (128x128; the Marketplace takes no SVG icon), from the activity bar
// glyph media/robust-nas.svg: the same cell-in-a-shield drawing, white on a dark blue tile. Run after changing the
// glyph: `node --import tsx scripts/render-icon.ts`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './vscode-server/browser';

const root = join(__dirname, '..');

async function main(): Promise<void> {
  const glyph = readFileSync(join(root, 'media', 'robust-nas.svg'), 'utf8').replace(
    'stroke="currentColor"',
    'stroke="#ffffff"',
  );
  const browser = await launchChromium(join(root, '.cache', 'icon'));
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<body style="margin:0;background:transparent">
      <div style="width:128px;height:128px;border-radius:24px;background:#1f4e8c;display:flex;align-items:center;justify-content:center">
        <div style="width:104px;height:104px">${glyph.replace('width="24" height="24"', 'width="104" height="104"')}</div>
      </div></body>`);
    await page.screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

void main();
