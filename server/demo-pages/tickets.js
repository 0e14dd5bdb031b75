// Display data of the demo pages (what ConnectWise would render). It matches the `passdesk demo`
// seed (docs/api.md) but is cosmetic: the extension never sends it; the backend re-reads the ticket.
// label: 'cw' renders the single-page header label as a .cw_CwLabel with a generated id (spa.js).
window.DEMO_TICKETS = {
  1001: { kind: 'service', summary: 'Locked out', company: 'Contoso', contact: 'John Smith', email: 'john.smith@contoso.example' },
  1002: { kind: 'service', summary: 'Password expired', company: 'Contoso', contact: "Mary-Jane O'Neil", email: 'mary-jane.oneil@contoso.example' },
  1003: { kind: 'service', summary: 'Printer asks for a password', company: 'Contoso', contact: '', email: '' },
  1004: { kind: 'service', summary: 'Former employee mailbox', company: 'Contoso', contact: 'Pat Gone', email: 'pat.gone@contoso.example', label: 'cw' },
  1005: { kind: 'service', summary: 'New starter cannot log in', company: 'Contoso', contact: 'Ann Nobody', email: 'ann.nobody@contoso.example' },
  1006: { kind: 'service', summary: 'Admin password rotation', company: 'Contoso', contact: 'Domain Admin', email: 'admin@contoso.example' },
  2001: { kind: 'project', summary: 'Migration: reset pilot user', company: 'Contoso', contact: 'John Smith', email: 'john.smith@contoso.example' },
};
