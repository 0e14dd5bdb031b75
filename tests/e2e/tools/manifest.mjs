// Per-browser, per-flavour copy of the one root manifest (mk/extension.mk):
//   node manifest.mjs <dist/.../manifest.json> <chrome|firefox> <release|demo>
// chrome: drops background.scripts (Firefox's key, which Chrome flags in developer mode).
// demo:   adds the loopback hosts `passdesk demo` serves its ticket pages and API on, as a content-script
//         match and a host permission. A release build never runs on every localhost page.
// node manifest.mjs --check <release manifest> <demo manifest>: fails unless exactly that differs.
import { readFileSync, writeFileSync } from 'node:fs';

export const DEMO_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
const loopback = (patterns = []) => patterns.filter((p) => /^(\*|http|https):\/\/(127\.|localhost|\[::1\])/.test(p));

export function flavour(m, browser, kind) {
  const out = structuredClone(m);
  if (browser === 'chrome') delete out.background.scripts;
  if (kind === 'demo') {
    out.content_scripts[0].matches = [...out.content_scripts[0].matches, ...DEMO_HOSTS];
    out.host_permissions = [...(out.host_permissions ?? []), ...DEMO_HOSTS];
  }
  return out;
}

const [a, b, c, d] = process.argv.slice(2);
if (a === '--check') {
  const release = read(b);
  const demo = read(c);
  const bad = [...release.content_scripts.flatMap((s) => loopback(s.matches)), ...loopback(release.host_permissions)];
  if (bad.length) throw new Error(`${b}: a release build must not match loopback pages: ${bad}`);
  if (!DEMO_HOSTS.every((h) => demo.content_scripts[0].matches.includes(h))) throw new Error(`${c}: the demo build lacks ${DEMO_HOSTS}`);
  console.log(`ok: ${b} matches no loopback page; ${c} adds ${DEMO_HOSTS.join(' ')}`);
} else {
  if (!['chrome', 'firefox'].includes(b) || !['release', 'demo'].includes(c) || d) throw new Error('usage: manifest.mjs <manifest.json> <chrome|firefox> <release|demo>');
  writeFileSync(a, `${JSON.stringify(flavour(read(a), b, c), null, 2)}\n`);
}
