// Options: backend URL, technician token (storage.local only), on-premise ConnectWise hosts.
// Host permissions are optional and requested here, inside the click (a user gesture is required).
// An MSP's policy may set the backend URL and hosts (lib/settings.js); the token is always typed here.
import { callBackground, ext, loadSettings, localize, saveSettings, t } from '../lib/browser.js';
import { MSG } from '../lib/messages.js';
import { hostToPattern } from '../lib/onprem.js';
import { normalizeBaseUrl } from '../lib/api-client.js';

const $ = (id) => document.getElementById(id);

function status(text, cls) {
  $('status').textContent = text;
  $('status').className = cls;
}

function readForm() {
  const hosts = $('onprem').value.split(/\s+/).map((h) => h.trim()).filter(Boolean);
  return { backendUrl: $('backend-url').value.trim(), token: $('token').value.trim(), onpremHosts: hosts };
}

$('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = readForm();
  let origins;
  try {
    const base = normalizeBaseUrl(form.backendUrl);
    origins = [`${new URL(base).origin}/*`, ...form.onpremHosts.map(hostToPattern).filter(Boolean)];
  } catch (err) {
    status(err.message, 'err');
    return;
  }
  // Request first, synchronously in the gesture; already-granted origins resolve without a prompt.
  // A policy's backend URL needs its grant too: browsers let no policy grant an optional host
  // permission, so the technician's one Save (for the token) asks for it (README "Deploy").
  const grant = ext.permissions.request({ origins }).catch(() => false);
  await saveSettings({ ...form, backendUrl: normalizeBaseUrl(form.backendUrl) });
  await grant;
  const missing = [];
  for (const o of origins) if (!(await ext.permissions.contains({ origins: [o] }))) missing.push(o);
  await callBackground(MSG.SYNC_HOSTS).catch(() => {});
  if (!missing.length) status(t('saved'), 'ok');
  else status(t('savedNoPermission', [missing.join(', ')]), 'err');
  document.body.dataset.saved = 'true';
});

$('test').addEventListener('click', async () => {
  const form = readForm();
  try {
    const me = await callBackground(MSG.ME, { backendUrl: form.backendUrl, token: form.token });
    status(t('connectedAs', [me.technician]), 'ok');
  } catch (err) {
    status(t('connectionFailed', [err.message]), 'err');
  }
});

/** Marks a field the policy sets: read-only when locked, else says that saving overrides it. */
function showPolicy(s, key, field, note) {
  if (!(key in s.managed)) return;
  const shown = Array.isArray(s.managed[key]) ? s.managed[key].join(', ') : s.managed[key];
  field.readOnly = s.locked;
  field.dataset.source = s.source[key];
  note.hidden = false;
  note.textContent = s.locked ? t('policyLocked') : s.source[key] === 'policy' ? t('policyDefault') : t('policyOverridden', [shown]);
}

localize();
loadSettings().then((s) => {
  $('backend-url').value = s.backendUrl;
  $('token').value = s.token;
  $('onprem').value = s.onpremHosts.join('\n');
  showPolicy(s, 'backendUrl', $('backend-url'), $('backend-url-policy'));
  showPolicy(s, 'onpremHosts', $('onprem'), $('onprem-policy'));
  document.body.dataset.loaded = 'true';
});
