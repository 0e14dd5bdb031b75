// Classic ticket page: the ticket id is in the URL (service_recid= / recid=); render it like CW does.
(() => {
  const q = new URLSearchParams(location.search);
  const id = q.get('service_recid') || q.get('recid');
  const t = window.DEMO_TICKETS[id];
  const main = document.querySelector('.cw_main');
  if (!t) {
    main.replaceChildren(Object.assign(document.createElement('p'), { textContent: `Ticket ${id} not found.` }));
    return;
  }
  const label = t.kind === 'project' ? 'Project Ticket' : 'Service Ticket';
  document.title = `${label} #${id} - ${t.summary}`;
  document.getElementById('crumb').textContent = t.kind === 'project' ? 'Projects > Project Board > Project Ticket' : 'Service Board > Service Ticket';
  document.getElementById('banner').textContent = `${label} #${id} - ${t.summary}`;
  const hdr = document.getElementById('gwt-hdr-12');
  if (t.kind === 'project') hdr.className = 'mm_podHeader pod_project_ticket_ticket_header';
  document.getElementById('gwt-hdr-12-label').textContent = `${label} #${id}`;
  document.getElementById('summary').value = t.summary;
  document.getElementById('company').value = t.company;
  document.getElementById('contact').value = t.contact;
  document.getElementById('email').value = t.email;
})();
