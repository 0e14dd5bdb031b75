// node:test suite for the BUILT package (target/wasm-pkg after `make wasm`, wasm-opt included), used
// exactly as the extension uses it: the ES-module glue, `initSync`, the exported class and functions.
// Every test vector of docs/policy.md §8 in crate/tests/vectors.json runs through it.
//   node --test tests/wasm/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = join(root, 'target', 'wasm-pkg');
const core = await import(join(pkg, 'passdesk_core.js'));
core.initSync({ module: readFileSync(join(pkg, 'passdesk_core_bg.wasm')) });
const { Validator, validate, generatePassword, generatePassphrase } = core;

const doc = JSON.parse(readFileSync(join(root, 'crate', 'tests', 'vectors.json'), 'utf8'));

function vectorPassword(v) {
  return v.password + (v.repeat ? v.repeat.text.repeat(v.repeat.times) : '');
}

// The vectors' Entra expectations use the short test global list of docs/policy.md §8, which the JS API does
// not take; those tenants get the same terms as custom terms instead (the built-in list is larger).
function vectorPolicy(v) {
  const p = structuredClone(doc.policies[v.policy]);
  if (p.kind === 'entra' && p.global_list) {
    p.custom_terms = [...p.custom_terms, ...doc.global_terms.filter((t) => t.length >= 4)];
    p.global_list = false;
  }
  return p;
}

test('the package exports the documented API', () => {
  assert.equal(typeof Validator, 'function');
  for (const f of [validate, generatePassword, generatePassphrase]) assert.equal(typeof f, 'function');
  const dts = readFileSync(join(pkg, 'passdesk_core.d.ts'), 'utf8');
  for (const decl of ['export type Policy', 'export interface Verdict', 'export interface Account',
    'constructor(policy: Policy, account?: Account | null)', 'validate(password: string): Verdict',
    'export function generatePassword(options?: PasswordOptions | null']) {
    assert.ok(dts.includes(decl), `.d.ts lacks ${decl}`);
  }
});

test('every test vector gives the expected verdict through the wasm build', () => {
  const failures = [];
  for (const v of doc.vectors) {
    const policy = vectorPolicy(v);
    const pw = vectorPassword(v);
    const verdict = new Validator(policy, v.account).validate(pw);
    const rules = verdict.violations.map((x) => x.rule);
    if (verdict.ok !== v.ok || JSON.stringify(rules) !== JSON.stringify(v.rules)) {
      failures.push(`#${v.id} ${v.policy}: want ${v.ok} ${v.rules}, got ${verdict.ok} ${rules}`);
      continue;
    }
    for (const [rule, span] of Object.entries(v.span ?? {})) {
      const got = verdict.violations.find((x) => x.rule === rule).span;
      if (JSON.stringify(got) !== JSON.stringify(span)) failures.push(`#${v.id} ${rule}: span ${got} != ${span}`);
    }
    if (v.uncertain === true && typeof verdict.uncertain !== 'string') failures.push(`#${v.id}: uncertain missing`);
    if (v.uncertain === false && verdict.uncertain !== null) failures.push(`#${v.id}: uncertain should be null`);
  }
  assert.deepEqual(failures, []);
});

test('one Validator serves every keystroke; the one-shot function agrees', () => {
  const policy = doc.policies.AD7;
  const account = { sam_account_name: 'jsmith', display_name: 'John Smith' };
  const v = new Validator(policy, account);
  const typed = 'xJSMITHx9!Q';
  for (let i = 0; i <= typed.length; i++) {
    const p = typed.slice(0, i);
    assert.deepEqual(v.validate(p), validate(p, policy, account));
  }
  const verdict = v.validate('xJSMITHx9!');
  const sam = verdict.violations.find((x) => x.rule === 'AD_SAM_NAME');
  assert.equal('xJSMITHx9!'.slice(...sam.span), 'JSMITH', 'spans index JS strings directly');
  // The checklist array is frozen and reused while it does not change, rebuilt when it does.
  const a = v.validate('Abcdef1x');
  const b = v.validate('Abcdef1xy');
  assert.equal(a.satisfied, b.satisfied);
  assert.ok(Object.isFrozen(a.satisfied) && Object.isFrozen(a.satisfied[0]));
  assert.throws(() => { 'use strict'; a.satisfied.push({}); });
  const c = v.validate('abc');
  assert.notEqual(c.satisfied, a.satisfied);
  assert.deepEqual(c.satisfied, validate('abc', policy, account).satisfied);
  assert.deepEqual(v.validate('Abcdef1x').satisfied, a.satisfied);
  v.free();
});

