// Where does our content script run? The manifest's ConnectWise hosts (plus the loopback demo in the
// demo build) and the on-premise hosts registered at run time. Only such a top frame may ask the
// background for a panel binding (lib/panel-binding.js).
import { ext } from './browser.js';

/** `*://*.myconnectwise.net/*`-style match pattern against a URL (scheme + host; the path is always /*). */
export function matchesPattern(pattern, rawUrl) {
  const m = /^(\*|https?):\/\/(\*|\*\.[^/*]+|[^/*]+)\/\*$/.exec(pattern);
  if (!m) return false;
  let url;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  const scheme = url.protocol.slice(0, -1);
  if (m[1] === '*' ? !['http', 'https'].includes(scheme) : m[1] !== scheme) return false;
  const host = m[2];
  if (host === '*') return true;
  if (host.startsWith('*.')) return url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1));
  return url.hostname === host;
}

async function contentScriptPatterns() {
  const fixed = ext.runtime.getManifest().content_scripts.flatMap((c) => c.matches);
  const runtime = ext.scripting?.getRegisteredContentScripts ? await ext.scripting.getRegisteredContentScripts() : [];
  return [...fixed, ...runtime.flatMap((c) => c.matches ?? [])];
}

/** True when `sender` is our content script in the top frame of a page it is registered for. */
export async function isContentScriptTopFrame(sender) {
  if (sender.id !== ext.runtime.id || !sender.tab || sender.frameId !== 0 || typeof sender.url !== 'string') return false;
  if (sender.url.startsWith(ext.runtime.getURL(''))) return false; // an extension page, not a content script
  return (await contentScriptPatterns()).some((p) => matchesPattern(p, sender.url));
}
