// "Verify caller" (docs/api.md "Caller verification"): the account's masked methods from the
// context, a code sent by SMS / e-mail and typed back, or a Duo push polled until answered. The
// code stays in this panel: sent to the background worker in a message body, the box emptied once
// checked, never logged. The successful verification's id goes with the reset and the unlock.
import { t } from '../lib/browser.js';
import { MSG } from '../lib/messages.js';
import { errorText } from './result-view.js';

const $ = (id) => document.getElementById(id);
const POLL_MS = 2000;
const SUCCESS = new Set(['verified', 'approved']);

/**
 * A method as listed ("E-mail code to j***@example.net") or inside a sentence ("... by e-mail code
 * to j***@example.net", as the ticket note says it); a push names itself ("Duo push to jsmith").
 */
export function methodText(kind, target, { inSentence = false } = {}) {
  if (kind === 'duo_push') return target;
  const key = kind === 'sms' ? 'BySms' : 'ByEmail';
  return t(`${inSentence ? 'verified' : 'verify'}${key}`, [target]);
}

/** A successful verification still within its verified_until. */
export function isFresh(v, now = Date.now()) {
  return Boolean(v && SUCCESS.has(v.status) && v.verified_until && Date.parse(v.verified_until) > now);
}

/** The locale key of our own words for each verification error code (and the worker's BAD_CODE). */
export const ERROR_KEYS = {
  VERIFICATION_LOCKED: 'verifyLocked',
  VERIFICATION_EXPIRED: 'verifyExpired',
  VERIFICATION_CLOSED: 'verifyClosed',
  VERIFICATION_PROVIDER_FAILED: 'verifyProviderFailed',
  VERIFICATION_METHOD_UNKNOWN: 'verifyMethodUnknown',
  VERIFICATION_NOT_FOUND: 'verifyNotFound',
  BAD_CODE: 'verifyBadCode',
};

/** Plain words for a failed start / code / poll (the panel's words for other codes, the backend's message where we have none). */
export function verifyErrorText(err) {
  const code = err?.code;
  if (code === 'WRONG_CODE') return t('verifyWrongCode', [String(err.attempts_left ?? 0)]);
  if (code === 'VERIFICATION_RATE_LIMITED' || code === 'VERIFICATION_PROVIDER_RATE_LIMITED') {
    return err.retry_after ? t('verifyRateLimitedFor', [String(err.retry_after)]) : t('verifyRateLimited');
  }
  return Object.hasOwn(ERROR_KEYS, code) ? t(ERROR_KEYS[code]) : errorText(err);
}

/** Words and state for where a verification stands (statuses of GET /api/v1/verifications/{id}). */
function statusText(v) {
  return {
    sent: t('verifySent', [v.target]),
    pending: t('verifyWaiting'),
    locked: t('verifyLocked'),
    expired: t('verifyExpired'),
    denied: t('verifyDenied'),
    timeout: t('verifyTimeout'),
    failed: t('verifyProviderFailed'),
  }[v.status] ?? v.status;
}

/**
 * @param {{call: (type: string, payload?: object) => Promise<any>, onChange: () => void, onTargetChanged: () => void}} deps
 */