test('violation objects are reused across keystrokes and stay right after many distinct ones', () => {
  const policy = doc.policies.AD7;
  const account = { sam_account_name: 'jsmith', display_name: 'John Smith' };
  const v = new Validator(policy, account);
  const a = v.validate('abc');
  const b = v.validate('abcd');
  const c = v.validate('abc');
  const complexity = (x) => x.violations.find((w) => w.rule === 'AD_COMPLEXITY');
  assert.equal(complexity(a), complexity(b), 'an unchanged violation is the same frozen object');
  assert.equal(a.violations[0], c.violations[0]);
  assert.notEqual(a.violations[0], b.violations[0], 'a changed length message is a new object');
  assert.ok(Object.isFrozen(a.violations[0]));
  // Each prefix puts the name at a new place: a new span, so a new object every time, far more
  // than the validator keeps (it starts over); every verdict must still equal the one-shot one.
  for (let i = 0; i < 600; i++) {
    const p = 'x'.repeat(i % 300) + 'jsmith' + (i >= 300 ? 'Q1!' : '');
    const got = v.validate(p);
    assert.deepEqual(got, validate(p, policy, account), `prefix ${i}`);
    const sam = got.violations.find((w) => w.rule === 'AD_SAM_NAME');
    assert.equal(p.slice(...sam.span), 'jsmith');
    if (sam.span) assert.ok(Object.isFrozen(sam.span));
  }
  v.free();
});

test('the NIST blocklist compares NFKC forms (the JS engine normalises in the browser build)', () => {
  const policy = { kind: 'nist', min_length: 8, blocklist: ['Password1234', 'ﬁnancedept'] };
  for (const refused of ['password1234', 'ＰＡＳＳＷＯＲＤ１２３４', 'financedept']) {
    assert.deepEqual(validate(refused, policy, null).violations.map((v) => v.rule), ['NIST_BLOCKLIST'], refused);
  }
  assert.ok(validate('password12345', policy, null).ok);
});

test('absent values are null, exactly like the CLI JSON', () => {
  const verdict = validate('abc', doc.policies.AD7, null);
  assert.deepEqual(Object.keys(verdict).sort(), ['ok', 'satisfied', 'uncertain', 'violations']);
  assert.equal(verdict.uncertain, null);
  const complexity = verdict.violations.find((x) => x.rule === 'AD_COMPLEXITY');
  assert.ok(complexity.span === null || Array.isArray(complexity.span));
  assert.ok(verdict.violations.every((x) => 'span' in x));
});

test('errors are Error objects with a name and a variant', () => {
  const cases = [
    [() => new Validator({ kind: 'active_directory', min_length: 1000 }), 'PolicyError', 'OutOfRange'],
    [() => new Validator({ kind: 'active_directory', min_len: 7 }), 'InputError', 'InvalidPolicy'],
    [() => new Validator({ kind: 'entra', custom_term: ['contoso'] }), 'InputError', 'InvalidPolicy'],
    [() => new Validator({ min_length: 7 }), 'InputError', 'InvalidPolicy'],
    [() => new Validator('active_directory'), 'InputError', 'InvalidPolicy'],
    [() => new Validator(doc.policies.AD7, { sam: 'x' }), 'InputError', 'InvalidAccount'],
    [() => validate(undefined, doc.policies.AD7), 'InputError', 'InvalidPassword'],
    [() => generatePassword({ length: 7 }, doc.policies.AD7), 'GenerateError', 'InvalidLength'],
    [() => generatePassphrase({ words: 4 }, doc.policies.AD7), 'GenerateError', 'Infeasible'],
  ];
  for (const [fn, name, variant] of cases) {
    assert.throws(fn, (e) => e instanceof Error && e.name === name && e.variant === variant && e.message.length > 0,
      `${name}/${variant}`);
  }
});

test('generated secrets are compliant, fresh and report their entropy', () => {
  const account = { sam_account_name: 'jsmith', display_name: 'John Smith', given_name: 'John', surname: 'Smith' };
  for (const policy of [doc.policies.AD14, doc.policies.ENTRA]) {
    const seen = new Set();
    for (let i = 0; i < 20; i++) {
      const g = generatePassword({ length: 16, lookalikes: false }, policy, account);
      assert.deepEqual(Object.keys(g).sort(), ['entropy_bits', 'password']);
      assert.equal(g.password.length, 16);
      assert.ok(!/[Il1|O0o]/.test(g.password));
      assert.ok(validate(g.password, policy, account).ok);
      seen.add(g.password);
      const ph = generatePassphrase({ words: 4, separator: ' ', capitalize: true, numbers: true }, policy, account);
      assert.ok(validate(ph.password, policy, account).ok, 'passphrase passes');
      assert.ok(ph.entropy_bits > 40);
    }
    assert.equal(seen.size, 20);
  }
});
