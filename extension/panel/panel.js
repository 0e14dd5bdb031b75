// Panel bootstrap: reads ?ticket=&kind=&site=, loads the context through the background worker and
// the core wasm in parallel, wires the password box, generator and reset, then tells the host page
// only "ready" and its height (never any ticket data or secret).
import { callBackground, localize, t } from '../lib/browser.js';
import { MSG, PANEL_EVENT } from '../lib/messages.js';
import { loadCore, makeChecker, generate } from './core.js';
import { renderContext } from './context-view.js';
import { setupPasswordBox } from './password-view.js';
import { setupGenerator } from './generator-view.js';
import { showResetError, showResetSuccess } from './result-view.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const ticket = params.get('ticket') ?? '';
const kind = params.get('kind') === 'project' ? 'project' : 'service';

const timings = { modules: Math.round(performance.now()) }; // first context / wasm ready, for the measured figures (tests read body[data-timings])
const state = { ctx: null, checker: null, verdict: null, idempotencyKey: null, keyFor: null, busy: false };

function post(message) {
  if (window.parent !== window) window.parent.postMessage({ source: PANEL_EVENT, ...message }, '*');
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
  $('reset').disabled = state.busy || !(state.ctx?.can_reset && state.verdict?.ok);
}

async function loadContext() {
  setStatus(t('loading'));
  const ctx = await callBackground(MSG.CONTEXT, { ticket, kind });
  timings.context ??= Math.round(performance.now()); // ms since the panel document started
  state.ctx = ctx;
  state.checker?.free();
  state.checker = null;
  renderContext(ctx);
  if (ctx.policy) {
    await loadCore();
    timings.wasm ??= Math.round(performance.now());
    state.checker = makeChecker(ctx.policy, ctx.policy_account);
  }
  $('reset-area').hidden = !ctx.can_reset || !state.checker;
  $('unlock').hidden = !(ctx.can_unlock && ctx.account?.locked);
  passwordBox.revalidate();
  setStatus('');
}

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
    const res = await callBackground(MSG.RESET, { ticket, kind, password, temporary: $('temporary').checked, idempotency_key: state.idempotencyKey });
    showResetSuccess(res);
    passwordBox.clear();
    state.keyFor = null;
  } catch (err) {
    showResetError(err);
  } finally {
    state.busy = false;
    updateResetButton();
  }
});

$('unlock').addEventListener('click', async () => {
  $('unlock').disabled = true;
  try {
    await callBackground(MSG.UNLOCK, { ticket, kind });
    await loadContext();
    $('result').replaceChildren(Object.assign(document.createElement('p'), { className: 'ok', id: 'unlock-success', textContent: t('unlocked') }));
  } catch (err) {
    showResetError(err);
  } finally {
    $('unlock').disabled = false;
  }
});

$('options').addEventListener('click', () => callBackground(MSG.OPEN_OPTIONS).catch(() => {}));

$('refresh').addEventListener('click', () => {
  $('result').replaceChildren();
  loadContext().catch(showLoadError);
});

function showLoadError(err) {
  setStatus(err?.message ?? String(err), true);
  if (err?.code === 'NOT_CONFIGURED' || err?.code === 'UNAUTHORIZED') {
    const open = Object.assign(document.createElement('button'), { type: 'button', textContent: t('openOptions') });
    open.addEventListener('click', () => callBackground(MSG.OPEN_OPTIONS).catch(() => {}));
    $('status').append(' ', open);
  }
}

localize();
loadCore().catch(() => {}); // compile the wasm while the context request is in flight
$('ticket-label').textContent = t(kind === 'project' ? 'projectTicketLabel' : 'serviceTicketLabel', [ticket]);
loadContext()
  .then(() => {
    document.body.dataset.timings = JSON.stringify({ ...timings, ready: Math.round(performance.now()) });
    document.body.dataset.ready = 'true';
    post({ state: 'ready', height: panelHeight() });
  })
  .catch((err) => {
    showLoadError(err);
    document.body.dataset.ready = 'error';
    post({ state: 'error', height: panelHeight() });
  })
  .finally(() => $('panel').setAttribute('aria-busy', 'false'));
