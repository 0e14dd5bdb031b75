// Machine-wide managed policies for the e2e (tests/e2e/managed.test.mjs): Chromium on Linux reads
// /etc/chromium/policies/managed/*.json, Firefox <install dir>/distribution/policies.json. They apply
// to every browser run on this machine while present, so each is written just before its suite's
// browser starts and removed (the previous Firefox file put back) in the suite's `after`, and also at
// process exit should the run be killed between the two.
import { existsSync, mkdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const cleanups = new Set();
process.once('exit', () => {
  for (const c of cleanups) c();
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}

function register(undo) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cleanups.delete(once);
    undo();
  };
  cleanups.add(once);
  return once;
}

/** mkdir -p that returns the folders it made, deepest first (to remove exactly those). */
function makeDirs(dir) {
  const made = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) made.push(d);
  mkdirSync(dir, { recursive: true });
  return made;
}

export const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';

/** Writes a Chrome/Edge policy document (`passdesk extension-policy --browser chrome`). Returns the undo. */
export function installChromiumPolicy(text, dir = CHROMIUM_POLICY_DIR) {
  const made = makeDirs(dir);
  const file = join(dir, `passdesk-e2e-${process.pid}.json`);
  writeFileSync(file, text);
  return register(() => {
    rmSync(file, { force: true });
    for (const d of made) rmdirSync(d);
  });
}

/** Writes Firefox's policies.json into `distribution`; an existing file is set aside and put back. */
export function installFirefoxPolicy(distribution, text) {
  const made = makeDirs(distribution);
  const file = join(distribution, 'policies.json');
  const backup = `${file}.passdesk-e2e-${process.pid}.bak`;
  const hadOne = existsSync(file);
  if (hadOne) renameSync(file, backup);
  writeFileSync(file, text);
  return register(() => {
    rmSync(file, { force: true });
    if (hadOne) renameSync(backup, file);
    for (const d of made) rmdirSync(d);
  });
}
