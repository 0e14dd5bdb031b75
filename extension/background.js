// Background worker (Chrome service worker / Firefox background script, both ES modules).
// It alone reads the technician token and talks to the backend. Three kinds of caller, each with
// its own messages: the content script (only asks for a panel binding), the panel (only with a
// binding it claimed: lib/panel-binding.js) and the options page.
import { ext, loadSettings } from './lib/browser.js';
import { MSG } from './lib/messages.js';
import { BackendClient, BackendError } from './lib/api-client.js';
import { syncOnpremContentScripts } from './lib/onprem.js';
import { isContentScriptTopFrame } from './lib/embedding.js';
import { authorize, forgetTab, issue } from './lib/panel-binding.js';

const Caller = Object.freeze({ CONTENT: 'content', PANEL: 'panel', OPTIONS: 'options' });

const handlers = {
  [MSG.PANEL_NONCE]: {
    from: [Caller.CONTENT],
    run: ({ ticket, kind }, { sender }) =>
      updateBindings((table) => {
        const out = issue(table, sender, { ticket, kind }, { nonce: newNonce(), now: Date.now() });
        if (out.error) throw new BackendError('BAD_REQUEST', 'No panel for this frame.');
        return { table: out.table, result: out.nonce };
      }),
  },
  [MSG.BIND]: {
    from: [Caller.PANEL],
    run: (_msg, { binding }) => ({ ticket: binding.ticket, kind: binding.kind, origin: binding.origin }),
  },
  [MSG.CONTEXT]: {
    from: [Caller.PANEL],
    async run(_msg, { binding }) {
      const ctx = await (await client()).context(binding.ticket, binding.kind);
      const current = ctx?.verification?.current?.id;
      if (current) await rememberVerification(current, binding);
      return ctx;
    },
  },
  [MSG.RESET]: {
    from: [Caller.PANEL],
    async run({ password, temporary, idempotency_key, account_id, verification_id }, { binding }) {
      if (typeof password !== 'string' || !password) throw new BackendError('BAD_REQUEST', 'No password was given.');
      if (typeof account_id !== 'string' || !account_id) throw new BackendError('BAD_REQUEST', 'No account was given.');
      const verification = verification_id ? await verificationOf(verification_id, binding) : undefined;
      return (await client()).reset(binding.ticket, binding.kind, { password, temporary, idempotency_key, account_id, verification_id: verification });
    },
  },
  [MSG.UNLOCK]: {
    from: [Caller.PANEL],
    async run({ verification_id }, { binding }) {
      const verification = verification_id ? await verificationOf(verification_id, binding) : undefined;
      return (await client()).unlock(binding.ticket, binding.kind, { verification_id: verification });
    },
  },
  [MSG.VERIFY_START]: {
    from: [Caller.PANEL],
    async run({ method, account_id }, { binding }) {
      if (typeof method !== 'string' || !method) throw new BackendError('BAD_REQUEST', 'No verification method was given.');
      if (typeof account_id !== 'string' || !account_id) throw new BackendError('BAD_REQUEST', 'No account was given.');
      const started = await (await client()).startVerification(binding.ticket, binding.kind, { method, account_id });
      await rememberVerification(started.id, binding);
      return started;
    },
  },
  [MSG.VERIFY_CODE]: {
    from: [Caller.PANEL],
    async run({ verification_id, code }, { binding }) {
      if (typeof code !== 'string' || !/^\d{6}$/.test(code)) throw new BackendError('BAD_CODE', 'The code is 6 digits.');
      return (await client()).submitCode(await verificationOf(verification_id, binding), code);
    },
  },
  [MSG.VERIFY_STATUS]: {
    from: [Caller.PANEL],
    run: async ({ verification_id }, { binding }) => (await client()).verification(await verificationOf(verification_id, binding)),
  },
  [MSG.ME]: {
    from: [Caller.OPTIONS],
    async run({ backendUrl, token }) {
      const saved = await loadSettings();
      return new BackendClient({ backendUrl: backendUrl ?? saved.backendUrl, token: token ?? saved.token }).me();
    },
  },
  [MSG.SYNC_HOSTS]: { from: [Caller.OPTIONS], run: () => syncOnpremContentScripts() },
  [MSG.OPEN_OPTIONS]: {
    from: [Caller.PANEL, Caller.OPTIONS],
    async run() {
      await ext.runtime.openOptionsPage();
      return true;
    },
  },
};

async function client() {
  return new BackendClient(await loadSettings());
}

function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// The bindings live in storage.session (trusted contexts only, gone with the browser session), so a
// restarted service worker still knows them. One read-modify-write at a time.
const BINDINGS_KEY = 'panelBindings';
let queue = Promise.resolve();
function updateSession(key, change) {
  const run = queue.then(async () => {
    const table = (await ext.storage.session.get(key))[key] ?? {};
    const { table: next, result } = await change(table);
    if (next && next !== table) await ext.storage.session.set({ [key]: next });
    return result;
  });
  queue = run.catch(() => {});
  return run;
}
const updateBindings = (change) => updateSession(BINDINGS_KEY, change);

