// Browser-neutral helpers over a Playwright or Puppeteer page: both expose page.frames(),
// frame.evaluate(fn, arg), frame.click(selector) and frame.type(selector, text).

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn(arg) in the frame until it returns a truthy value; returns that value. */
export async function waitFor(frame, fn, arg, { timeout = 15_000, what = fn.toString() } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await frame.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await sleep(50);
  }
}

/** Polls an async node-side check until truthy. */
export async function poll(check, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The PassDesk panel iframe for `ticket` (Firefox over BiDi reports stale frame URLs, so ask it). */
export async function panelFrame(page, ticket, { timeout = 20_000 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      try {
        const href = await f.evaluate(() => location.href);
        if (/\/panel\/panel\.html\?/.test(href) && new URL(href).searchParams.get('ticket') === String(ticket)) return f;
      } catch {
        /* detached or not ready */
      }
    }
    if (Date.now() > end) throw new Error(`no PassDesk panel frame for ticket ${ticket}`);
    await sleep(100);
  }
}

/** Waits for the panel to say it is interactive (ready) and returns its state object. */
export function waitPanelReady(frame) {
  return waitFor(frame, () => document.body.dataset.ready, undefined, { what: 'panel ready' });
}

export function text(frame, selector) {
  return frame.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
}

export function rules(frame, listId) {
  return frame.evaluate((id) => [...document.querySelectorAll(`#${id} li`)].map((li) => li.dataset.rule), listId);
}

/** Empties the password box the way a technician would (select all + Delete), then types. */
export async function typePassword(frame, password) {
  await frame.evaluate(() => {
    const i = document.getElementById('password');
    i.focus();
    i.select();
  });
  await frame.type('#password', password);
}

/** What the panel shows, for a failure message: which sections are open, ready state, status. */
export function panelState(frame) {
  return frame.evaluate(() => JSON.stringify({
    ready: document.body.dataset.ready,
    resetArea: !document.getElementById('reset-area').hidden,
    resetSection: !document.getElementById('reset-section').hidden,
    generateSection: !document.getElementById('generate-section').hidden,
    status: document.getElementById('status').textContent,
  })).catch((e) => `unreadable: ${e}`);
}

/** Opens the generator (its toggle is a real click; a section already open stays open). */
export async function openGenerateSection(frame) {
  if (await frame.evaluate(() => document.getElementById('generate-section').hidden)) await frame.click('#generate-toggle');
  await waitFor(frame, () => !document.getElementById('generate-section').hidden, undefined, { what: 'generator open' }).catch(async (e) => {
    throw new Error(`${e.message}; panel: ${await panelState(frame)}`, { cause: e });
  });
}

export async function openResetSection(frame) {
  if (await frame.evaluate(() => document.getElementById('reset-section').hidden)) await frame.click('#reset-toggle');
  await waitFor(frame, () => !document.getElementById('reset-section').hidden, undefined, { what: 'reset section open' });
}

/** Host page view: panels on screen and the time from the page's DOMContentLoaded to panel ready. */
export function hostPanels(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return [...document.querySelectorAll('[data-passdesk-panel]')].map((b) => ({
      ticket: b.dataset.ticket,
      kind: b.dataset.kind,
      state: b.dataset.state,
      readyMs: b.dataset.readyAt ? Number(b.dataset.readyAt) - nav.domContentLoadedEventStart : null,
    }));
  });
}

/** Every PassDesk panel frame on the page with its place: depth 1 = a child of the top frame. */
export async function panelFrames(page) {
  const out = [];
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    try {
      const info = await f.evaluate(() => ({ href: location.href, depth: location.ancestorOrigins?.length ?? -1 }));
      if (/\/panel\/panel\.html\?/.test(info.href)) out.push({ frame: f, ...info });
    } catch {
      /* detached or not ready */
    }
  }
  return out;
}

/**
 * The nonce of the real, claimed panel for `ticket`, read from storage.session by `extDoc`, an
 * extension document (web pages and content scripts cannot read it).
 */
export function stolenNonce(extDoc, ticket) {
  return extDoc.evaluate(async (tk) => {
    const api = globalThis.browser ?? globalThis.chrome;
    const table = (await api.storage.session.get('panelBindings')).panelBindings ?? {};
    return Object.entries(table).find(([, r]) => r.ticket === tk && r.claim)?.[0] ?? null;
  }, String(ticket));
}

/** Sends a panel message from `extDoc` exactly as panel.js does (its own ancestorOrigins); returns the reply. */
export function sendAsPanel(extDoc, type, payload) {
  return extDoc.evaluate(async ({ type, payload }) => {
    const api = globalThis.browser ?? globalThis.chrome;
    return api.runtime.sendMessage({ type, ...payload, ancestors: location.ancestorOrigins ? [...location.ancestorOrigins] : null });
  }, { type, payload });
}

/** Waits until the panel document refused itself; returns what it shows. */
export async function refusedPanel(frame) {
  await waitFor(frame, () => document.body.dataset.ready === 'error' && document.body.dataset.refused, undefined, { what: 'panel refused' });
  return frame.evaluate(() => ({
    reason: document.body.dataset.refused,
    status: document.getElementById('status').textContent,
    contextHidden: document.getElementById('context').hidden,
    resetHidden: document.getElementById('reset-area').hidden,
    company: document.getElementById('company').textContent,
    label: document.getElementById('ticket-label').textContent,
  }));
}
