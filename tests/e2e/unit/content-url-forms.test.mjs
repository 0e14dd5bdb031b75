// The content script's URL forms (extension/content.js) against a table of ConnectWise URLs, on a page
// with no ticket header label, so the URL is what identifies the ticket. content.js is a classic
// script (no exports): it is evaluated as is in a vm context with a stub `chrome` and a stub DOM that
// holds only what each case puts there (the breadcrumb, the SPA's ticket screen).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('../../../extension/content.js', import.meta.url), 'utf8');
const O = 'https://na.myconnectwise.net/v4_6_release';

function fakeElement(tag) {
  return {
    tag,
    dataset: {},
    style: { setProperty() {} },
    attributes: {},
    isConnected: true,
    setAttribute(k, v) {
      this.attributes[k] = v;
    },
    addEventListener() {},
    appendChild() {},
    closest: () => null,
    remove() {},
  };
}

/**
 * Runs content.js on `href`; returns the panel it mounted as {ticket, kind}, or null.
 * `crumb`: the breadcrumb text; `ticketScreen`: whether the SPA's ticket screen is rendered.
 */
function mountedOn(href, { crumb = null, ticketScreen = false } = {}) {
  const mounted = [];
  const asked = [];
  const crumbEl = crumb === null ? null : { textContent: crumb, closest: () => null };
  const ticketPod = { closest: () => null };
  const document = {
    documentElement: {},
    body: { prepend: (box) => mounted.push(box) },
    createElement: fakeElement,
    // No header label anywhere; only the SPA's ticket-screen hint when asked for.
    querySelectorAll: (sel) => (ticketScreen && sel.includes('.pod_ticketSummary') ? [ticketPod] : []),
    querySelector: (sel) => (sel === '.navigationEntry' ? crumbEl : null),
  };
  const chrome = {
    runtime: {
      getURL: (p) => `chrome-extension://passdesk/${p}`,
      sendMessage: (msg) => {
        asked.push(msg);
        return Promise.resolve({ ok: true, data: 'n' });
      },
    },
    i18n: { getMessage: () => 'PassDesk' },
  };
  const url = new URL(href);
  const context = {
    chrome,
    document,
    location: { href: url.href, pathname: url.pathname, search: url.search },
    window: { addEventListener() {} },
    performance: { now: () => 0 },
    requestAnimationFrame: () => 0,
    MutationObserver: class {
      observe() {}
    },
    URL,
    URLSearchParams,
  };
  vm.runInNewContext(SOURCE, context, { filename: 'content.js' });
  assert.ok(mounted.length <= 1, `one panel at most on ${href}`);
  if (!mounted.length) {
    assert.deepEqual(asked, [], 'no binding asked for without a panel');
    return null;
  }
  const [box] = mounted;
  // The binding the background is asked for names the same ticket.
  assert.deepEqual(asked.map((m) => [m.type, m.ticket, m.kind]), [['passdesk:panel-nonce', box.dataset.ticket, box.dataset.kind]]);
  return { ticket: box.dataset.ticket, kind: box.dataset.kind };
}

const service = (ticket) => ({ ticket, kind: 'service' });
const project = (ticket) => ({ ticket, kind: 'project' });

describe('content script URL forms (no header label on the page)', () => {
  const cases = [
    // fv_sr100_request.rails?service_recid=
    [`${O}/services/system_io/Service/fv_sr100_request.rails?service_recid=1001`, {}, service('1001')],
    [`${O}/services/system_io/Service/fv_sr100_request.rails?companyName=Contoso&service_recid=1001`, {}, service('1001')],
    [`${O}/services/system_io/Service/FV_SR100_REQUEST.rails?SERVICE_RECID=1001`, {}, service('1001')],
    [`${O}/services/system_io/Service/fv_sr100_request.rails?xservice_recid=1001`, {}, null],
    [`${O}/services/system_io/Service/fv_sr100_request.rails?service_recid=abc`, {}, null],
    [`${O}/services/system_io/Service/other.rails?service_recid=1001`, {}, null],
    // openrecord.rails?recordType=ServiceFv|ProjectTicketFv&recid= (either order, other params between)
    [`${O}/services/system_io/router/openrecord.rails?recordType=ServiceFv&recid=1001`, {}, service('1001')],
    [`${O}/services/system_io/router/openrecord.rails?recid=1001&recordType=ServiceFv`, {}, service('1001')],
    [`${O}/services/system_io/router/openrecord.rails?recordType=ServiceFv&parentrecid=5&recid=1001`, {}, service('1001')],
    [`${O}/services/system_io/router/openrecord.rails?recordType=ProjectTicketFv&recid=2001`, {}, project('2001')],
    [`${O}/services/system_io/router/openrecord.rails?recordType=ProjectTicketFV&recid=2001`, {}, project('2001')],
    [`${O}/services/system_io/router/openrecord.rails?recordType=CompanyFv&recid=19`, {}, null],
    [`${O}/services/system_io/router/openrecord.rails?recordType=ServiceFv`, {}, null],
    // ConnectWise.aspx?routeTo=ServiceFV|ProjectTicketFV&recid=, trusted only with the ticket screen rendered
    [`${O}/ConnectWise.aspx?routeTo=ServiceFV&recid=1001`, { ticketScreen: true }, service('1001')],
    [`${O}/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=1001`, { ticketScreen: true }, service('1001')],
    [`${O}/ConnectWise.aspx?routeTo=ProjectTicketFV&recid=2001`, { ticketScreen: true }, project('2001')],
    [`${O}/ConnectWise.aspx?routeTo=ServiceFV&recid=1001`, { ticketScreen: false }, null],
    [`${O}/ConnectWise.aspx?routeTo=CompanyFV&recid=19`, { ticketScreen: true }, null],
    [`${O}/ConnectWise.aspx?fullscreen=false&locale=en_US`, { ticketScreen: true }, null],
    // The breadcrumb turns a service-style link to a project ticket into a project ticket.
    [`${O}/services/system_io/Service/fv_sr100_request.rails?service_recid=2001`, { crumb: 'Projects > Project Board > Project Ticket' }, project('2001')],
    [`${O}/services/system_io/router/openrecord.rails?recordType=ServiceFv&recid=2001`, { crumb: 'Projects > Project Board > Project Ticket' }, project('2001')],
    [`${O}/services/system_io/Service/fv_sr100_request.rails?service_recid=1001`, { crumb: 'Service Board > Service Ticket' }, service('1001')],
    // Not a ticket page at all.
    ['https://na.myconnectwise.net/v4_6_release/services/system_io/Service/ServiceBoard.rails', {}, null],
  ];
  for (const [href, page, want] of cases) {
    const what = [page.ticketScreen ? 'ticket screen' : '', page.crumb ? `crumb "${page.crumb}"` : ''].filter(Boolean).join(', ');
    it(`${href.slice(O.length)}${what ? ` (${what})` : ''} -> ${want ? `${want.kind} #${want.ticket}` : 'no panel'}`, () => {
      assert.deepEqual(mountedOn(href, page), want);
    });
  }
});