// Which ticket each verification was started on (or shown for): a panel may check codes, poll and
// reset with a verification of its own ticket only, as it may reset only its own ticket. Entries
// outlive a verification's use (15 min fresh) by far and are dropped after a day.
const VERIFICATIONS_KEY = 'panelVerifications';
const VERIFICATION_KEEP_MS = 24 * 3600 * 1000;
function rememberVerification(id, binding) {
  if (typeof id !== 'string' || !id) return Promise.resolve();
  return updateSession(VERIFICATIONS_KEY, (table) => {
    const now = Date.now();
    const next = Object.fromEntries(Object.entries(table).filter(([, v]) => now - v.at < VERIFICATION_KEEP_MS));
    next[id] = { ticket: binding.ticket, kind: binding.kind, at: now };
    return { table: next };
  });
}
async function verificationOf(id, binding) {
  const table = (await ext.storage.session.get(VERIFICATIONS_KEY))[VERIFICATIONS_KEY] ?? {};
  const v = typeof id === 'string' && Object.hasOwn(table, id) ? table[id] : null;
  if (!v || v.ticket !== binding.ticket || v.kind !== binding.kind) {
    throw new BackendError('VERIFICATION_NOT_FOUND', 'This caller verification is not one of this ticket.');
  }
  return id;
}

async function frame(tabId, frameId) {
  try {
    return (await ext.webNavigation.getFrame({ tabId, frameId })) ?? null;
  } catch {
    return null;
  }
}

function pageIs(sender, path) {
  return sender.id === ext.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(ext.runtime.getURL(path));
}

async function callerOf(sender) {
  if (pageIs(sender, 'panel/panel.html')) return Caller.PANEL;
  if (pageIs(sender, 'options/options.html')) return Caller.OPTIONS;
  if (await isContentScriptTopFrame(sender)) return Caller.CONTENT;
  return null;
}

async function panelBinding(sender, msg) {
  const tabId = sender.tab?.id;
  const framed = typeof tabId === 'number' && typeof sender.frameId === 'number' && sender.frameId !== 0;
  return updateBindings(async (table) => {
    const record = typeof msg.nonce === 'string' && Object.hasOwn(table, msg.nonce) ? table[msg.nonce] : null;
    const [panelFrame, topFrame] = framed && record ? await Promise.all([frame(tabId, sender.frameId), frame(record.tabId, record.frameId)]) : [null, null];
    const out = authorize(table, sender, { nonce: msg.nonce, ancestors: msg.ancestors }, { panelFrame, topFrame, now: Date.now() });
    if (out.refusal) {
      throw new BackendError('PANEL_NOT_BOUND', 'PassDesk only works on ConnectWise ticket pages, in the panel it shows there.', { reason: out.refusal });
    }
    return { table: out.table, result: out.record };
  });
}

ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handler = msg && typeof msg.type === 'string' && Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : null;
  if (!handler) return false;
  (async () => {
    const caller = await callerOf(sender);
    if (!caller || !handler.from.includes(caller)) throw new BackendError('FORBIDDEN', 'This part of PassDesk may not ask for that.');
    const binding = caller === Caller.PANEL ? await panelBinding(sender, msg) : null;
    return handler.run(msg, { sender, binding });
  })().then(
    (data) => sendResponse({ ok: true, data }),
    (err) => {
      const error = err instanceof BackendError ? err.toJSON() : { code: 'INTERNAL', message: String(err?.message ?? err) };
      sendResponse({ ok: false, error });
    },
  );
  return true; // answer asynchronously
});

// The toolbar button opens the options (backend URL, token, on-premise hosts).
ext.action?.onClicked?.addListener(() => void ext.runtime.openOptionsPage());

// A closed tab's bindings are never claimed again.
ext.tabs?.onRemoved?.addListener((tabId) => void updateBindings((table) => ({ table: forgetTab(table, tabId) })));

// On-premise ConnectWise hosts: re-register after startup, install, and whenever a grant changes.
ext.runtime.onStartup?.addListener(() => void syncOnpremContentScripts());
ext.runtime.onInstalled?.addListener(() => void syncOnpremContentScripts());
ext.permissions?.onAdded?.addListener(() => void syncOnpremContentScripts());
ext.permissions?.onRemoved?.addListener(() => void syncOnpremContentScripts());
// A policy change (storage.managed) or a saved options form may change the on-premise hosts.
ext.storage.onChanged?.addListener((_changes, area) => {
  if (area === 'managed') void syncOnpremContentScripts();
});
