// Rasterises extension/icons/icon.svg into PNG icons (make extension), with no image tool installed:
//   node icons.mjs <icon.svg> <out dir> 16 32 48 128   ->  <out dir>/icon-16.png ...
// It reads only what that SVG uses: a square viewBox and <rect> (with rx) / <circle> with a solid
// hex fill, painted in order; anything else in the file is refused rather than drawn wrong.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

export function parseSvg(text) {
  const view = /viewBox="0 0 (\d+(?:\.\d+)?) \1"/.exec(text);
  if (!view) throw new Error('icon.svg: a square viewBox "0 0 S S" is expected');
  const body = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\/?svg[^>]*>/g, '');
  const shapes = [];
  for (const [tag, name, attrs] of body.matchAll(/<(\w+)([^>]*)\/>/g)) {
    const a = Object.fromEntries([...attrs.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    const fill = /^#([0-9a-f]{6})$/i.exec(a.fill ?? '');
    if (!['rect', 'circle'].includes(name) || !fill) throw new Error(`icon.svg: unsupported element ${tag}`);
    const n = (k) => Number(a[k] ?? 0);
    const rgb = [0, 2, 4].map((i) => parseInt(fill[1].slice(i, i + 2), 16));
    shapes.push(name === 'rect' ? { kind: 'rect', x: n('x'), y: n('y'), w: n('width'), h: n('height'), r: n('rx'), rgb } : { kind: 'circle', cx: n('cx'), cy: n('cy'), r: n('r'), rgb });
  }
  if (body.replace(/<(\w+)([^>]*)\/>/g, '').trim()) throw new Error('icon.svg: only self-closed <rect>/<circle> elements are supported');
  return { size: Number(view[1]), shapes };
}

function inside(s, x, y) {
  if (s.kind === 'circle') return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r ** 2;
  if (x < s.x || y < s.y || x > s.x + s.w || y > s.y + s.h) return false;
  const cx = Math.min(Math.max(x, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(y, s.y + s.r), s.y + s.h - s.r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= s.r ** 2;
}

/** RGBA pixels, 4x4 samples per pixel, shapes painted over each other in document order. */
export function rasterise({ size, shapes }, px) {
  const out = new Uint8Array(px * px * 4);
  const k = 4;
  for (let py = 0; py < px; py++) {
    for (let pxx = 0; pxx < px; pxx++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < k; sy++) {
        for (let sx = 0; sx < k; sx++) {
          const x = ((pxx + (sx + 0.5) / k) * size) / px;
          const y = ((py + (sy + 0.5) / k) * size) / px;
          let c = null;
          for (const s of shapes) if (inside(s, x, y)) c = s.rgb;
          if (c) [r, g, b, a] = [r + c[0], g + c[1], b + c[2], a + 1];
        }
      }
      const i = (py * px + pxx) * 4;
      if (a) out.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((255 * a) / (k * k))], i);
    }
  }
  return out;
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let j = 0; j < 8; j++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function png(rgba, px) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px, 0);
  ihdr.writeUInt32BE(px, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(px * (px * 4 + 1));
  for (let y = 0; y < px; y++) rows.set(rgba.subarray(y * px * 4, (y + 1) * px * 4), y * (px * 4 + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [svg, dir, ...sizes] = process.argv.slice(2);
  if (!svg || !dir || !sizes.length) throw new Error('usage: icons.mjs <icon.svg> <out dir> <size>...');
  const parsed = parseSvg(readFileSync(svg, 'utf8'));
  for (const s of sizes.map(Number)) writeFileSync(join(dir, `icon-${s}.png`), png(rasterise(parsed, s), s));
}
