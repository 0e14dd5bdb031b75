// A real SMTP server process for the e2e suite: server/tests/support/smtp_server.py (aiosmtpd,
// STARTTLS + AUTH required), started the way server/tests/support/smtp.rs starts it, with a test CA
// and leaf made by openssl. Delivered mail lands in a Maildir read here; stop() ends the process
// and removes the folder.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const SCRIPT = resolve(import.meta.dirname, '../../../server/tests/support/smtp_server.py');
const USER = 'helpdesk@msp.example';
// Debian's python3-aiosmtpd lives in the system Python, which a pyenv on PATH would hide.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

/** CA + leaf for 127.0.0.1 (rustls refuses a CA certificate as the server's own). */
function certificates(dir) {
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=PassDesk e2e SMTP CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-keyout', 'ca.key', '-out', 'ca.pem');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'key.pem', '-out', 'leaf.csr');
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'leaf.ext', '-out', 'cert.pem');
}

export async function startSmtp({ timeoutMs = 15_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'passdesk-e2e-smtp-'));
  let child;
  try {
    certificates(dir);
    const port = await freePort();
    const password = `Smtp#${randomBytes(8).toString('hex')}`;
    const maildir = join(dir, 'maildir');
    child = spawn(PYTHON, ['-W', 'ignore', SCRIPT, String(port), join(dir, 'cert.pem'), join(dir, 'key.pem'), maildir, USER], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, SMTP_TEST_PASSWORD: password },
    });
    const stderr = [];
    child.stderr.on('data', (d) => stderr.push(d));
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the SMTP server did not start in ${timeoutMs} ms\n${Buffer.concat(stderr)}`)), timeoutMs);
      child.once('exit', (code) => fail(new Error(`the SMTP server exited with ${code} (python3-aiosmtpd installed? make setup)\n${Buffer.concat(stderr)}`)));
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        if (line.trim() === 'READY') ok();
        else fail(new Error(`the SMTP server said ${line}`));
      });
    });
    const running = child;
    return {
      port,
      /** The `[verification]` file for `passdesk demo --verification-config`. */
      verificationToml: () => [
        '[verification]', 'sender_name = "Contoso Help Desk"',
        '[verification.email]', 'smtp_host = "127.0.0.1"', `smtp_port = ${port}`, 'starttls = true',
        `username = "${USER}"`, `password = "${password}"`, `from = "MSP Help Desk <${USER}>"`, `ca_file = "${join(dir, 'ca.pem')}"`, '',
      ].join('\n'),
      dir,
      /** Every delivered message, oldest first, as raw text. */
      messages() {
        const folder = join(maildir, 'new');
        if (!existsSync(folder)) return [];
        return readdirSync(folder)
          .map((f) => join(folder, f))
          .sort((x, y) => statSync(x).mtimeMs - statSync(y).mtimeMs)
          .map((f) => readFileSync(f, 'utf8'));
      },
      async stop() {
        running.stdin.end(); // the script stops when its stdin closes
        const exited = new Promise((r) => (running.exitCode !== null ? r() : running.once('exit', r)));
        const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The 6-digit code in a delivered message ("... verification code for ... is 123456"). */
export function codeIn(message) {
  const m = /verification code for[\s\S]*? is (\d{6})/.exec(message);
  if (!m) throw new Error(`no code in the message:\n${message}`);
  return m[1];
}

/** The recipient the server recorded (aiosmtpd's Mailbox adds X-RcptTo). */
export function recipientOf(message) {
  return /^X-RcptTo: (.+)$/m.exec(message)?.[1]?.trim() ?? null;
}
