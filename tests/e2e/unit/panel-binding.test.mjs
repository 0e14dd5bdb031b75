// The panel-binding rules (extension/lib/panel-binding.js) with the senders and frames each browser
// reports: Chrome (no webNavigation frame for extension documents) and Firefox (parent frame + document).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorize, forgetTab, issue, MAX_BINDINGS, Refusal, UNCLAIMED_TTL_MS } from '../../../extension/lib/panel-binding.js';

const ORIGIN = 'https://na.myconnectwise.net';
const TOP_DOC = 'doc-top';
const contentScript = { id: 'ext', tab: { id: 7 }, frameId: 0, documentId: TOP_DOC, origin: ORIGIN, url: `${ORIGIN}/v4_6_release/ConnectWise.aspx` };
const panel = { id: 'ext', tab: { id: 7 }, frameId: 12, documentId: 'doc-panel', url: 'chrome-extension://x/panel/panel.html?ticket=1001&kind=service' };
const topFrame = { frameId: 0, parentFrameId: -1, documentId: TOP_DOC };
const chrome = { panelFrame: null, topFrame, now: 1000 };
const firefox = { panelFrame: { frameId: 12, parentFrameId: 0, parentDocumentId: TOP_DOC }, topFrame, now: 1000 };

function issued(now = 1000) {
  const out = issue({}, contentScript, { ticket: '1001', kind: 'service' }, { nonce: 'n1', now });
  assert.ok(out.table, JSON.stringify(out));
  return out.table;
}
const ask = (table, sender, ancestors, frames, nonce = 'n1') => authorize(table, sender, { nonce, ancestors }, frames);

