// The words of the panel's "Verify caller" (extension/panel/verify-view.js) from the real
// _locales/en/messages.json (a missing key would show as the key itself), and when a verification
// still counts for a reset.
import assert from 'node:assert/strict';
import './i18n-stub.mjs';
import { before, describe, it } from 'node:test';

let view;
before(async () => {
  view = await import('../../../extension/panel/verify-view.js');
});

describe('verify-view words', () => {
  it('methods as listed and inside the "verified by" sentence; a push names itself', () => {
    assert.equal(view.methodText('email', 'j***@example.net'), 'E-mail code to j***@example.net');
    assert.equal(view.methodText('sms', '+1 ***-***-0123'), 'SMS code to +1 ***-***-0123');
    assert.equal(view.methodText('email', 'j***@example.net', { inSentence: true }), 'e-mail code to j***@example.net');
    assert.equal(view.methodText('duo_push', 'Duo push to jsmith', { inSentence: true }), 'Duo push to jsmith');
  });

  it('every failure the backend documents has plain words of ours', () => {
    assert.equal(view.verifyErrorText({ code: 'WRONG_CODE', attempts_left: 3 }), 'Wrong code. 3 attempts left.');
    assert.equal(view.verifyErrorText({ code: 'VERIFICATION_RATE_LIMITED', retry_after: 120 }), 'Too many codes were sent for this account. Try again in 120 seconds.');
    for (const code of ['VERIFICATION_LOCKED', 'VERIFICATION_EXPIRED', 'VERIFICATION_CLOSED', 'VERIFICATION_PROVIDER_FAILED', 'VERIFICATION_METHOD_UNKNOWN', 'VERIFICATION_PROVIDER_RATE_LIMITED', 'BAD_CODE']) {
      const words = view.verifyErrorText({ code, message: 'backend words' });
      assert.ok(words && words !== 'backend words' && !/^verify[A-Z]/.test(words), `${code}: ${words}`);
    }
    assert.match(view.verifyErrorText({ code: 'VERIFICATION_LOCKED' }), /Too many wrong codes/);
    assert.match(view.verifyErrorText({ code: 'VERIFICATION_EXPIRED' }), /expired/);
    assert.equal(view.verifyErrorText({ code: 'SOMETHING_NEW', message: 'backend words' }), 'backend words');
  });
});

describe('a verification counts while fresh and successful', () => {
  const now = Date.parse('2026-12-03T07:00:00Z');
  it('verified or approved before verified_until', () => {
    for (const status of ['verified', 'approved']) {
      assert.equal(view.isFresh({ status, verified_until: '2026-12-03T07:10:00Z' }, now), true, status);
      assert.equal(view.isFresh({ status, verified_until: '2026-12-03T06:59:59Z' }, now), false, `${status} past`);
    }
  });
  it('nothing else', () => {
    for (const status of ['sent', 'pending', 'locked', 'expired', 'denied', 'timeout', 'failed']) {
      assert.equal(view.isFresh({ status, verified_until: '2026-12-03T07:10:00Z' }, now), false, status);
    }
    assert.equal(view.isFresh({ status: 'verified' }, now), false, 'no verified_until');
    assert.equal(view.isFresh(null, now), false);
  });
});
