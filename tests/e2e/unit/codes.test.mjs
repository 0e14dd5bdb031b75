// Every code the backend can answer the panel has words of the panel (issue #13). The codes come from
// extension/lib/codes.json, which server/tests/api_contract.rs keeps equal to the server's enums
// (PASSDESK_WRITE_CODES=1 cargo test -p passdesk-server --test api_contract regenerates it); the words
// from the panel's own text functions over the real _locales/en/messages.json. A code without words
// would show the backend's English message (or a locale key): this test fails instead.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import './i18n-stub.mjs';

const CODES = JSON.parse(readFileSync(new URL('../../../extension/lib/codes.json', import.meta.url), 'utf8'));
const BACKEND_WORDS = 'the backend’s own message';

/** Error codes answered only on /agent/v1/* (passdesk agent join, the agents' WebSocket): no panel calls those. */
const NOT_THE_PANELS = ['ENROLMENT_CODE_UNKNOWN', 'ENROLMENT_CODE_USED', 'ENROLMENT_CODE_EXPIRED', 'AGENT_UNAUTHORIZED'];

let context;
let result;
let verify;
before(async () => {
  context = await import('../../../extension/panel/context-view.js');
  result = await import('../../../extension/panel/result-view.js');
  verify = await import('../../../extension/panel/verify-view.js');
});

/** Words of ours: not the backend's message, not a locale key, no placeholder left unfilled. */
function assertOurWords(words, what) {
  assert.equal(typeof words, 'string', what);
  assert.ok(words.trim().length > 10, `${what}: ${JSON.stringify(words)}`);
  assert.ok(!words.includes(BACKEND_WORDS), `${what} has no words of the panel: it shows the backend's message`);
  // t() answers the key itself for a key missing from messages.json.
  assert.ok(/\s/.test(words.trim()), `${what} shows the locale key ${words}: the key is missing from messages.json`);
  assert.ok(!/\$[A-Z0-9_]+\$|undefined/.test(words), `${what}: ${words}`);
}

describe('codes.json', () => {
  it('has the vocabularies the panel needs, each non-empty and without duplicates', () => {
    for (const name of ['error_codes', 'problem_codes', 'likely_causes', 'verification_statuses']) {
      assert.ok(Array.isArray(CODES[name]) && CODES[name].length, name);
      assert.equal(new Set(CODES[name]).size, CODES[name].length, name);
    }
  });
  it('still has every code this test leaves out', () => {
    for (const code of NOT_THE_PANELS) assert.ok(CODES.error_codes.includes(code), `${code} is gone: drop it from NOT_THE_PANELS`);
  });
});

describe('every code has words of the panel', () => {
  it('every error code (reset, unlock, context, verification)', () => {
    for (const code of CODES.error_codes.filter((c) => !NOT_THE_PANELS.includes(c))) {
      const err = { code, message: BACKEND_WORDS, directory_code: 'LDAP 19 (0000052D)', attempts_left: 2, retry_after: 60 };
      // The reset / unlock / load error words, or the verification ones (which fall back to the former).
      const words = [result.errorText(err), verify.verifyErrorText(err)].find((w) => !w.includes(BACKEND_WORDS)) ?? BACKEND_WORDS;
      assertOurWords(words, code);
    }
  });

  it('every problem code of a context', () => {
    for (const code of CODES.problem_codes) assertOurWords(context.problemText({ code, message: BACKEND_WORDS }), code);
  });

  it('every likely cause of a directory refusal', () => {
    for (const cause of CODES.likely_causes) {
      const lines = result.refusalLines({ likely_causes: [cause], likely_rules: [] });
      assert.equal(lines.length, 1, cause);
      assert.notEqual(lines[0], result.refusalLines({ likely_causes: ['NOT_A_CAUSE'] })[0], `${cause} gets only the no-cause words`);
      assertOurWords(lines[0], cause);
    }
  });

  it('the tables name no code the backend does not have', () => {
    const known = (list) => (code) => assert.ok(list.includes(code), `${code} is not a code of the server (codes.json)`);
    Object.keys(context.PROBLEM_KEYS).forEach(known(CODES.problem_codes));
    Object.keys(result.CAUSE_KEYS).forEach(known(CODES.likely_causes));
    Object.keys(result.ERROR_KEYS).forEach(known(CODES.error_codes));
    // BAD_CODE is the background worker's own (a code that is not 6 digits never leaves the browser).
    Object.keys(verify.ERROR_KEYS).filter((c) => c !== 'BAD_CODE').forEach(known(CODES.error_codes));
  });
});
