// Binds every panel document to the one frame our content script made for it. Any site may load
// panel.html (it is a web-accessible resource), so the background answers a panel only when:
//  - the content script of a ConnectWise top frame asked for it (a one-time nonce bound to that tab,
//    frame, document, ticket and kind), and the nonce reached the panel by postMessage (never in a URL
//    or the host DOM);
//  - the panel is a direct child of that very frame: the panel's own location.ancestorOrigins (computed
//    by the browser, read by our code) must be exactly [that frame's origin]; Firefox's webNavigation
//    also reports the panel's parent frame and document (it must be that frame; this alone decides
//    where ancestorOrigins is missing); Chrome's reports no extension frames; and the top frame must
//    still hold the document the nonce was issued to;
//  - the first panel document that presented the nonce claimed it; any other document is refused.
// Pure functions over a plain table {nonce: record}; the background keeps it in storage.session.

export const UNCLAIMED_TTL_MS = 2 * 60_000; // a frame that never came to claim its nonce
export const MAX_BINDINGS = 64; // newest kept; a tab keeps only its latest panel anyway

/** Why a panel is refused (the panel shows one plain sentence; the reason helps support and tests). */
export const Refusal = Object.freeze({
  TOP_LEVEL: 'top_level', //         popup or tab: the panel document is not in a frame
  NO_BINDING: 'no_binding', //       no nonce, an unknown one, or one that expired / was replaced
  OTHER_TAB: 'other_tab', //         the nonce was issued to another tab
  PARENT: 'parent', //               framed by anyone but the frame the nonce was issued to
  PARENT_DOCUMENT: 'parent_document', // that frame now shows another document
  CLAIMED: 'claimed', //             another panel document already uses this nonce
});

export const TICKET_KINDS = Object.freeze(['service', 'project']);

export function isTicketId(raw) {
  return typeof raw === 'string' && /^\d{1,12}$/.test(raw);
}

/**
 * A new binding for a content script's request (the caller checked that the sender is our content
 * script in a ConnectWise top frame). Drops the same frame's older bindings: one panel per frame.
 */
export function issue(table, sender, { ticket, kind }, { nonce, now }) {
  if (!isTicketId(ticket) || !TICKET_KINDS.includes(kind)) return { error: 'bad_ticket' };
  const tabId = sender.tab?.id;
  if (typeof tabId !== 'number' || sender.frameId !== 0) return { error: 'not_top_frame' };
  const origin = sender.origin && sender.origin !== 'null' ? sender.origin : new URL(sender.url).origin;
  const next = {};
  for (const [k, r] of Object.entries(prune(table, now))) if (!(r.tabId === tabId && r.frameId === 0)) next[k] = r;
  next[nonce] = { tabId, frameId: 0, documentId: sender.documentId ?? null, origin, ticket, kind, issuedAt: now, claim: null };
  return { table: cap(next), nonce };
}

/** Drops unclaimed bindings older than the TTL. */
export function prune(table, now) {
  return Object.fromEntries(Object.entries(table ?? {}).filter(([, r]) => r.claim || now - r.issuedAt <= UNCLAIMED_TTL_MS));
}

function cap(table) {
  const entries = Object.entries(table);
  if (entries.length <= MAX_BINDINGS) return table;
  return Object.fromEntries(entries.sort(([, a], [, b]) => b.issuedAt - a.issuedAt).slice(0, MAX_BINDINGS));
}

/** Drops every binding of a closed tab. */
export function forgetTab(table, tabId) {
  return Object.fromEntries(Object.entries(table ?? {}).filter(([, r]) => r.tabId !== tabId));
}

/**
 * May this panel document act? `sender` is the runtime.MessageSender of the panel's message,
 * `ancestors` its location.ancestorOrigins, `panelFrame` webNavigation.getFrame of the panel's frame
 * (null where the browser does not report extension frames), `topFrame` that of the nonce's frame.
 * Returns {record, table} (the table with the claim recorded) or {refusal}.
 */
export function authorize(table, sender, { nonce, ancestors }, { panelFrame, topFrame, now }) {
  const tabId = sender.tab?.id;
  if (typeof tabId !== 'number' || typeof sender.frameId !== 'number' || sender.frameId === 0) return { refusal: Refusal.TOP_LEVEL };
  const live = prune(table, now);
  const record = typeof nonce === 'string' && Object.hasOwn(live, nonce) ? live[nonce] : null;
  if (!record) return { refusal: Refusal.NO_BINDING };
  if (record.tabId !== tabId) return { refusal: Refusal.OTHER_TAB };
  // Exactly one ancestor, the content script's frame: a frame nested by a pod or an ad has two or more.
  // Without ancestorOrigins (older Firefox) only the reported parent frame can tell: required then.
  if (Array.isArray(ancestors) ? ancestors.length !== 1 || ancestors[0] !== record.origin : !panelFrame) return { refusal: Refusal.PARENT };
  if (panelFrame) {
    if (panelFrame.parentFrameId !== record.frameId) return { refusal: Refusal.PARENT };
    if (record.documentId && panelFrame.parentDocumentId && panelFrame.parentDocumentId !== record.documentId) {
      return { refusal: Refusal.PARENT_DOCUMENT };
    }
  }
  if (!topFrame) return { refusal: Refusal.PARENT_DOCUMENT };
  if (record.documentId && topFrame.documentId && topFrame.documentId !== record.documentId) return { refusal: Refusal.PARENT_DOCUMENT };
  const me = { frameId: sender.frameId, documentId: sender.documentId ?? null };
  if (record.claim) {
    if (record.claim.frameId !== me.frameId || record.claim.documentId !== me.documentId) return { refusal: Refusal.CLAIMED };
    return { record, table: live };
  }
  const claimed = { ...record, claim: me };
  return { record: claimed, table: { ...live, [nonce]: claimed } };
}
