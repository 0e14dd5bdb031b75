// Message types to the background worker. Each has one kind of caller (background.js checks it):
// the content script only asks for a panel binding; the panel acts only with the binding it claimed
// (lib/panel-binding.js); the options page tests and saves settings.
export const MSG = Object.freeze({
  PANEL_NONCE: 'passdesk:panel-nonce', // content script: {ticket, kind} -> one-time nonce for the panel it mounts
  BIND: 'passdesk:bind', //       panel: -> {ticket, kind, origin} of its binding (origin: the frame around it)
  CONTEXT: 'passdesk:context', // panel: -> ticket context (docs/api.md)
  RESET: 'passdesk:reset', //     panel: {password, temporary, idempotency_key, account_id, verification_id?} -> reset result
  UNLOCK: 'passdesk:unlock', //   panel: {verification_id?} -> {result, audit_id}
  VERIFY_START: 'passdesk:verify-start', // panel: {method, account_id} -> verification {id, status, ...}
  VERIFY_CODE: 'passdesk:verify-code', //   panel: {verification_id, code} -> verification
  VERIFY_STATUS: 'passdesk:verify-status', // panel: {verification_id} -> verification (Duo push polled)
  ME: 'passdesk:me', //           options: {backendUrl?, token?} -> {technician}; overrides test unsaved settings
  SYNC_HOSTS: 'passdesk:sync-hosts', // options: re-register the content script for on-premise hosts
  OPEN_OPTIONS: 'passdesk:open-options', // panel or options
});
// Every panel message also carries {nonce, ancestors}: the nonce the content script posted to it and
// its location.ancestorOrigins.

/** postMessage `source` of the panel -> content script messages (layout and readiness only). */
export const PANEL_EVENT = 'passdesk-panel';
/** postMessage `source` of the content script -> panel message carrying the nonce. */
export const CONTENT_EVENT = 'passdesk-content';
