// Background worker (Chrome service worker / Firefox background script, both ES modules).
// It alone reads the technician token and talks to the backend; panel and options pages ask it.
import { ext, loadSettings } from './lib/browser.js';
import { MSG } from './lib/messages.js';
import { BackendClient, BackendError } from './lib/api-client.js';
import { syncOnpremContentScripts } from './lib/onprem.js';
import { senderMayAct } from './lib/embedding.js';

const handlers = {
  async [MSG.CONTEXT]({ ticket, kind }) {
    return (await client()).context(ticket, kind);
  },
  async [MSG.RESET]({ ticket, kind, password, temporary, idempotency_key }) {
    if (typeof password !== 'string' || !password) throw new BackendError('BAD_REQUEST', 'No password was given.');
    return (await client()).reset(ticket, kind, { password, temporary, idempotency_key });
  },
  async [MSG.UNLOCK]({ ticket, kind }) {
    return (await client()).unlock(ticket, kind);
  },
  async [MSG.ME]({ backendUrl, token }) {
    const saved = await loadSettings();
    return new BackendClient({ backendUrl: backendUrl ?? saved.backendUrl, token: token ?? saved.token }).me();
  },
  async [MSG.SYNC_HOSTS]() {
    return syncOnpremContentScripts();
  },
  async [MSG.OPEN_OPTIONS]() {
    await ext.runtime.openOptionsPage();
    return true;
  },
};

async function client() {
  return new BackendClient(await loadSettings());
}

// Only extension pages may call: a content script runs next to the host page, so its messages are
// not trusted to start a reset (its sender.url is the host page's, not ours).
function fromExtensionPage(sender) {
  return sender.id === ext.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(ext.runtime.getURL(''));
}

ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handler = msg && typeof msg.type === 'string' && Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : null;
  if (!handler || !fromExtensionPage(sender)) return false;
  senderMayAct(sender)
    .then((allowed) => {
      if (!allowed) throw new BackendError('NOT_ON_CONNECTWISE', 'PassDesk only works on ConnectWise ticket pages.');
      return handler(msg);
    })
    .then(
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

// On-premise ConnectWise hosts: re-register after startup, install, and whenever a grant changes.
ext.runtime.onStartup?.addListener(() => void syncOnpremContentScripts());
ext.runtime.onInstalled?.addListener(() => void syncOnpremContentScripts());
ext.permissions?.onAdded?.addListener(() => void syncOnpremContentScripts());
ext.permissions?.onRemoved?.addListener(() => void syncOnpremContentScripts());
