// Starts the real backend, `passdesk demo --listen 127.0.0.1:0 --data-dir <tmp> --json`, and reads
// the one JSON line it prints when ready (docs/api.md). Also reads notes back from its CW sandbox.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '../../..');
export const PASSDESK_BIN = process.env.PASSDESK_BIN ?? join(ROOT, 'target/debug/passdesk');
export const DIST = process.env.PASSDESK_DIST ?? join(ROOT, 'dist/demo'); // the demo flavour: runs on loopback pages

/** `args`: more options of `passdesk demo`, e.g. `--verification required` (docs/api.md). */
export async function startDemo({ timeoutMs = 60_000, args = [] } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'passdesk-e2e-'));
  const child = spawn(PASSDESK_BIN, ['demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  const info = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`passdesk demo printed no JSON line in ${timeoutMs} ms\n${Buffer.concat(stderr)}`)), timeoutMs);
    child.once('exit', (code) => fail(new Error(`passdesk demo exited with ${code}\n${Buffer.concat(stderr)}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const j = JSON.parse(line);
        if (j.api && j.token) {
          clearTimeout(timer);
          ok(j);
        }
      } catch {
        /* a log line, not the ready line */
      }
    });
  });
  return {
    ...info,
    async notes(ticketId, kind = 'service') {
      const path = kind === 'project' ? `project/tickets/${ticketId}/notes` : `service/tickets/${ticketId}/notes`;
      const res = await fetch(`${info.connectwise.base}/${path}`, {
        headers: { Authorization: info.connectwise.authorization, clientId: info.connectwise.client_id, Accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`sandbox notes: HTTP ${res.status}`);
      return res.json();
    },
    /** What the demo's Twilio simulator sent, newest first (Twilio's Messages list). */
    async smsMessages() {
      if (!info.twilio) throw new Error('this demo sends SMS elsewhere');
      const res = await fetch(info.twilio.messages, { headers: { Authorization: info.twilio.authorization } });
      if (!res.ok) throw new Error(`twilio simulator: HTTP ${res.status}`);
      return (await res.json()).messages;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** ConnectWise-like URLs served by `passdesk demo` (server/src/demo_pages.rs). */
export function pageUrls(base) {
  const o = new URL(base).origin;
  const classic = (id) => `${o}/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=${id}`;
  return {
    classic,
    router: (id) => `${o}/v4_6_release/services/system_io/router/openrecord.rails?recordType=ServiceFv&recid=${id}`,
    spa: (id) => `${o}/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=${id}`,
    project: (id) => `${o}/v4_6_release/services/system_io/router/openrecord.rails?recordType=ProjectTicketFV&recid=${id}`,
    strictCsp: (id) => `${o}/csp/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=${id}`,
  };
}
