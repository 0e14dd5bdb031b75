// What `make demo` prints to try the extension, run as printed (plus --check: headless, report, exit)
// against that very `passdesk demo`, in both browsers: the demo extension in a throwaway profile, its
// options page with the demo's API URL typed in and the token box empty and focused (the token is the
// person's to paste; tests/e2e/tools/demo-browser.mjs).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PASSDESK_BIN } from './lib/demo.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('the demo\'s "try the extension" command', { timeout: 150_000 }, () => {
  let child;
  let dataDir;
  const printed = {};

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'passdesk-demo-browser-'));
    child = spawn(PASSDESK_BIN, ['demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((ok, fail) => {
      child.once('exit', (code) => fail(new Error(`passdesk demo exited with ${code}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /^\s+(API|technician token|try the extension):\s+(.*)$/.exec(line);
        if (m) printed[m[1]] = m[2];
        if (m?.[1] === 'try the extension') ok();
      });
    });
  });

  after(async () => {
    child?.kill('SIGTERM');
    if (child && child.exitCode === null) await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const browser of ['chromium', 'firefox']) {
    it(`${browser}: the options page holds the demo's API URL, the token is left to the person`, async () => {
      const [node, script, shown, api] = printed['try the extension'].split(' ');
      assert.deepEqual([node, script, shown, api], ['node', 'tests/e2e/tools/demo-browser.mjs', 'chromium', printed.API]);
      const { stdout } = await run(process.execPath, [script, browser, api, '--check'], { cwd: ROOT, timeout: 120_000 });
      assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1)), { backendUrl: printed.API, token: '', focused: 'token' });
      assert.ok(!stdout.includes(printed['technician token']), 'the command never sees the token');
    });
  }

  it('refuses a backend URL the extension would refuse', async () => {
    await assert.rejects(run(process.execPath, ['tests/e2e/tools/demo-browser.mjs', 'chromium', 'http://passdesk.example.com', '--check'], { cwd: ROOT }), /must start with https:\/\//);
  });
});
