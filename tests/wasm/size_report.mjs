// Where the bytes of the optimised wasm go: raw and gzip -9 size of the code and data sections
// (the data section holds the EFF wordlists, the weak-term list and Unicode tables).
//   node tests/wasm/size_report.mjs [path/to/passdesk_core_bg.wasm]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = process.argv[2] ?? join(root, 'target', 'wasm-pkg', 'passdesk_core_bg.wasm');
const bytes = readFileSync(file);
const gz = (b) => gzipSync(b, { level: 9 }).length;

function leb(i) {
  let result = 0, shift = 0, b;
  do { b = bytes[i++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [result, i];
}
const names = { 0: 'custom', 1: 'type', 2: 'import', 3: 'function', 5: 'memory', 6: 'global', 7: 'export', 9: 'elem', 10: 'code', 11: 'data' };
const sections = {};
for (let i = 8; i < bytes.length;) {
  const id = bytes[i];
  const [size, start] = leb(i + 1);
  const name = names[id] ?? `section ${id}`;
  sections[name] = Buffer.concat([sections[name] ?? Buffer.alloc(0), bytes.subarray(start, start + size)]);
  i = start + size;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`${file}: ${kb(bytes.length)} raw, ${kb(gz(bytes))} gzip -9`);
for (const [name, b] of Object.entries(sections).sort((a, b) => b[1].length - a[1].length)) {
  if (b.length > 1024) console.log(`  ${name.padEnd(8)} ${kb(b.length).padStart(9)} raw ${kb(gz(b)).padStart(9)} gzip`);
}
