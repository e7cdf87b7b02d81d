import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { exportBytes, pngSize } from '../../src/extension/panels/exportBytes';

/** A real 3 x 2 PNG (IHDR, one IDAT, IEND), built by hand so the check is tested against the format, not itself. */
function tinyPng(width = 3, height = 2): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const raw = Buffer.alloc(height * (1 + 3 * width));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('export bytes', () => {
  it('writes a PNG only when it is one: signature and IHDR size', () => {
    const png = tinyPng();
    assert.deepEqual(pngSize(png), { width: 3, height: 2 });
    const ok = exportBytes({
      type: 'export',
      format: 'png',
      suggestedName: 'a.png',
      content: png.toString('base64'),
      encoding: 'base64',
    });
    assert.ok(ok.ok);
    assert.deepEqual(Buffer.from(ok.bytes), png);
  });

  it('refuses what the heatmap once exported as PNG: an SVG data URL stripped of nothing (18 bytes of noise)', () => {
    const url = 'data:image/svg+xml;charset=UTF-8,%3Csvg%20width%3D%22900%22';
    const bad = exportBytes({
      type: 'export',
      format: 'png',
      suggestedName: 'a.png',
      content: url,
      encoding: 'base64',
    });
    assert.equal(bad.ok, false);
    assert.match(
      bad.ok ? '' : bad.message,
      /^Export PNG failed: the image is not a PNG \(\d+ bytes without a PNG header\)\. Nothing was written/,
    );
    const empty = exportBytes({
      type: 'export',
      format: 'png',
      suggestedName: 'a.png',
      content: tinyPng(0, 2).toString('base64'),
      encoding: 'base64',
    });
    assert.match(empty.ok ? '' : empty.message, /the image is empty \(0 x 2 pixels\)/);
  });

  it('SVG must be an SVG document; CSV and Markdown must hold data', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    assert.ok(
      exportBytes({ type: 'export', format: 'svg', suggestedName: 'a.svg', content: svg, encoding: 'utf8' }).ok,
    );
    assert.ok(
      exportBytes({
        type: 'export',
        format: 'svg',
        suggestedName: 'a.svg',
        content: `<?xml version="1.0"?>\n${svg}\n`,
        encoding: 'utf8',
      }).ok,
    );
    for (const content of ['', '<html></html>', '<svg width="10">', 'data:image/png;base64,AAAA']) {
      assert.equal(
        exportBytes({ type: 'export', format: 'svg', suggestedName: 'a.svg', content, encoding: 'utf8' }).ok,
        false,
        content,
      );
    }
    assert.equal(
      exportBytes({ type: 'export', format: 'csv', suggestedName: 'a.csv', content: '\n', encoding: 'utf8' }).ok,
      false,
    );
    const csv = exportBytes({
      type: 'export',
      format: 'csv',
      suggestedName: 'a.csv',
      content: 'a,b\n1,2\n',
      encoding: 'utf8',
    });
    assert.ok(csv.ok && Buffer.from(csv.bytes).toString('utf8') === 'a,b\n1,2\n');
  });
});
