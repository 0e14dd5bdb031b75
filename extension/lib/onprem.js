// On-premise ConnectWise servers: the technician lists their hosts in the options page, grants the
// optional host permission, and we register the same content script for exactly those hosts.
import { ext, loadSettings } from './browser.js';

const SCRIPT_ID = 'passdesk-onprem';

/** "cw.example.com" or "https://cw.example.com/..." -> "https://cw.example.com/*" (null if invalid). */
export function hostToPattern(raw) {
  const s = String(raw).trim();
  if (!s) return null;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(s) ? s : `https://${s}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return null;
  }
}

export async function syncOnpremContentScripts() {
  if (!ext.scripting?.registerContentScripts) return { registered: [] };
  const { onpremHosts } = await loadSettings();
  const wanted = onpremHosts.map(hostToPattern).filter(Boolean);
  const granted = [];
  for (const pattern of wanted) {
    if (await ext.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await ext.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await ext.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (granted.length) {
    await ext.scripting.registerContentScripts([
      { id: SCRIPT_ID, matches: granted, js: ['content.js'], runAt: 'document_end', allFrames: false },
    ]);
  }
  return { registered: granted };
}
