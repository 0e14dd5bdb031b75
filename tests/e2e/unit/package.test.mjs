// The built packages (make extension): dist/{chrome,firefox} and both store zips carry the icons the
// manifest names and the workspace version; the Chrome store zip has no `key`, the unpacked builds
// the committed key (whose id README "Deploy to your technicians" names).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { chromiumId, workspaceVersion } from '../tools/manifest.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');
const DIST = join(ROOT, 'dist');
const ICON_SIZES = ['16', '32', '48', '128'];
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Every entry of a zip, by name (central directory; stored or deflated, as web-ext writes). */
function unzip(file) {
  const buf = readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${file}: no end of central directory`);
  const entries = new Map();
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, `${file}: central directory entry`);
    const [method, size, nameLen, extraLen, commentLen, local] = [buf.readUInt16LE(p + 10), buf.readUInt32LE(p + 20), buf.readUInt16LE(p + 28), buf.readUInt16LE(p + 30), buf.readUInt16LE(p + 32), buf.readUInt32LE(p + 42)];
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** PNG width and height from its IHDR. */
const pngSize = (b) => (b.subarray(0, 8).equals(PNG) ? [b.readUInt32BE(16), b.readUInt32BE(20)] : null);

function assertPackage(what, manifest, file) {
  assert.equal(manifest.version, workspaceVersion(), `${what}: the workspace version`);
  assert.deepEqual(Object.keys(manifest.icons), ICON_SIZES, `${what}: icons`);
  for (const [size, path] of [...Object.entries(manifest.icons), ...Object.entries(manifest.action.default_icon)]) {
    const data = file(path);
    assert.ok(data, `${what}: ${path} is packaged`);
    assert.deepEqual(pngSize(data), [Number(size), Number(size)], `${what}: ${path} is a ${size}x${size} PNG`);
  }
  assert.ok(file(manifest.storage.managed_schema), `${what}: the managed schema is packaged`);
}

describe('built packages', () => {
  const root = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));

  for (const dir of ['chrome', 'firefox', 'demo/chrome', 'demo/firefox']) {
    it(`dist/${dir}: icons, workspace version, managed schema, the committed key`, () => {
      const manifest = JSON.parse(readFileSync(join(DIST, dir, 'manifest.json'), 'utf8'));
      assertPackage(`dist/${dir}`, manifest, (p) => (existsSync(join(DIST, dir, p)) ? readFileSync(join(DIST, dir, p)) : null));
      assert.equal(manifest.key, root.key);
    });
  }

  for (const browser of ['chrome', 'firefox']) {
    it(`dist/passdesk-${browser}.zip: icons, workspace version, managed schema`, () => {
      const entries = unzip(join(DIST, `passdesk-${browser}.zip`));
      const manifest = JSON.parse(entries.get('manifest.json').toString('utf8'));
      assertPackage(`passdesk-${browser}.zip`, manifest, (p) => entries.get(p) ?? null);
      assert.equal(manifest.browser_specific_settings.gecko.id, root.browser_specific_settings.gecko.id);
      // The Chrome Web Store refuses a manifest with `key`; the release zip for AMO may keep it (ignored).
      if (browser === 'chrome') assert.equal('key' in manifest, false, 'no key in the store zip');
      assert.ok(!entries.has('dist') && ![...entries.keys()].some((n) => n.includes('..')), 'only the extension');
    });
  }

  it('the committed key gives the id README names', () => {
    const id = chromiumId(root.key);
    assert.match(id, /^[a-p]{32}$/);
    assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(id), `README names ${id}`);
  });
});

describe('workspace version and Chromium id', () => {
  it('reads [workspace.package] version, not another table\'s', () => {
    assert.equal(workspaceVersion('[package]\nversion = "9.9.9"\n[workspace.package]\nedition = "2021"\nversion = "1.2.3"\n[x]\nversion = "0"\n'), '1.2.3');
    assert.throws(() => workspaceVersion('[package]\nversion = "9.9.9"\n'), /no \[workspace.package\] version/);
  });

  it('derives Chromium\'s id from a key (SHA-256 test vector)', () => {
    // SHA-256("abc") is the FIPS 180-2 test vector ba7816bf8f01cfea414140de5dae2223…; its a-p spelling is the id.
    assert.equal(chromiumId(Buffer.from('abc').toString('base64')), 'lkhibglpipabmpokebebeanofnkocccd');
  });
});