describe('panel binding', () => {
  it('the content script frame gets a nonce bound to its tab, frame, document, origin, ticket and kind', () => {
    assert.deepEqual(issued().n1, { tabId: 7, frameId: 0, documentId: TOP_DOC, origin: ORIGIN, ticket: '1001', kind: 'service', issuedAt: 1000, claim: null });
  });

  it('only a top frame, only a ticket id and a known kind', () => {
    assert.equal(issue({}, { ...contentScript, frameId: 3 }, { ticket: '1001', kind: 'service' }, { nonce: 'n', now: 0 }).error, 'not_top_frame');
    assert.equal(issue({}, { ...contentScript, tab: undefined }, { ticket: '1001', kind: 'service' }, { nonce: 'n', now: 0 }).error, 'not_top_frame');
    for (const [ticket, kind] of [['10x1', 'service'], ['', 'service'], ['1'.repeat(13), 'service'], ['1001', 'change'], [1001, 'service']]) {
      assert.equal(issue({}, contentScript, { ticket, kind }, { nonce: 'n', now: 0 }).error, 'bad_ticket', `${ticket}/${kind}`);
    }
  });

  for (const [browser, frames] of [['Chrome', chrome], ['Firefox', firefox]]) {
    it(`${browser}: the panel our content script framed is served, and claims the nonce`, () => {
      const out = ask(issued(), panel, [ORIGIN], frames);
      assert.equal(out.refusal, undefined);
      assert.equal(out.record.ticket, '1001');
      assert.deepEqual(out.table.n1.claim, { frameId: 12, documentId: 'doc-panel' });
      assert.equal(ask(out.table, panel, [ORIGIN], frames).refusal, undefined, 'the same document again');
    });

    it(`${browser}: another document with the same nonce is refused once it was claimed`, () => {
      const { table } = ask(issued(), panel, [ORIGIN], frames);
      assert.equal(ask(table, { ...panel, documentId: 'doc-other', frameId: 13 }, [ORIGIN], { ...frames, panelFrame: frames.panelFrame && { ...frames.panelFrame, frameId: 13 } }).refusal, Refusal.CLAIMED);
    });

    it(`${browser}: a popup or a tab (top-level panel) is refused`, () => {
      assert.equal(ask(issued(), { ...panel, frameId: 0 }, [], frames).refusal, Refusal.TOP_LEVEL);
      assert.equal(ask(issued(), { ...panel, tab: undefined, frameId: undefined }, [], frames).refusal, Refusal.TOP_LEVEL);
    });

    it(`${browser}: no nonce, a wrong one, an expired one, another tab's`, () => {
      assert.equal(ask(issued(), panel, [ORIGIN], frames, null).refusal, Refusal.NO_BINDING);
      assert.equal(ask(issued(), panel, [ORIGIN], frames, 'n2').refusal, Refusal.NO_BINDING);
      assert.equal(ask(issued(), panel, [ORIGIN], frames, '__proto__').refusal, Refusal.NO_BINDING);
      assert.equal(ask(issued(), panel, [ORIGIN], { ...frames, now: 1000 + UNCLAIMED_TTL_MS + 1 }).refusal, Refusal.NO_BINDING);
      assert.equal(ask(issued(), { ...panel, tab: { id: 8 } }, [ORIGIN], frames).refusal, Refusal.OTHER_TAB);
    });

    it(`${browser}: a panel nested in a foreign frame is refused`, () => {
      const nested = frames.panelFrame ? { ...frames, panelFrame: { frameId: 12, parentFrameId: 5, parentDocumentId: 'doc-pod' } } : frames;
      assert.equal(ask(issued(), panel, ['https://pod.example', ORIGIN], nested).refusal, Refusal.PARENT);
      // Framed directly by another site in this tab (its top frame holds another origin).
      assert.equal(ask(issued(), panel, ['https://evil.example'], frames).refusal, Refusal.PARENT);
      assert.equal(ask(issued(), panel, ['null'], frames).refusal, Refusal.PARENT);
    });

    it(`${browser}: the top frame moved on to another document`, () => {
      const moved = { ...frames, topFrame: { ...topFrame, documentId: 'doc-next' }, panelFrame: frames.panelFrame && { ...frames.panelFrame, parentDocumentId: 'doc-next' } };
      assert.equal(ask(issued(), panel, [ORIGIN], moved).refusal, Refusal.PARENT_DOCUMENT);
      assert.equal(ask(issued(), panel, [ORIGIN], { ...frames, topFrame: null }).refusal, Refusal.PARENT_DOCUMENT);
    });
  }

  it('Firefox: a same-origin frame between the top and the panel is caught by the parent frame id', () => {
    const viaSameOrigin = { ...firefox, panelFrame: { frameId: 12, parentFrameId: 4, parentDocumentId: 'doc-today' } };
    assert.equal(ask(issued(), panel, [ORIGIN], viaSameOrigin).refusal, Refusal.PARENT);
  });

  it('Chrome: without ancestorOrigins nothing tells the parent: refused', () => {
    assert.equal(ask(issued(), panel, null, chrome).refusal, Refusal.PARENT);
  });

  it('Firefox without ancestorOrigins (older releases): the reported parent frame decides', () => {
    assert.equal(ask(issued(), panel, null, firefox).refusal, undefined);
    const nested = { ...firefox, panelFrame: { frameId: 12, parentFrameId: 5, parentDocumentId: 'doc-pod' } };
    assert.equal(ask(issued(), panel, null, nested).refusal, Refusal.PARENT);
  });

  it('a new panel in the same frame replaces the old binding; a closed tab forgets its bindings', () => {
    const first = issued();
    const second = issue(first, contentScript, { ticket: '1002', kind: 'service' }, { nonce: 'n2', now: 2000 }).table;
    assert.deepEqual(Object.keys(second), ['n2']);
    assert.equal(ask(second, panel, [ORIGIN], chrome).refusal, Refusal.NO_BINDING);
    const other = issue(second, { ...contentScript, tab: { id: 9 } }, { ticket: '1003', kind: 'project' }, { nonce: 'n3', now: 2000 }).table;
    assert.deepEqual(Object.keys(forgetTab(other, 7)), ['n3']);
  });

  it('keeps at most MAX_BINDINGS, the newest', () => {
    let table = {};
    for (let i = 0; i < MAX_BINDINGS + 5; i++) table = issue(table, { ...contentScript, tab: { id: i } }, { ticket: '1', kind: 'service' }, { nonce: `n${i}`, now: i }).table;
    assert.equal(Object.keys(table).length, MAX_BINDINGS);
    assert.ok(!('n0' in table) && `n${MAX_BINDINGS + 4}` in table);
  });
});
