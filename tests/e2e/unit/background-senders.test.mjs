// The background worker's caller checks (extension/background.js): each message type answers only its
// own kind of caller (content script in a registered top frame, panel page, options page), judged from
// the `sender` the browser reports. The worker is loaded as is over a stub `chrome`; the senders are
// forged the way another extension, a web page's frame or a misplaced extension page would look.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';

const ID = 'passdeskid';
const BASE = `chrome-extension://${ID}/`;
const MANIFEST = JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8'));
const session = {};
const opened = [];
const settings = {}; // storage.local: empty (not configured) until a test sets it
const frames = {}; // webNavigation.getFrame answers, by "tabId:frameId"
const fetched = []; // what the worker asked the backend (globalThis.fetch below)
let listener;

globalThis.chrome = {
  runtime: {
    id: ID,
    getURL: (p) => `${BASE}${p}`,
    getManifest: () => MANIFEST,
    onMessage: { addListener: (fn) => (listener = fn) },
    openOptionsPage: async () => void opened.push(true),
  },
  storage: {
    session: {
      get: async (k) => (k in session ? { [k]: session[k] } : {}),
      set: async (o) => void Object.assign(session, o),
    },
    local: { get: async () => ({ ...settings }), set: async () => {} },
  },
  webNavigation: { getFrame: async ({ tabId, frameId }) => frames[`${tabId}:${frameId}`] ?? null },
  scripting: {
    getRegisteredContentScripts: async () => [],
    registerContentScripts: async () => {},
    unregisterContentScripts: async () => {},
  },
  permissions: { contains: async () => false },
};

/** What the worker answers `msg` from `sender` (undefined when it does not answer at all). */
function send(msg, sender) {
  return new Promise((resolve) => {
    const async = listener(msg, sender, resolve);
    if (async !== true) resolve(undefined);
  });
}

const CW = 'https://na.myconnectwise.net/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=1001';
const contentScript = { id: ID, tab: { id: 7 }, frameId: 0, documentId: 'doc-top', origin: 'https://na.myconnectwise.net', url: CW };
const optionsPage = { id: ID, url: `${BASE}options/options.html`, origin: `chrome-extension://${ID}` };
const panelPage = { id: ID, tab: { id: 7 }, frameId: 12, url: `${BASE}panel/panel.html?ticket=1001&kind=service` };
const nonceAsk = { type: 'passdesk:panel-nonce', ticket: '1001', kind: 'service' };

function assertForbidden(reply, what) {
  assert.equal(reply?.ok, false, `${what}: ${JSON.stringify(reply)}`);
  assert.equal(reply.error.code, 'FORBIDDEN', `${what}: ${JSON.stringify(reply)}`);
}

