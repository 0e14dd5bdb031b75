// The Generate form: Passphrase (word size, count, separator, numbers, capitals) or Complex (length
// box + slider kept in sync, numbers, symbols, look-alikes). The core guarantees compliance.
import { t } from '../lib/browser.js';

const $ = (id) => document.getElementById(id);

export function setupGenerator({ generate, onGenerated }) {
  const modeRadios = [...document.querySelectorAll('input[name="mode"]')];
  const mode = () => modeRadios.find((r) => r.checked)?.value ?? 'passphrase';
  for (const r of modeRadios) {
    r.addEventListener('change', () => {
      $('opts-passphrase').hidden = mode() !== 'passphrase';
      $('opts-password').hidden = mode() !== 'password';
    });
  }

  const length = $('length');
  const slider = $('length-slider');
  length.addEventListener('input', () => {
    const n = Number(length.value);
    if (Number.isFinite(n)) slider.value = String(Math.min(Math.max(n, Number(slider.min)), Number(slider.max)));
  });
  slider.addEventListener('input', () => {
    length.value = slider.value;
  });

  $('generate').addEventListener('click', () => {
    const entropy = $('entropy');
    try {
      const options = mode() === 'password'
        ? { length: Number(length.value), numbers: $('pw-numbers').checked, symbols: $('pw-symbols').checked, lookalikes: !$('pw-lookalikes').checked }
        : { words: Number($('word-count').value), word_size: $('word-size').value, separator: $('separator').value,
            numbers: $('pp-numbers').checked, capitalize: $('pp-capitalize').checked };
      const out = generate(mode(), options);
      onGenerated(out.password);
      entropy.textContent = t('entropy', [String(Math.round(out.entropy_bits))]);
      entropy.dataset.bits = String(out.entropy_bits);
    } catch (err) {
      entropy.textContent = t('generateFailed', [String(err?.message ?? err)]);
      delete entropy.dataset.bits;
    }
  });
}
