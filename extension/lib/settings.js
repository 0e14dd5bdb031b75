// Which settings apply: the technician's own (storage.local) and the MSP's policy (storage.managed,
// extension/managed_schema.json). Pure functions, no browser API, so node tests them
// (tests/e2e/unit/settings.test.mjs); lib/browser.js reads the two areas and calls these.
//
// - The token is never managed: it is per technician, typed in the options page.
// - A managed backendUrl / onpremHosts wins over the local one, also over a value saved before the
//   policy arrived. The technician may override it only when the policy is not `locked`, and only
//   by saving a different value in the options page (recorded in `overrides`).
// - `locked: true` makes the managed fields read-only: no override counts, whatever is stored.

import { normalizeBaseUrl } from './api-client.js';

export const MANAGED_KEYS = ['backendUrl', 'onpremHosts'];

/** Only well-typed managed values count (Firefox applies no schema to policies.json). */
export function cleanManaged(raw) {
  const m = raw && typeof raw === 'object' ? raw : {};
  const out = {};
  if (typeof m.backendUrl === 'string' && m.backendUrl.trim()) out.backendUrl = normalizedOrAsIs(m.backendUrl.trim());
  if (Array.isArray(m.onpremHosts)) out.onpremHosts = m.onpremHosts.filter((h) => typeof h === 'string' && h.trim()).map((h) => h.trim());
  out.locked = m.locked === true;
  return out;
}

/**
 * The settings in force. `source[key]` is 'policy' when the managed value applies, 'local' otherwise;
 * `managed[key]` is the policy's value (for the options page), `locked` whether it may be overridden.
 */
export function effectiveSettings(local = {}, rawManaged = {}) {
  const managed = cleanManaged(rawManaged);
  const overrides = Array.isArray(local.overrides) ? local.overrides : [];
  const out = {
    backendUrl: local.backendUrl ?? '',
    token: local.token ?? '',
    onpremHosts: local.onpremHosts ?? [],
    source: {},
    managed: {},
    locked: managed.locked,
  };
  for (const key of MANAGED_KEYS) {
    out.source[key] = 'local';
    if (!(key in managed)) continue;
    out.managed[key] = managed[key];
    if (managed.locked || !overrides.includes(key)) {
      out[key] = managed[key];
      out.source[key] = 'policy';
    }
  }
  return out;
}

/**
 * What the options page stores for a saved form: the token always; a managed field only when the
 * policy allows overriding and the technician typed a value other than the policy's (an override),
 * otherwise the override is dropped so the policy applies again.
 */
export function settingsToSave(form, rawManaged = {}) {
  const managed = cleanManaged(rawManaged);
  const out = { token: form.token, overrides: [] };
  for (const key of MANAGED_KEYS) {
    if (!(key in managed)) {
      out[key] = form[key];
    } else if (!managed.locked && !sameValue(form[key], managed[key])) {
      out[key] = form[key];
      out.overrides.push(key);
    }
  }
  return out;
}

// An invalid policy URL is kept as written: the client then refuses it with its reason (BAD_SETTINGS).
function normalizedOrAsIs(url) {
  try {
    return normalizeBaseUrl(url);
  } catch {
    return url;
  }
}

function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
