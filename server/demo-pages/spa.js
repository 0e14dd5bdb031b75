// Current (GWT single-page) layout: opening a ticket swaps the whole content DOM after an async
// "load", and the URL becomes an opaque state blob that does not contain the ticket id, like CW.
(() => {
  const content = document.getElementById('cw-content');
  let podSeq = 40;

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') e.textContent = v;
      else if (k === 'value') e.value = v;
      else e.setAttribute(k, v);
    }
    e.append(...children);
    return e;
  }

  function field(cwid, label, value) {
    return el('tr', {}, el('td', { class: 'mm_label', text: label }), el('td', { 'data-cwid': cwid }, el('input', { readonly: '', value, 'aria-label': label })));
  }

  // The header label as GWT renders it on different screens: with an id ending in "-label", with an
  // unrelated generated id (.cw_CwLabel), or with no id at all (the project ticket screen).
  function headerLabel(id, t, hid) {
    const text = `${t.kind === 'project' ? 'Project' : 'Service'} Ticket #${id} - ${t.summary}`;
    if (t.kind === 'project') return el('div', { class: 'gwt-Label mm_label', text });
    if (t.label === 'cw') return el('div', { class: 'cw_CwLabel', id: `x-auto-${podSeq++}`, text });
    return el('div', { class: 'gwt-Label mm_label', id: `${hid}-label`, text });
  }

  function ticketView(id) {
    const t = window.DEMO_TICKETS[id];
    const hid = `x-hdr-${podSeq++}`; // GWT-style generated ids change on every render
    const project = t.kind === 'project';
    return el('div', { class: project ? 'pod_project_ticket' : 'pod_service_ticket' },
      el('div', { class: 'navigationEntry', text: project ? 'Projects > Project Board > Project Ticket' : 'Service Board > Service Ticket' }),
      el('div', project ? { class: 'mm_podHeader pod_ticketHeader' } : { class: 'mm_podHeader pod_ticketHeader', id: hid },
        headerLabel(id, t, hid),
        el('div', { class: 'pod_ticketHeaderActions' }, el('div', { class: 'cw_CwActionButton' }, el('div', { class: 'mm_button', text: 'Save' })))),
      el('div', { class: 'pod pod_ticketSummary' }, el('input', { class: 'cw_PsaSummaryHeader', readonly: '', value: t.summary })),
      el('div', { class: 'pod pod_service_ticket_company', 'data-cwid': 'pod_company' },
        el('table', {}, field('company', 'Company', t.company), field('contact', 'Contact', t.contact), field('email', 'Email', t.email))));
  }

  // The service board list: its rows name tickets ("Service Ticket #1001 - ...") but it is no ticket screen.
  function boardView() {
    return el('div', {}, el('div', { class: 'navigationEntry', text: 'Service Board' }),
      el('table', { class: 'srboard-grid' }, ...Object.keys(window.DEMO_TICKETS).filter((k) => k < 2000)
        .map((k) => el('tr', { class: 'cw-ml-row' }, el('td', { text: `#${k}` }),
          el('td', {}, el('div', { class: 'gwt-Label mm_label', text: `Service Ticket #${k} - ${window.DEMO_TICKETS[k].summary}` }))))));
  }

  // A ticket opened in a modal window over the board (GXT window): not the ticket screen.
  function openModal(id) {
    const t = window.DEMO_TICKETS[id];
    const wnd = el('div', { class: 'cw-gxt-wnd', role: 'dialog', id: 'quick-view' },
      el('div', { class: 'mm_podHeader pod_service_ticket_ticket_header', id: `x-hdr-${podSeq}` },
        el('div', { class: 'gwt-Label', id: `x-hdr-${podSeq++}-label`, text: `Service Ticket #${id} - ${t.summary}` })),
      el('div', { class: 'pod pod_service_ticket_ticket' }, el('input', { class: 'cw_summary', readonly: '', value: t.summary })),
      el('div', { class: 'mm_button', id: 'quick-close', text: 'Close' }));
    wnd.querySelector('#quick-close').addEventListener('click', () => wnd.remove());
    document.body.append(wnd);
  }

  function render(view) {
    content.replaceChildren(el('div', { class: 'cw-loading', text: 'Loading…' }));
    setTimeout(() => content.replaceChildren(view.ticket ? ticketView(view.ticket) : boardView()), 60);
  }

  function go(view) {
    const blob = btoa(String.fromCharCode(0x5d, 0, 0, ...crypto.getRandomValues(new Uint8Array(24)))).replace(/[+/=]/g, 'x');
    history.pushState(view, '', `/v4_6_release/ConnectWise.aspx?fullscreen=false&locale=en_US#${blob}`);
    render(view);
  }

  document.getElementById('nav').addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-open], a[data-board], a[data-quick]');
    if (!a) return;
    ev.preventDefault();
    if (a.dataset.quick) openModal(a.dataset.quick);
    else go(a.dataset.open ? { ticket: a.dataset.open } : { board: true });
  });
  window.addEventListener('popstate', (ev) => render(ev.state ?? { board: true }));

  // First render straight away (deep link routeTo=ServiceFV&recid=NNN), so it exists at DOMContentLoaded.
  const q = new URLSearchParams(location.search);
  const first = q.get('routeTo') === 'ServiceFV' && window.DEMO_TICKETS[q.get('recid')] ? { ticket: q.get('recid') } : { board: true };
  history.replaceState(first, '');
  content.replaceChildren(first.ticket ? ticketView(first.ticket) : boardView());
})();
