// The only module that touches the WebExtension namespace: Firefox exposes promise-based `browser`,
// Chrome `chrome` (promise-based in MV3 too). Everything else imports from here.
export const ext = globalThis.browser ?? globalThis.chrome;

/** Settings live in storage.local only (never sync: the token must not leave this browser profile). */
export const SETTINGS_KEYS = ['backendUrl', 'token', 'onpremHosts'];

export async function loadSettings() {
  const s = await ext.storage.local.get(SETTINGS_KEYS);
  return { backendUrl: s.backendUrl ?? '', token: s.token ?? '', onpremHosts: s.onpremHosts ?? [] };
}

export function saveSettings(settings) {
  return ext.storage.local.set(settings);
}

/** Sends a typed message to the background worker; rejects with the backend's error object. */
export async function callBackground(type, payload = {}) {
  const reply = await ext.runtime.sendMessage({ type, ...payload });
  if (!reply) throw Object.assign(new Error('No answer from the PassDesk background worker.'), { code: 'NO_BACKGROUND' });
  if (!reply.ok) throw Object.assign(new Error(reply.error?.message ?? 'Unknown error'), reply.error ?? {});
  return reply.data;
}

/** Localised text from _locales/en/messages.json. */
export function t(key, substitutions) {
  return ext.i18n.getMessage(key, substitutions) || key;
}

/** Fills every element carrying data-i18n (textContent) / data-i18n-<attr> (attribute). */
export function localize(root = document) {
  for (const el of root.querySelectorAll('*')) {
    for (const { name, value } of [...el.attributes]) {
      if (name === 'data-i18n') el.textContent = t(value);
      else if (name.startsWith('data-i18n-')) el.setAttribute(name.slice('data-i18n-'.length), t(value));
    }
  }
}
