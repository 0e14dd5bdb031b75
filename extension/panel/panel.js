// Panel bootstrap: waits for the one-time nonce from the content script that framed it, claims its
// binding (lib/panel-binding.js: which ticket, and the origin of the frame around it), loads the
// context through the background worker and the core wasm in parallel, wires the password box,
// generator and reset, then tells the frame around it (and only that origin) "ready" and its height
// — never any ticket data or secret. Unbound (a popup, a tab, a foreign frame) it shows one sentence.
import { callBackground, localize, t } from '../lib/browser.js';
import { CONTENT_EVENT, MSG, PANEL_EVENT } from '../lib/messages.js';
import { loadCore, makeChecker, generate } from './core.js';
import { renderContext } from './context-view.js';
import { setupPasswordBox } from './password-view.js';
import { setupGenerator } from './generator-view.js';
import { errorText, showResetError, showResetSuccess } from './result-view.js';
import { setupVerification } from './verify-view.js';

const $ = (id) => document.getElementById(id);
const NONCE_WAIT_MS = 10_000;
const params = new URLSearchParams(location.search);
// The URL (set by whoever framed us) only labels the panel until the binding says which ticket it is.
const hint = { ticket: /^\d{1,12}$/.test(params.get('ticket') ?? '') ? params.get('ticket') : '', kind: params.get('kind') === 'project' ? 'project' : 'service' };
let nonce = null;
let binding = null; // {ticket, kind, origin}

const timings = { modules: Math.round(performance.now()) }; // first context / wasm ready, for the measured figures (tests read body[data-timings])
// newPassword: the password just set, kept (revealable, copyable) until Done or the ticket is left.
const state = { ctx: null, checker: null, verdict: null, idempotencyKey: null, keyFor: null, busy: false, newPassword: null };

/** Every panel message carries the nonce and the frames around us (the background checks both). */
function call(type, payload = {}) {
  return callBackground(type, { ...payload, nonce, ancestors: location.ancestorOrigins ? [...location.ancestorOrigins] : null });
}

// Only to the frame the binding names, with its exact origin; nothing before we are bound.
function post(message) {
  if (binding && window.parent !== window) window.parent.postMessage({ source: PANEL_EVENT, ...message }, binding.origin);
}

function notBound(reason) {
  return Object.assign(new Error(t('notBound')), { code: 'PANEL_NOT_BOUND', reason });
}

/** The content script posts the nonce once we have loaded; a popup or tab has no frame around it. */
function receiveNonce() {
  if (window.parent === window) return Promise.reject(notBound('top_level'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(notBound('no_binding'));
    }, NONCE_WAIT_MS);
    function onMessage(ev) {
      const d = ev.data;
      if (ev.source !== window.parent || !d || d.source !== CONTENT_EVENT || typeof d.nonce !== 'string') return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(d.nonce);
    }
    window.addEventListener('message', onMessage);
  });
}
// The panel's own height (documentElement.scrollHeight never shrinks below the iframe's viewport).
const panelHeight = () => {
  const main = document.getElementById('panel');
  return main.offsetTop + main.offsetHeight + 2; // layout size, independent of scrolling
};
new ResizeObserver(() => post({ height: panelHeight() })).observe(document.getElementById('panel'));

function setStatus(text, isError = false) {
  const s = $('status');
  s.hidden = !text;
  s.textContent = text;
  s.classList.toggle('err', isError);
}

function updateResetButton() {
  // The password just set is on screen to be shared, not to be set a second time.
  const justSet = state.newPassword !== null && passwordBox.value() === state.newPassword;
  // Where the customer requires a verified caller, the backend would refuse anyway (403).
  const unverified = verification.blocked();
  $('reset').disabled = state.busy || justSet || unverified || !(state.ctx?.can_reset && state.verdict?.ok);
  $('unlock').disabled = unverified;
}

async function loadContext() {
  setStatus(t('loading'));
  const ctx = await call(MSG.CONTEXT);
  timings.context ??= Math.round(performance.now()); // ms since the panel document started
  state.ctx = ctx;
  state.checker?.free();
  state.checker = null;
  renderContext(ctx);
  verification.render(ctx);
  if (ctx.policy) {
    await loadCore();
    timings.wasm ??= Math.round(performance.now());
    state.checker = makeChecker(ctx.policy, ctx.policy_account);
  }
  $('reset-area').hidden = !(ctx.can_reset && state.checker) && state.newPassword === null;
  $('unlock').hidden = !(ctx.can_unlock && ctx.account?.locked);
  passwordBox.revalidate();
  setStatus('');
}

const verification = setupVerification({
  call,
  onChange: () => updateResetButton(),
  onTargetChanged: () => reloadContext(),
});

const passwordBox = setupPasswordBox({
  getChecker: () => state.checker,
  onVerdict: (v) => {
    state.verdict = v;
    updateResetButton();
  },
});

setupGenerator({
  generate: (mode, options) => generate(mode, options, state.ctx.policy, state.ctx.policy_account),
  onGenerated: (pw) => passwordBox.set(pw),
});

