// PassDesk content script: finds the ConnectWise ticket on screen and puts ONE extension-origin
// iframe (the panel) next to its header. Deliberately tiny: no wasm, no token, no password, no
// network. It passes only the site and the ticket id; the backend re-reads the ticket itself.
(() => {
  'use strict';
  if (globalThis.__passdeskContent) return; // static + runtime registration may both inject us
  globalThis.__passdeskContent = true;
  const ext = globalThis.browser ?? globalThis.chrome;
  const PANEL_ATTR = 'data-passdesk-panel';
  const PANEL_URL = ext.runtime.getURL('panel/panel.html');
  const PANEL_ORIGIN = new URL(PANEL_URL).origin;

  // connectwise.md §1.3: URL forms that carry the ticket id.
  const URL_FORMS = [
    { re: /\/fv_sr100_request\.rails\?(?:.*&)?service_recid=(\d+)/i, kind: 'service' },
    { re: /\/openrecord\.rails\?(?=.*recordType=ServiceFv)(?:.*&)?recid=(\d+)/i, kind: 'service' },
    { re: /\/openrecord\.rails\?(?=.*recordType=ProjectTicketFv)(?:.*&)?recid=(\d+)/i, kind: 'project' },
    { re: /\/ConnectWise\.aspx\?(?=.*routeTo=ServiceFV)(?:.*&)?recid=(\d+)/i, kind: 'service' },
    { re: /\/ConnectWise\.aspx\?(?=.*routeTo=ProjectTicketFV)(?:.*&)?recid=(\d+)/i, kind: 'project' },
  ];
  // connectwise.md §1.5: header labels that read "Service Ticket #NNN" / "Project Ticket #NNN".
  const HEADER_SELECTOR = [
    '.pod_service_ticket_ticket_header [id$="-label"]',
    '.pod_project_ticket_ticket_header [id$="-label"]',
    '.pod_ticketHeader [id$="-label"]',
    '.cw_BannerView .detailLabel',
    '.detailLabel.cw_CwLabel',
  ].join(',');
  const HEADER_RE = /\b(service|project)\s*ticket\s*#\s*(\d+)/i;
  const TICKET_DOM_HINT = '.pod_service_ticket_ticket, .pod_ticketSummary, input.cw_summary, [data-cwid="company"]';

  function fromDom() {
    for (const el of document.querySelectorAll(HEADER_SELECTOR)) {
      if (el.closest('.cw-gxt-wnd')) continue; // a modal, not the ticket screen
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
    if (/ConnectWise\.aspx/i.test(location.pathname) && !document.querySelector(TICKET_DOM_HINT)) return null;
    return url;
  }

  let current = null; // {key, frame, box}

  function mount(ticket) {
    const box = document.createElement('div');
    box.setAttribute(PANEL_ATTR, '');
    box.dataset.ticket = ticket.id;
    box.dataset.kind = ticket.kind;
    box.dataset.state = 'loading';
    const frame = document.createElement('iframe');
    const q = new URLSearchParams({ ticket: ticket.id, kind: ticket.kind, site: location.host });
    frame.src = `${PANEL_URL}?${q}`;
    frame.title = ext.i18n.getMessage('panelFrameTitle') || 'PassDesk';
    frame.setAttribute('allow', 'clipboard-write');
    // CSSOM styles (not a style attribute) so a strict page CSP does not drop them.
    for (const [k, v] of Object.entries({ display: 'block', width: '100%', 'max-width': '46rem', height: '220px', border: '0', margin: '8px 0', 'color-scheme': 'normal' })) {
      frame.style.setProperty(k, v, 'important');
    }
    box.appendChild(frame);
    const anchor = ticket.anchor || document.querySelector('.cw_BannerView, .pod_service_ticket_ticket_header, .pod_ticketHeader');
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
