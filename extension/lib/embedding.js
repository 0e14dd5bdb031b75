// Where may the panel act? web_accessible_resources lets any site frame panel.html, so the background
// only serves a panel whose tab shows a page our content script runs on (ConnectWise cloud, loopback
// demo, or an on-premise host the technician added). Elsewhere it refuses: no ticket data, no reset.
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

async function allowedPatterns() {
  const fixed = ext.runtime.getManifest().content_scripts.flatMap((c) => c.matches);
  const runtime = ext.scripting?.getRegisteredContentScripts ? await ext.scripting.getRegisteredContentScripts() : [];
  return [...fixed, ...runtime.flatMap((c) => c.matches ?? [])];
}

/** True for our own pages in their own tab (options) and for a panel framed on a ConnectWise page. */
export async function senderMayAct(sender) {
  const own = ext.runtime.getURL('');
  const inOwnTab = !sender.tab || (sender.tab.url ?? '').startsWith(own);
  if (inOwnTab) return true;
  const topUrl = sender.tab.url;
  if (!topUrl) return false; // no host permission for that tab: not one of our pages
  return (await allowedPatterns()).some((p) => matchesPattern(p, topUrl));
}
