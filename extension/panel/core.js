// The password core (Rust -> wasm, --target web). Every policy rule and generator lives there; the
// panel only displays its verdicts. Loaded as an extension page, so no host-page CSP applies.
import init, { Validator, generatePassword, generatePassphrase } from '../wasm/passdesk_core.js';

let ready = null;
export function loadCore() {
  ready ??= init({ module_or_path: new URL('../wasm/passdesk_core_bg.wasm', import.meta.url) });
  return ready;
}

/** Compiles the policy once; `check(pw)` runs on every keystroke. */
export function makeChecker(policy, account) {
  const validator = new Validator(policy, account ?? {});
  return { check: (pw) => validator.validate(pw), free: () => validator.free?.() };
}

export function generate(mode, options, policy, account) {
  return mode === 'password'
    ? generatePassword(options, policy, account ?? {})
    : generatePassphrase(options, policy, account ?? {});
}