describe('background: who may ask what', () => {
  before(async () => {
    await import('../../../extension/background.js');
    assert.equal(typeof listener, 'function', 'the worker listens for messages');
  });

  it('our content script in a ConnectWise top frame gets a panel nonce, kept in storage.session', async () => {
    const reply = await send(nonceAsk, contentScript);
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.match(reply.data, /^[0-9a-f]{64}$/);
    assert.equal(session.panelBindings[reply.data].ticket, '1001');
  });

  it('no panel nonce for a forged or misplaced content-script sender', async () => {
    const before = Object.keys(session.panelBindings ?? {}).length;
    for (const [what, sender] of [
      ['another extension', { ...contentScript, id: 'otherextension' }],
      ['a sub-frame of the ticket page', { ...contentScript, frameId: 3 }],
      ['no tab', { ...contentScript, tab: undefined }],
      ['a page the content script is not registered for', { ...contentScript, url: 'https://evil.example/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=1001' }],
      ['a look-alike host', { ...contentScript, url: 'https://na.myconnectwise.net.evil.example/x' }],
      ['no URL', { ...contentScript, url: undefined }],
      ['an extension page in the top frame', { ...contentScript, url: `${BASE}options/options.html` }],
      ['the panel page', panelPage],
      ['the options page', optionsPage],
    ]) {
      assertForbidden(await send(nonceAsk, sender), what);
    }
    assert.equal(Object.keys(session.panelBindings ?? {}).length, before, 'no binding issued');
  });

  it('options-only messages refuse the content script, the panel and other extensions', async () => {
    for (const type of ['passdesk:me', 'passdesk:sync-hosts']) {
      for (const [what, sender] of [
        ['content script', contentScript],
        ['panel', panelPage],
        ['another extension with our path', { ...optionsPage, id: 'otherextension', url: 'chrome-extension://otherextension/options/options.html' }],
        ['another extension naming our page', { ...optionsPage, id: 'otherextension' }],
        ['our id with a foreign URL', { ...optionsPage, url: 'https://evil.example/options/options.html' }],
      ]) {
        assertForbidden(await send({ type, backendUrl: 'http://127.0.0.1:1', token: 't' }, sender), `${type} from ${what}`);
      }
    }
    const synced = await send({ type: 'passdesk:sync-hosts' }, optionsPage);
    assert.deepEqual(synced, { ok: true, data: { registered: [] } });
  });

  it('panel messages refuse the content script and the options page; an unbound panel gets PANEL_NOT_BOUND, even to open the options', async () => {
    for (const type of ['passdesk:bind', 'passdesk:context', 'passdesk:reset', 'passdesk:unlock', 'passdesk:verify-start', 'passdesk:verify-code', 'passdesk:verify-status', 'passdesk:open-options']) {
      const msg = { type, nonce: 'f'.repeat(64), password: 'Harbor7!Quill', method: 'email:otherMailbox:1', account_id: 'CN=x', verification_id: 'ab12', code: '123456', ancestors: ['https://na.myconnectwise.net'] };
      assertForbidden(await send(msg, contentScript), `${type} from the content script`);
      if (type !== 'passdesk:open-options') assertForbidden(await send(msg, optionsPage), `${type} from the options page`);
      const reply = await send(msg, panelPage);
      assert.equal(reply.ok, false);
      assert.equal(reply.error.code, 'PANEL_NOT_BOUND', `${type}: ${JSON.stringify(reply)}`);
    }
  });

  it('a bound panel verifies its own ticket only: ticket from the binding, codes and resets only with its verifications', async () => {
    Object.assign(settings, { backendUrl: 'http://127.0.0.1:9', token: 'tok' });
    globalThis.fetch = async (url, init) => {
      fetched.push({ url: String(url), body: init.body ? JSON.parse(init.body) : null });
      const path = new URL(url).pathname;
      const data = path.endsWith('/verifications') ? { id: `v${fetched.length}`, status: 'sent' } : { status: 'verified', result: 'success' };
      return new Response(JSON.stringify(data), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const bound = async (tabId, ticket) => {
      const top = { ...contentScript, tab: { id: tabId }, documentId: `doc-${tabId}` };
      frames[`${tabId}:0`] = { documentId: top.documentId };
      const nonce = (await send({ ...nonceAsk, ticket }, top)).data;
      const sender = { ...panelPage, tab: { id: tabId }, documentId: `panel-${tabId}` };
      return (type, payload) => send({ type, ...payload, nonce, ancestors: [contentScript.origin] }, sender);
    };
    const a = await bound(21, '1001');
    const b = await bound(22, '1002');
    fetched.length = 0;
    // The payload's ticket is ignored: the binding says 1001.
    const started = await a('passdesk:verify-start', { method: 'email:otherMailbox:1', account_id: 'CN=x', ticket: '1002', kind: 'project' });
    assert.equal(started.ok, true, JSON.stringify(started));
    assert.equal(new URL(fetched[0].url).pathname + new URL(fetched[0].url).search, '/api/v1/tickets/1001/verifications?kind=service');
    const vid = started.data.id;
    assert.equal((await a('passdesk:verify-code', { verification_id: vid, code: '123456' })).ok, true);
    assert.equal((await a('passdesk:verify-status', { verification_id: vid })).ok, true);
    const reset = await a('passdesk:reset', { password: 'Harbor7!Quill', temporary: true, idempotency_key: 'k', account_id: 'CN=x', verification_id: vid });
    assert.equal(reset.ok, true, JSON.stringify(reset));
    assert.equal(fetched.at(-1).body.verification_id, vid);
    const asked = fetched.length;
    // Another ticket's panel cannot use it, nor can anyone use an id no panel started.
    for (const [what, reply] of [
      ['code from another ticket', await b('passdesk:verify-code', { verification_id: vid, code: '123456' })],
      ['status from another ticket', await b('passdesk:verify-status', { verification_id: vid })],
      ['reset on another ticket', await b('passdesk:reset', { password: 'Harbor7!Quill', temporary: true, idempotency_key: 'k2', account_id: 'CN=y', verification_id: vid })],
      ['unlock on another ticket', await b('passdesk:unlock', { verification_id: vid })],
      ['an id never started', await a('passdesk:verify-code', { verification_id: 'feedbeef', code: '123456' })],
    ]) {
      assert.equal(reply.error?.code, 'VERIFICATION_NOT_FOUND', `${what}: ${JSON.stringify(reply)}`);
    }
    assert.equal((await a('passdesk:verify-code', { verification_id: vid, code: '12345' })).error?.code, 'BAD_CODE');
    assert.equal(fetched.length, asked, 'none of the refused calls reached the backend');
  });

  it('the options page may reopen itself; nothing else opened it so far', async () => {
    assert.equal(opened.length, 0, 'no refused caller opened the options page');
    assert.deepEqual(await send({ type: 'passdesk:open-options' }, optionsPage), { ok: true, data: true });
    assert.equal(opened.length, 1);
  });

  it('unknown or malformed messages get no answer', async () => {
    for (const msg of [null, 'passdesk:me', {}, { type: 42 }, { type: 'toString' }, { type: 'passdesk:nope' }]) {
      assert.equal(await send(msg, optionsPage), undefined, JSON.stringify(msg));
    }
  });
});
