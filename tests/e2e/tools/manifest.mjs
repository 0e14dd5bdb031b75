// Per-browser, per-flavour copy of the one root manifest (mk/extension.mk):
//   node manifest.mjs <dist/.../manifest.json> <chrome|firefox> <release|demo>
// chrome: drops background.scripts (Firefox's key, which Chrome flags in developer mode).
// demo:   adds the loopback hosts `passdesk demo` serves its ticket pages and API on, as a content-script
//         match and a host permission. A release build never runs on every localhost page.
// Both:   the version is the workspace's (root Cargo.toml [workspace.package] version; the root
//         manifest says 0.0.0, so an unstamped build shows).
// node manifest.mjs --check <release manifest> <demo manifest>: fails unless exactly that differs.
// node manifest.mjs --store <manifest.json>: the Chrome Web Store copy, without `key` (the store
//         refuses a manifest carrying one and signs with its own; README "Deploy to your technicians").
// node manifest.mjs --id <manifest.json>: prints the Chromium extension id its `key` gives.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEMO_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
const loopback = (patterns = []) => patterns.filter((p) => /^(\*|http|https):\/\/(127\.|localhost|\[::1\])/.test(p));

const ROOT = resolve(import.meta.dirname, '../../..');

/** `[workspace.package] version = "…"` of a Cargo.toml. */
export function workspaceVersion(cargoToml = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8')) {
  const section = /^\[workspace\.package\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(cargoToml);
  const version = section && /^version\s*=\s*"([^"]+)"/m.exec(section[1]);
  if (!version) throw new Error('Cargo.toml: no [workspace.package] version');
  return version[1];
}

/** Chromium's id for a manifest `key` (base64 DER public key): SHA-256, first 32 hex digits as a-p. */
export function chromiumId(key) {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export function flavour(m, browser, kind, version = workspaceVersion()) {
  const out = structuredClone(m);
  out.version = version;
  if (browser === 'chrome') delete out.background.scripts;
  if (kind === 'demo') {
    out.content_scripts[0].matches = [...out.content_scripts[0].matches, ...DEMO_HOSTS];
    out.host_permissions = [...(out.host_permissions ?? []), ...DEMO_HOSTS];
  }
  return out;
}

const [a, b, c, d] = process.argv.slice(2);
if (import.meta.url !== `file://${process.argv[1]}`) {
  // imported (tests/e2e/unit/package.test.mjs): no command line to run
} else if (a === '--store') {
  const m = read(b);
  delete m.key;
  writeFileSync(b, `${JSON.stringify(m, null, 2)}\n`);
} else if (a === '--id') {
  console.log(chromiumId(read(b).key));
} else if (a === '--check') {
  const release = read(b);
  const demo = read(c);
  const bad = [...release.content_scripts.flatMap((s) => loopback(s.matches)), ...loopback(release.host_permissions)];
  if (bad.length) throw new Error(`${b}: a release build must not match loopback pages: ${bad}`);
  if (!DEMO_HOSTS.every((h) => demo.content_scripts[0].matches.includes(h))) throw new Error(`${c}: the demo build lacks ${DEMO_HOSTS}`);
  for (const m of [release, demo]) if (m.version !== workspaceVersion()) throw new Error(`manifest version ${m.version} is not the workspace's ${workspaceVersion()}`);
  console.log(`ok: ${b} matches no loopback page; ${c} adds ${DEMO_HOSTS.join(' ')}; version ${release.version}`);
} else {
  if (!['chrome', 'firefox'].includes(b) || !['release', 'demo'].includes(c) || d) throw new Error('usage: manifest.mjs <manifest.json> <chrome|firefox> <release|demo>');
  writeFileSync(a, `${JSON.stringify(flavour(read(a), b, c), null, 2)}\n`);
}
