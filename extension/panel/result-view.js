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

const CAUSE_KEYS = {
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
    const key = CAUSE_KEYS[cause];
    if (!key) continue;
    lines.push(t(key));
    if (cause === 'OTHER_DC_PROFILE') lines.push(...(err.likely_rules ?? []).map((r) => `– ${r.message}`));
  }
  return lines.length ? lines : [t('refusedNoRule')];
}

export function showResetError(err) {
  const box = $('result');
  box.dataset.outcome = 'error';
  const code = err?.code ?? 'INTERNAL';
  const head = {
    DIRECTORY_REFUSED: t('errDirectoryRefused', [err.directory_code ?? '?']),
    POLICY_VIOLATION: t('errPolicyViolation'),
    RESET_BLOCKED: t('errResetBlocked'),
    TARGET_CHANGED: t('errTargetChanged'),
    DIRECTORY_UNAVAILABLE: t('errDirectoryUnavailable'),
    DIRECTORY_ACCESS_DENIED: t('errDirectoryAccessDenied'),
    VERIFICATION_REQUIRED: t('errVerificationRequired'),
  }[code] ?? err?.message ?? String(err);
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