function toggle(buttonId, sectionId, focusId) {
  $(buttonId).addEventListener('click', () => {
    const section = $(sectionId);
    section.hidden = !section.hidden;
    $(buttonId).setAttribute('aria-expanded', String(!section.hidden));
    if (!section.hidden && focusId) $(focusId).focus();
  });
}
toggle('reset-toggle', 'reset-section', 'password');
toggle('generate-toggle', 'generate-section', 'generate');

$('reset').addEventListener('click', async () => {
  const password = passwordBox.value();
  if (!state.verdict?.ok || !password) return;
  // A retry of the same password after a network error reuses the key: never reset twice.
  if (state.keyFor !== password) {
    state.idempotencyKey = crypto.randomUUID();
    state.keyFor = password;
  }
  state.busy = true;
  updateResetButton();
  $('result').replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: t('resetting') }));
  try {
    const res = await call(MSG.RESET, {
      password,
      temporary: $('temporary').checked,
      idempotency_key: state.idempotencyKey,
      account_id: state.ctx?.account?.id,
      verification_id: verification.verifiedId() ?? undefined,
    });
    state.newPassword = password;
    state.keyFor = null;
    showResetSuccess(res, { onDone: forgetNewPassword });
    state.busy = false;
    updateResetButton();
    await reloadContext(); // must-change / locked as the directory now says
  } catch (err) {
    showResetError(err);
    // Show the account the ticket resolves to now; the technician decides again. Not verified
    // after all (expired meanwhile): the methods are offered again.
    if (err?.code === 'VERIFICATION_REQUIRED') verification.forget();
    if (err?.code === 'TARGET_CHANGED' || err?.code === 'VERIFICATION_REQUIRED') await reloadContext();
  } finally {
    state.busy = false;
    updateResetButton();
  }
});

function forgetNewPassword() {
  state.newPassword = null;
  passwordBox.clear();
  $('copy-status').replaceChildren();
  $('result').replaceChildren();
  delete $('result').dataset.outcome;
  loadContext().catch(showLoadError);
}

async function reloadContext() {
  try {
    await loadContext();
  } catch (err) {
    showLoadError(err);
  }
}

$('unlock').addEventListener('click', async () => {
  $('unlock').disabled = true;
  try {
    await call(MSG.UNLOCK, { verification_id: verification.verifiedId() ?? undefined });
    await loadContext();
    $('result').replaceChildren(Object.assign(document.createElement('p'), { className: 'ok', id: 'unlock-success', textContent: t('unlocked') }));
  } catch (err) {
    showResetError(err);
    if (err?.code === 'VERIFICATION_REQUIRED') {
      verification.forget();
      await reloadContext();
    }
  } finally {
    updateResetButton();
  }
});

$('options').addEventListener('click', () => call(MSG.OPEN_OPTIONS).catch(() => {}));

$('refresh').addEventListener('click', () => {
  if (state.newPassword === null) $('result').replaceChildren();
  loadContext().catch(showLoadError);
});

function showLoadError(err) {
  setStatus(errorText(err), true);
  if (err?.code === 'NOT_CONFIGURED' || err?.code === 'UNAUTHORIZED') {
    const open = Object.assign(document.createElement('button'), { type: 'button', textContent: t('openOptions') });
    open.addEventListener('click', () => call(MSG.OPEN_OPTIONS).catch(() => {}));
    $('status').append(' ', open);
  }
}

function showTicket(tk) {
  $('ticket-label').textContent = tk.ticket ? t(tk.kind === 'project' ? 'projectTicketLabel' : 'serviceTicketLabel', [tk.ticket]) : '';
}

localize();
loadCore().catch(() => {}); // compile the wasm while the binding and the context are in flight
showTicket(hint);
receiveNonce()
  .then((n) => {
    nonce = n;
    // Binding and context at once (one round trip less): the background checks and claims the
    // binding on whichever arrives first; both come from this document. The binding is awaited
    // first so an error from the context is still reported to the bound frame.
    const bound = call(MSG.BIND).then((b) => {
      binding = b;
      showTicket(b);
    });
    const loaded = loadContext();
    loaded.catch(() => {});
    return bound.then(() => loaded);
  })
  .then(() => {
    document.body.dataset.timings = JSON.stringify({ ...timings, ready: Math.round(performance.now()) });
    document.body.dataset.ready = 'true';
    post({ state: 'ready', height: panelHeight() });
  })
  .catch((err) => {
    if (err?.code === 'PANEL_NOT_BOUND') {
      // Unbound: one sentence, no ticket data, no buttons that act, nothing posted to the framer.
      binding = null;
      setStatus(t('notBound'), true);
      $('ticket-label').textContent = '';
      for (const id of ['refresh', 'options']) $(id).hidden = true;
      document.body.dataset.refused = err.reason ?? 'unknown';
    } else {
      showLoadError(err);
    }
    document.body.dataset.ready = 'error';
    post({ state: 'error', height: panelHeight() });
  })
  .finally(() => $('panel').setAttribute('aria-busy', 'false'));
