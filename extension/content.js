// PassDesk content script: finds the ConnectWise ticket on screen and puts ONE extension-origin
// iframe (the panel) next to its header. Deliberately tiny: no wasm, no token, no password, no
// network. It asks the background for the panel's one-time binding (ticket id + kind) and hands the
// nonce to the panel it made; the backend re-reads the ticket itself.
(() => {
  'use strict';
  if (globalThis.__passdeskContent) return; // static + runtime registration may both inject us
  globalThis.__passdeskContent = true;
  const ext = globalThis.browser ?? globalThis.chrome;
  const PANEL_ATTR = 'data-passdesk-panel';
  const PANEL_URL = ext.runtime.getURL('panel/panel.html');
  const PANEL_ORIGIN = new URL(PANEL_URL).origin;

  // docs/connectwise.md §1.1: URL forms that carry the ticket id.
  const URL_FORMS = [
    { re: /\/fv_sr100_request\.rails\?(?:.*&)?service_recid=(\d+)/i, kind: 'service' },
    { re: /\/openrecord\.rails\?(?=.*recordType=ServiceFv)(?:.*&)?recid=(\d+)/i, kind: 'service' },
    { re: /\/openrecord\.rails\?(?=.*recordType=ProjectTicketFv)(?:.*&)?recid=(\d+)/i, kind: 'project' },
    { re: /\/ConnectWise\.aspx\?(?=.*routeTo=ServiceFV)(?:.*&)?recid=(\d+)/i, kind: 'service' },
    { re: /\/ConnectWise\.aspx\?(?=.*routeTo=ProjectTicketFV)(?:.*&)?recid=(\d+)/i, kind: 'project' },
  ];
  // The ticket header, by its place and its text, never by an id: a label element (.mm_label,
  // .gwt-Label, .cw_CwLabel, .detailLabel; GWT gives some an id ending in "-label", others none) inside
  // a ticket header pod or the banner, reading "Service Ticket #NNN" / "Project Ticket #NNN".
  const HEADER_PLACES = ['.pod_service_ticket_ticket_header', '.pod_project_ticket_ticket_header', '.pod_ticketHeader', '.cw_BannerView'];
  const HEADER_LABELS = ['.mm_label', '.gwt-Label', '.cw_CwLabel', '.detailLabel', '[id$="-label"]'];
  const HEADER_SELECTOR = HEADER_PLACES.flatMap((place) => HEADER_LABELS.map((label) => `${place} ${label}`)).join(',');
  const HEADER_RE = /^\s*(service|project)\s+ticket\s*#\s*(\d{1,12})\b/i;
  // Never a ticket screen: modal windows (a ticket opened in a dialog) and the service board list.
  const NOT_HERE = '.cw-gxt-wnd, [role="dialog"], .srboard-grid, .cw-ml-row';
  const TICKET_DOM_HINT = '.pod_service_ticket_ticket, .pod_ticketSummary, input.cw_summary, [data-cwid="company"]';

  function fromDom() {
    for (const el of document.querySelectorAll(HEADER_SELECTOR)) {
      if (el.closest(NOT_HERE)) continue;
      // The label's own text: a header pod may also hold buttons or a summary next to it.
      const m = HEADER_RE.exec(el.textContent || '');
      if (m) return { id: m[2], kind: m[1].toLowerCase(), anchor: headerBlock(el) };
    }
    return null;
  }

  function fromUrl() {
    const href = location.href;
    for (const { re, kind } of URL_FORMS) {
      const m = re.exec(href);
      if (m) {
        // The breadcrumb tells project tickets opened through a service-style link apart.
        const crumb = document.querySelector('.navigationEntry');
        const project = crumb && /project\s+ticket/i.test(crumb.textContent || '');
        return { id: m[1], kind: project ? 'project' : kind, anchor: null };
      }
    }
    return null;
  }

  /** The first element matching `selector` that is not inside a modal or the board list. */
  function outside(selector) {
    for (const el of document.querySelectorAll(selector)) if (!el.closest(NOT_HERE)) return el;
    return null;
  }

  function headerBlock(label) {
    return label.closest('.mm_podHeader, .cw_BannerView, .pod_ticketHeader, [class*="_ticket_header"]') || label;
  }

  function currentTicket() {
    const dom = fromDom();
    if (dom) return dom;
    // In the SPA (ConnectWise.aspx) the URL goes stale while the DOM changes: trust it only when
    // the ticket screen is actually rendered.
    const url = fromUrl();
    if (!url) return null;
    if (/ConnectWise\.aspx/i.test(location.pathname) && !outside(TICKET_DOM_HINT)) return null;
    return url;
  }

  let current = null; // {key, frame, box, nonce}

  // The panel gets its one-time nonce (lib/panel-binding.js) by postMessage to exactly the extension
  // origin, once it has loaded: never in its URL, so the host page's DOM never holds it.
  function requestNonce(ticket) {
    return ext.runtime
      .sendMessage({ type: 'passdesk:panel-nonce', ticket: ticket.id, kind: ticket.kind }) // MSG.PANEL_NONCE
      .then((reply) => (reply?.ok ? reply.data : null), () => null);
  }

  function mount(ticket) {
    const box = document.createElement('div');
    box.setAttribute(PANEL_ATTR, '');
    box.dataset.ticket = ticket.id;
    box.dataset.kind = ticket.kind;
    box.dataset.state = 'loading';
    const frame = document.createElement('iframe');
    // ticket/kind only label the panel until its binding answers; the binding is what it acts on.
    const q = new URLSearchParams({ ticket: ticket.id, kind: ticket.kind });
    frame.src = `${PANEL_URL}?${q}`;
    frame.title = ext.i18n.getMessage('panelFrameTitle') || 'PassDesk';
    frame.setAttribute('allow', 'clipboard-write');
    // The panel checks location.ancestorOrigins; "no-referrer" (from the page) would blank it.
    frame.referrerPolicy = 'origin';
    // CSSOM styles (not a style attribute) so a strict page CSP does not drop them.
    for (const [k, v] of Object.entries({ display: 'block', width: '100%', 'max-width': '46rem', height: '220px', border: '0', margin: '8px 0', 'color-scheme': 'normal' })) {
      frame.style.setProperty(k, v, 'important');
    }
    const nonce = requestNonce(ticket);
    frame.addEventListener('load', () => {
      nonce.then((n) => {
        if (n && frame.isConnected) frame.contentWindow?.postMessage({ source: 'passdesk-content', nonce: n }, PANEL_ORIGIN);
      });
    });
    box.appendChild(frame);
    const anchor = ticket.anchor || outside('.cw_BannerView, .pod_service_ticket_ticket_header, .pod_ticketHeader');
    if (anchor?.parentNode) anchor.after(box);
    else document.body.prepend(box);
    box.dataset.mountedAt = String(performance.now());
    return { key: `${ticket.kind}:${ticket.id}`, frame, box };
  }

  function unmount() {
    current?.box.remove();
    current = null;
  }

  function scan() {
    const ticket = currentTicket();
    const key = ticket && `${ticket.kind}:${ticket.id}`;
    if (current && (current.key !== key || !current.box.isConnected)) unmount();
    // Exactly one panel: drop strays (e.g. a copy cloned by the host page's own DOM shuffling).
    for (const stray of document.querySelectorAll(`[${PANEL_ATTR}]`)) if (stray !== current?.box) stray.remove();
    if (ticket && !current) current = mount(ticket);
  }

  // The panel reports readiness and its height; accept only our own iframe's messages.
  window.addEventListener('message', (ev) => {
    if (!current || ev.source !== current.frame.contentWindow || ev.origin !== PANEL_ORIGIN) return;
    const d = ev.data;
    if (!d || d.source !== 'passdesk-panel') return;
    if (typeof d.height === 'number' && d.height > 0) current.frame.style.setProperty('height', `${Math.ceil(Math.min(d.height, 4000))}px`, 'important');
    if (d.state === 'ready' || d.state === 'error') {
      current.box.dataset.state = d.state;
      current.box.dataset.readyAt = String(performance.now());
    }
  });

  // Back/forward cache: the restored page's panel was bound to a document the tab had left; mount anew.
  window.addEventListener('pageshow', (ev) => {
    if (!ev.persisted) return;
    unmount();
    scan();
  });

  // SPA navigation: observe, but only schedule one scan per frame (no work per mutation).
  let scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      scan();
    });
  }
  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener('popstate', schedule);
  window.addEventListener('hashchange', schedule);
  scan();
})();
