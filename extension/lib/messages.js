// Message types between extension pages (panel, options) and the background worker.
// Content scripts send none of these: the background refuses messages that do not come from an
// extension page, so a compromised host page cannot trigger a reset through the content script.
export const MSG = Object.freeze({
  CONTEXT: 'passdesk:context', // {ticket, kind} -> ticket context (docs/api.md)
  RESET: 'passdesk:reset', //     {ticket, kind, password, temporary, idempotency_key} -> reset result
  UNLOCK: 'passdesk:unlock', //   {ticket, kind} -> {result, audit_id}
  ME: 'passdesk:me', //           {backendUrl?, token?} -> {technician}; overrides test unsaved settings
  SYNC_HOSTS: 'passdesk:sync-hosts', // re-register the content script for on-premise hosts
  OPEN_OPTIONS: 'passdesk:open-options',
});

/** The panel -> host-page messages (postMessage). They carry no secret: only layout and readiness. */
export const PANEL_EVENT = 'passdesk-panel';
