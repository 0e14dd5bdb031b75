// Outcome of a reset in plain words: success + note posted/queued/failed, or what went wrong (a DC refusal
// lists the rules our validator believes it broke; the DC itself never says which).
import { t } from '../lib/browser.js';
import { problemText } from './context-view.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

/** The reset account's name from the reset answer: a string, or an account object (sAMAccountName, else UPN). */
export function accountName(account) {
  if (typeof account === 'string') return account.trim() || null;
  if (account && typeof account === 'object') return account.sam_account_name || account.upn || null;
  return null;
}

/** What happened to the ticket note, as the reset answer says (`posted`, `queued`, `failed`). */
export function noteText(note) {
  return { posted: t('notePosted'), failed: t('noteFailed') }[note] ?? t('noteQueued');
}

/** Success, with the new password kept in the box above (Show / Copy) until the technician presses Done. */
export function showResetSuccess(res, { onDone }) {
  const note = noteText(res.note);
  const temp = res.temporary ? t('mustChangeNextLogon') : '';
  const name = accountName(res.account);
  const done = el('button', { type: 'button', id: 'dismiss' }, t('doneWithPassword'));
  done.addEventListener('click', onDone);
  $('result').replaceChildren(
    el('p', { className: 'ok', id: 'reset-success' }, name ? t('resetSuccessOf', [name]) : t('resetSuccess')),
    el('p', { id: 'reset-note', className: 'muted' }, note),
    ...(temp ? [el('p', { className: 'muted' }, temp)] : []),
    el('p', { id: 'keep-hint', className: 'muted' }, t('newPasswordKept')),
    done,
  );
  $('result').dataset.outcome = 'success';
  delete $('result').dataset.code;
  $('result').dataset.note = res.note;
}

/** The locale key of each likely cause of a DC's refusal (`likely_causes`, docs/api.md). */
export const CAUSE_KEYS = {
  OTHER_DC_PROFILE: 'causeOtherDcProfile',
  POLICY_UNCERTAIN: 'causePolicyUncertain',
  RECENTLY_USED: 'causeRecentlyUsed',
  DIRECTORY_FILTER: 'causeDirectoryFilter',
};

/** The likely causes of a DC's refusal in plain words; the other DC profile's rules follow its line. */
export function refusalLines(err) {
  const causes = Array.isArray(err?.likely_causes) ? err.likely_causes : [];
  if (!causes.length) return [t('refusedNoRule')];
  const lines = [];
  for (const cause of causes) {
    const key = Object.hasOwn(CAUSE_KEYS, cause) ? CAUSE_KEYS[cause] : null;
    if (!key) continue;
    lines.push(t(key));
    if (cause === 'OTHER_DC_PROFILE') lines.push(...(err.likely_rules ?? []).map((r) => `– ${r.message}`));
  }
  return lines.length ? lines : [t('refusedNoRule')];
}

/**
 * The locale key of our own words for each error code the backend may answer the panel (docs/api.md);
 * the words of DIRECTORY_REFUSED and DIRECTORY_ERROR name the answer's directory_code. The verification
 * codes have their words in verify-view.js. The site agents' codes (/agent/v1/*) never reach a panel.
 */
export const ERROR_KEYS = {
  UNAUTHORIZED: 'errUnauthorized',
  BAD_REQUEST: 'errBadRequest',
  PAYLOAD_TOO_LARGE: 'errPayloadTooLarge',
  NOT_FOUND: 'errNotFound',
  INTERNAL: 'errInternal',
  TICKET_NOT_FOUND: 'errTicketNotFound',
  CONNECTWISE_UNAVAILABLE: 'errConnectwiseUnavailable',
  RESET_BLOCKED: 'errResetBlocked',
  POLICY_VIOLATION: 'errPolicyViolation',
  DIRECTORY_REFUSED: 'errDirectoryRefused',
  DIRECTORY_ACCESS_DENIED: 'errDirectoryAccessDenied',
  DIRECTORY_UNAVAILABLE: 'errDirectoryUnavailable',
  DIRECTORY_ERROR: 'errDirectoryError',
  RESET_IN_PROGRESS: 'errResetInProgress',
  RESET_INTERRUPTED: 'errResetInterrupted',
  IDEMPOTENCY_KEY_REUSED: 'errIdempotencyKeyReused',
  TARGET_CHANGED: 'errTargetChanged',
  VERIFICATION_REQUIRED: 'errVerificationRequired',
};

/** Plain words of ours for a backend error, else its own message (a code this panel does not know yet). */
export function errorText(err) {
  const code = err?.code;
  if (!Object.hasOwn(ERROR_KEYS, code)) return err?.message ?? String(err);
  const withCode = code === 'DIRECTORY_REFUSED' || code === 'DIRECTORY_ERROR';
  return t(ERROR_KEYS[code], withCode ? [err.directory_code ?? '?'] : undefined);
}

export function showResetError(err) {
  const box = $('result');
  box.dataset.outcome = 'error';
  const code = err?.code ?? 'INTERNAL';
  const head = errorText(err);
  const items = [];
  if (code === 'DIRECTORY_REFUSED') {
    items.push(...refusalLines(err));
  } else if (code === 'POLICY_VIOLATION') {
    items.push(...(err.violations ?? []).map((v) => v.message));
  } else if (code === 'RESET_BLOCKED') {
    items.push(...(err.problems ?? []).map(problemText));
  }
  box.replaceChildren(
    el('p', { className: 'err', id: 'reset-error' }, head),
    ...(items.length ? [el('ul', { className: 'err' }, ...items.map((m) => el('li', {}, m)))] : []),
  );
  box.dataset.code = code;
}
