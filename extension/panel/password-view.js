// The password box: live verdict on every keystroke (warnings with the offending part highlighted,
// checklist of met rules), eye toggle, copy with delayed clipboard clearing.
import { t } from '../lib/browser.js';

const $ = (id) => document.getElementById(id);
const CLIPBOARD_CLEAR_MS = 30_000;

export function setupPasswordBox({ getChecker, onVerdict }) {
  const input = $('password');
  let verdict = null;

  function update() {
    const checker = getChecker();
    verdict = checker ? checker.check(input.value) : null;
    renderVerdict(input.value, verdict, input.type === 'text');
    onVerdict(verdict);
  }
  input.addEventListener('input', update);

  $('eye').addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    const eye = $('eye');
    eye.setAttribute('aria-pressed', String(show));
    eye.setAttribute('aria-label', t(show ? 'hidePassword' : 'showPassword'));
    eye.title = eye.getAttribute('aria-label');
    eye.textContent = t(show ? 'hide' : 'show');
    renderVerdict(input.value, verdict, show);
  });

  $('copy').addEventListener('click', () => copyPassword(input.value));

  return {
    set(value) {
      input.value = value;
      update();
    },
    clear() {
      input.value = '';
      update();
    },
    value: () => input.value,
    revalidate: update,
  };
}

function renderVerdict(pw, verdict, revealed) {
  const warnings = $('warnings');
  const satisfied = $('satisfied');
  const violations = pw && verdict ? verdict.violations : [];
  warnings.replaceChildren(
    ...violations.map((v) => {
      const li = document.createElement('li');
      li.dataset.rule = v.rule;
      li.textContent = v.message;
      if (v.span && revealed) {
        // Spans are UTF-16 offsets, i.e. JS string indices.
        const mark = document.createElement('mark');
        mark.textContent = pw.slice(v.span[0], v.span[1]);
        li.append(' — ', mark);
      } else if (v.span) {
        li.append(` ${t('atPosition', [String(v.span[0] + 1), String(v.span[1])])}`);
      }
      return li;
    }),
  );
  satisfied.replaceChildren(
    ...(pw && verdict ? verdict.satisfied : []).map((s) => {
      const li = document.createElement('li');
      li.dataset.rule = s.rule;
      li.textContent = s.message;
      return li;
    }),
  );
  const unc = $('uncertain');
  unc.hidden = !(pw && verdict?.uncertain);
  unc.textContent = verdict?.uncertain ?? '';
  renderMirror(pw, violations, revealed);
}

/** One cell per UTF-16 unit: bullets while hidden, characters when revealed; failing spans marked. */
function renderMirror(pw, violations, revealed) {
  const bad = new Uint8Array(pw.length);
  for (const v of violations) if (v.span) bad.fill(1, v.span[0], Math.min(v.span[1], pw.length));
  const mirror = $('mirror');
  mirror.replaceChildren();
  let i = 0;
  while (i < pw.length) {
    let j = i;
    while (j < pw.length && bad[j] === bad[i]) j++;
    const seg = document.createElement('span');
    seg.textContent = revealed ? pw.slice(i, j) : '•'.repeat(j - i);
    if (bad[i]) seg.className = 'bad';
    mirror.append(seg);
    i = j;
  }
}

let clearTimer = null;
async function copyPassword(pw) {
  if (!pw) return;
  // Its own line: the reset outcome (and its Done button) stays on screen while copying.
  const status = $('copy-status');
  try {
    await navigator.clipboard.writeText(pw);
  } catch {
    status.replaceChildren(Object.assign(document.createElement('p'), { className: 'err', textContent: t('copyFailed') }));
    return;
  }
  status.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: t('copied', [String(CLIPBOARD_CLEAR_MS / 1000)]) }));
  clearTimeout(clearTimer);
  clearTimer = setTimeout(async () => {
    // Clear only if it still holds the password; when we may not read the clipboard, clear anyway
    // (losing a later copy is better than leaving a password on the clipboard).
    let still = true;
    try {
      still = (await navigator.clipboard.readText()) === pw;
    } catch {
      /* reading not permitted */
    }
    if (still) await navigator.clipboard.writeText('').catch(() => {});
  }, CLIPBOARD_CLEAR_MS);
}
