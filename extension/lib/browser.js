// The only module that touches the WebExtension namespace: Firefox exposes promise-based `browser`,
// Chrome `chrome` (promise-based in MV3 too). Everything else imports from here.
import { MANAGED_KEYS, effectiveSettings, settingsToSave } from './settings.js';

export const ext = globalThis.browser ?? globalThis.chrome;

/**
 * The technician's settings live in storage.local only (never sync: the token must not leave this
 * browser profile); an MSP's policy in storage.managed (lib/settings.js decides which applies).
 */
export const SETTINGS_KEYS = ['backendUrl', 'token', 'onpremHosts', 'overrides'];

/** The policy's values; {} without one (Firefox rejects the read when no policy names us). */
export async function loadManaged() {
  try {
    return (await ext.storage.managed?.get(MANAGED_KEYS.concat('locked'))) ?? {};
  } catch {
    return {};
  }
}

export async function loadSettings() {
  const [local, managed] = await Promise.all([ext.storage.local.get(SETTINGS_KEYS), loadManaged()]);
  return effectiveSettings(local, managed);
}

/** Stores a saved options form: the token, and of a managed field only a permitted override. */
export async function saveSettings(form) {
  await ext.storage.local.set(settingsToSave(form, await loadManaged()));
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
