// Renders the backend's ticket context (docs/api.md) as plain facts and plain-word problems.
import { t } from '../lib/browser.js';

const $ = (id) => document.getElementById(id);

export function renderContext(ctx) {
  const tk = ctx.ticket ?? {};
  const company = tk.company ? `${tk.company.name ?? tk.company.identifier}` : '';
  $('company').textContent = company || t('unknown');
  $('contact').textContent = tk.contact?.name ?? t('noContact');
  $('email').textContent = tk.email ?? t('noEmail');
  const acc = ctx.account;
  $('account').textContent = acc ? `${acc.display_name ?? ''} (${acc.sam_account_name ?? acc.upn ?? acc.id})`.trim() : t('noAccount');
  const status = $('account-status');
  status.replaceChildren();
  if (acc) {
    status.append(
      badge(acc.enabled ? t('enabled') : t('disabled'), acc.enabled ? 'good' : 'bad'),
      badge(acc.locked ? t('locked') : t('notLocked'), acc.locked ? 'bad' : 'good'),
    );
    if (acc.must_change) status.append(badge(t('mustChange'), ''));
    if (acc.password_last_set) status.append(badge(t('lastSet', [new Date(acc.password_last_set).toLocaleString()]), ''));
  } else {
    status.textContent = '–';
  }
  const problems = $('problems');
  problems.replaceChildren(
    ...(ctx.problems ?? []).map((p) => {
      const li = document.createElement('li');
      li.dataset.code = p.code;
      li.textContent = problemText(p);
      return li;
    }),
  );
  problems.setAttribute('aria-label', t('problems'));
  const note = $('policy-note');
  note.hidden = !ctx.policy_source && !ctx.policy_uncertain;
  note.textContent = [ctx.policy_source && t('policyFrom', [ctx.policy_source]), ctx.policy_uncertain].filter(Boolean).join(' · ');
  $('context').hidden = false;
}

/** The locale key of our own words for each problem code of a context (docs/api.md). */
export const PROBLEM_KEYS = {
  NO_CONTACT: 'problemNoContact',
  NO_EMAIL: 'problemNoEmail',
  EMAIL_MISMATCH: 'problemEmailMismatch',
  NO_DIRECTORY: 'problemNoDirectory',
  NO_ACCOUNT: 'problemNoAccount',
  MULTIPLE_ACCOUNTS: 'problemMultipleAccounts',
  ACCOUNT_DISABLED: 'problemDisabled',
  PRIVILEGED_ACCOUNT: 'problemPrivileged',
  DIRECTORY_UNAVAILABLE: 'problemDirectoryUnavailable',
  ON_PREMISES_SYNCED: 'problemOnPremisesSynced',
};

/** Our own wording per code where we have one, else the backend's plain-words message. */
export function problemText(p) {
  const key = Object.hasOwn(PROBLEM_KEYS, p.code) ? PROBLEM_KEYS[p.code] : null;
  const text = key ? t(key) : '';
  return text && text !== key ? text : p.message ?? p.code;
}

function badge(text, cls) {
  const s = document.createElement('span');
  s.className = `badge ${cls}`.trim();
  s.textContent = text;
  return s;
}
