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

  function ticketView(id) {
    const t = window.DEMO_TICKETS[id];
    const hid = `x-hdr-${podSeq++}`; // GWT-style generated ids change on every render
    return el('div', { class: 'pod_service_ticket' },
      el('div', { class: 'navigationEntry', text: 'Service Board > Service Ticket' }),
      el('div', { class: 'mm_podHeader pod_ticketHeader', id: hid },
        el('div', { class: 'gwt-Label mm_label', id: `${hid}-label`, text: `Service Ticket #${id} - ${t.summary}` }),
        el('div', { class: 'pod_ticketHeaderActions' }, el('div', { class: 'cw_CwActionButton' }, el('div', { class: 'mm_button', text: 'Save' })))),
      el('div', { class: 'pod pod_ticketSummary' }, el('input', { class: 'cw_PsaSummaryHeader', readonly: '', value: t.summary })),
      el('div', { class: 'pod pod_service_ticket_company', 'data-cwid': 'pod_company' },
        el('table', {}, field('company', 'Company', t.company), field('contact', 'Contact', t.contact), field('email', 'Email', t.email))));
  }

  function boardView() {
    return el('div', {}, el('div', { class: 'navigationEntry', text: 'Service Board' }),
      el('table', { class: 'srboard-grid' }, ...Object.keys(window.DEMO_TICKETS).filter((k) => k < 2000)
        .map((k) => el('tr', { class: 'cw-ml-row' }, el('td', { text: `#${k}` }), el('td', { text: window.DEMO_TICKETS[k].summary })))));
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
    const a = ev.target.closest('a[data-open], a[data-board]');
    if (!a) return;
    ev.preventDefault();
    go(a.dataset.open ? { ticket: a.dataset.open } : { board: true });
  });
  window.addEventListener('popstate', (ev) => render(ev.state ?? { board: true }));

  // First render straight away (deep link routeTo=ServiceFV&recid=NNN), so it exists at DOMContentLoaded.
  const q = new URLSearchParams(location.search);
  const first = q.get('routeTo') === 'ServiceFV' && window.DEMO_TICKETS[q.get('recid')] ? { ticket: q.get('recid') } : { board: true };
  history.replaceState(first, '');
  content.replaceChildren(first.ticket ? ticketView(first.ticket) : boardView());
})();
