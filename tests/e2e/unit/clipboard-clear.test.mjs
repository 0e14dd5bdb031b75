// Copy in the password box (extension/panel/password-view.js): the clipboard is cleared 30 s later,
// and only if it still holds that password. Fake timers drive the 30 s; a stub navigator.clipboard
// stands in for the system clipboard; a stub DOM holds the panel's password-box elements.
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it, mock } from 'node:test';

const SECRET = 'Harbor7!Quill';

function element(id) {
  const handlers = {};
  return {
    id,
    value: '',
    type: 'password',
    hidden: false,
    textContent: '',
    children: [],
    handlers,
    addEventListener: (ev, fn) => (handlers[ev] = fn),
    setAttribute() {},
    getAttribute: () => '',
    replaceChildren(...c) {
      this.children = c;
    },
    append(...c) {
      this.children.push(...c);
    },
  };
}

const elements = Object.fromEntries(['password', 'eye', 'copy', 'copy-status', 'warnings', 'satisfied', 'uncertain', 'mirror'].map((id) => [id, element(id)]));
globalThis.document = { getElementById: (id) => elements[id], createElement: (tag) => element(tag) };
globalThis.chrome = { i18n: { getMessage: (key, subs) => `${key}${subs ? `:${subs.join(',')}` : ''}` } };

/** The system clipboard: what it holds and every write. `readable: false` = reading is refused. */
const clipboard = {
  text: '',
  readable: true,
  writes: [],
  async writeText(s) {
    this.writes.push(s);
    this.text = s;
  },
  async readText() {
    if (!this.readable) throw new DOMException('Read permission denied.', 'NotAllowedError');
    return this.text;
  },
};
Object.defineProperty(globalThis, 'navigator', { value: { clipboard }, configurable: true });

const settle = () => new Promise((r) => setImmediate(r));
async function copy(password) {
  elements.password.value = password;
  elements.copy.handlers.click();
  await settle();
}
async function after(ms) {
  mock.timers.tick(ms);
  await settle();
  await settle();
}

describe('copy clears the clipboard after 30 s, only if it still holds the password', () => {
  before(async () => {
    const { setupPasswordBox } = await import('../../../extension/panel/password-view.js');
    setupPasswordBox({ getChecker: () => null, onVerdict() {} });
  });
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    Object.assign(clipboard, { text: '', readable: true, writes: [] });
  });
  afterEach(async () => {
    await after(60_000); // no timer of this test left for the next
    mock.timers.reset();
  });

  it('copies, says 30 seconds, and clears at 30 s, not before', async () => {
    await copy(SECRET);
    assert.deepEqual(clipboard.writes, [SECRET]);
    assert.equal(elements['copy-status'].children[0].textContent, 'copied:30');
    await after(29_999);
    assert.equal(clipboard.text, SECRET, 'still there just before 30 s');
    await after(1);
    assert.equal(clipboard.text, '', 'cleared at 30 s');
    assert.deepEqual(clipboard.writes, [SECRET, '']);
  });

  it('leaves the clipboard alone when the technician copied something else meanwhile', async () => {
    await copy(SECRET);
    clipboard.text = 'ticket notes';
    await after(30_000);
    assert.equal(clipboard.text, 'ticket notes');
    assert.deepEqual(clipboard.writes, [SECRET]);
  });

  it('clears anyway when the clipboard may not be read', async () => {
    await copy(SECRET);
    clipboard.readable = false;
    await after(30_000);
    assert.equal(clipboard.text, '');
  });

  it('a second copy restarts the 30 s', async () => {
    await copy(SECRET);
    await after(10_000);
    await copy(SECRET);
    await after(20_000);
    assert.equal(clipboard.text, SECRET, '30 s after the first copy, 20 s after the second: kept');
    await after(10_000);
    assert.equal(clipboard.text, '', '30 s after the second copy: cleared');
    assert.deepEqual(clipboard.writes, [SECRET, SECRET, '']);
  });

  it('copying an empty box writes nothing and schedules nothing', async () => {
    clipboard.text = 'something';
    await copy('');
    await after(30_000);
    assert.deepEqual(clipboard.writes, []);
    assert.equal(clipboard.text, 'something');
  });
});