export function setupVerification({ call, onChange, onTargetChanged }) {
  // current: the verification on screen ({id, status, kind, target, verified_until, ...}) or null.
  const s = { ctx: null, current: null, poll: null, expiry: null, busy: false };

  function stopPolling() {
    clearTimeout(s.poll);
    s.poll = null;
  }
  // A panel that goes away (the ticket left, the tab closed) asks nothing more.
  addEventListener('pagehide', stopPolling);

  function say(text, state, isError = false) {
    const p = $('verify-status');
    p.textContent = text;
    p.className = isError ? 'err' : 'muted';
    if (state) p.dataset.state = state;
    else delete p.dataset.state;
  }

  function selected() {
    return document.querySelector('#verify-methods input[name="verify-method"]:checked')?.value ?? null;
  }

  function methodOf(id) {
    return (s.ctx?.verification?.methods ?? []).find((m) => m.id === id) ?? null;
  }

  function showChoice() {
    const m = methodOf(selected());
    $('verify-send').textContent = m?.kind === 'duo_push' ? t('verifySendPush') : t('verifySendCode');
    $('verify-send').disabled = s.busy || !m;
  }

  function show(v) {
    s.current = v;
    clearTimeout(s.expiry);
    const fresh = isFresh(v);
    $('verify-done').hidden = !fresh;
    $('verify-done').textContent = fresh ? t('verifyDone', [methodText(v.kind, v.target, { inSentence: true })]) : '';
    $('verify-choose').hidden = fresh;
    $('verify-code-row').hidden = fresh || v?.status !== 'sent';
    if (fresh) {
      say('', 'verified');
      // Past verified_until the backend refuses it: offer the methods again.
      s.expiry = setTimeout(() => show(null), Math.max(0, Date.parse(v.verified_until) - Date.now()));
    } else if (v) {
      const failed = !['sent', 'pending'].includes(v.status);
      say(statusText(v), v.status, failed);
    } else {
      say('', null);
    }
    updateRequired();
    onChange();
  }

  function updateRequired() {
    const line = $('verify-required');
    line.hidden = !(s.ctx?.verification?.required && !isFresh(s.current));
    line.textContent = (s.ctx?.verification?.methods ?? []).length ? t('verifyRequired') : t('verifyRequiredNoMethod');
  }

  function schedulePoll(id) {
    stopPolling();
    s.poll = setTimeout(async () => {
      s.poll = null;
      if (s.current?.id !== id) return;
      try {
        const v = await call(MSG.VERIFY_STATUS, { verification_id: id });
        if (s.current?.id !== id) return;
        show(v);
        if (v.status === 'pending') schedulePoll(id);
      } catch (err) {
        say(verifyErrorText(err), 'error', true);
      }
    }, POLL_MS);
  }

  async function busy(fn) {
    s.busy = true;
    showChoice();
    $('verify-check').disabled = true;
    try {
      await fn();
    } finally {
      s.busy = false;
      showChoice();
      $('verify-check').disabled = false;
    }
  }

  $('verify-methods').addEventListener('change', showChoice);

  $('verify-send').addEventListener('click', () => busy(async () => {
    const method = selected();
    if (!method || !s.ctx?.account?.id) return;
    stopPolling();
    $('verify-code').value = '';
    say(t('verifySending'), 'sending');
    try {
      const v = await call(MSG.VERIFY_START, { method, account_id: s.ctx.account.id });
      show(v);
      if (v.status === 'pending') schedulePoll(v.id);
      else if (v.status === 'sent') $('verify-code').focus();
    } catch (err) {
      say(verifyErrorText(err), 'error', true);
      if (err?.code === 'TARGET_CHANGED') onTargetChanged();
    }
  }));

  async function check() {
    const box = $('verify-code');
    const code = box.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) {
      say(t('verifyBadCode'), 'bad_code', true);
      return;
    }
    const id = s.current?.id;
    if (!id) return;
    await busy(async () => {
      try {
        const v = await call(MSG.VERIFY_CODE, { verification_id: id, code });
        box.value = '';
        show(v);
      } catch (err) {
        box.value = '';
        const state = { WRONG_CODE: 'wrong_code', VERIFICATION_LOCKED: 'locked', VERIFICATION_EXPIRED: 'expired', VERIFICATION_CLOSED: 'closed' }[err?.code] ?? 'error';
        // Locked, expired or closed: this code is done; a new one must be sent.
        if (state !== 'wrong_code' && state !== 'error') $('verify-code-row').hidden = true;
        say(verifyErrorText(err), state, true);
        box.focus();
      }
    });
  }
  $('verify-check').addEventListener('click', check);
  $('verify-code').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') check();
  });

  return {
    /** Shows the context's methods and its `current` verification (a reload keeps one under way). */
    render(ctx) {
      const sameAccount = s.ctx?.account?.id === ctx.account?.id;
      s.ctx = ctx;
      const v = ctx.verification ?? {};
      const methods = ctx.account ? (v.methods ?? []) : [];
      $('verify').hidden = !(methods.length || (v.required && ctx.account));
      const keep = selected();
      $('verify-methods').replaceChildren(...methods.map((m, i) => {
        const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'verify-method', value: m.id, checked: m.id === keep || (!keep && i === 0) });
        const label = document.createElement('label');
        label.dataset.kind = m.kind;
        label.append(input, ' ', methodText(m.kind, m.target));
        return label;
      }));
      if (!document.querySelector('#verify-methods input:checked') && methods.length) document.querySelector('#verify-methods input').checked = true;
      $('verify-problem').hidden = !v.problem;
      $('verify-problem').textContent = v.problem ?? '';
      showChoice();
      // Keep a code being typed or a push being polled for this account; else the backend's latest.
      const current = v.current ?? null;
      const active = sameAccount && ['sent', 'pending'].includes(s.current?.status);
      if (!current && active) {
        updateRequired();
        return;
      }
      if (current && s.current?.id === current.id && s.poll) return;
      stopPolling();
      show(current);
      if (current?.status === 'pending') schedulePoll(current.id);
    },
    /** The id to send with a reset / unlock, while fresh. */
    verifiedId: () => (isFresh(s.current) ? s.current.id : null),
    /** Required here and not (or no longer) verified: reset and unlock stay off. */
    blocked: () => Boolean(s.ctx?.verification?.required) && !isFresh(s.current),
    /** After a 403 VERIFICATION_REQUIRED: what we thought verified is not. */
    forget() {
      stopPolling();
      show(null);
    },
  };
}
