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

export function showResetSuccess(res) {
  const note = { posted: t('notePosted'), failed: t('noteFailed') }[res.note] ?? t('noteQueued');
  const temp = res.temporary ? t('mustChangeNextLogon') : '';
  $('result').replaceChildren(
    el('p', { className: 'ok', id: 'reset-success' }, t('resetSuccess')),
    el('p', { id: 'reset-note', className: 'muted' }, note),
    ...(temp ? [el('p', { className: 'muted' }, temp)] : []),
  );
  $('result').dataset.outcome = 'success';
  delete $('result').dataset.code;
  $('result').dataset.note = res.note;
}

export function showResetError(err) {
  const box = $('result');
  box.dataset.outcome = 'error';
  const code = err?.code ?? 'INTERNAL';
  const head = {
    DIRECTORY_REFUSED: t('errDirectoryRefused', [err.directory_code ?? '?']),
    POLICY_VIOLATION: t('errPolicyViolation'),
    RESET_BLOCKED: t('errResetBlocked'),
    DIRECTORY_UNAVAILABLE: t('errDirectoryUnavailable'),
    DIRECTORY_ACCESS_DENIED: t('errDirectoryAccessDenied'),
  }[code] ?? err?.message ?? String(err);
  const items = [];
  if (code === 'DIRECTORY_REFUSED') {
    const rules = err.likely_rules ?? [];
    if (rules.length) items.push(...rules.map((r) => r.message));
    else items.push(t('refusedNoRule'));
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
