// Which settings apply when an MSP's policy (storage.managed) and the technician's own values
// (storage.local) meet: extension/lib/settings.js.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanManaged, effectiveSettings, settingsToSave } from '../../../extension/lib/settings.js';

const LOCAL = { backendUrl: 'https://old.example.com', token: 'pdt_local', onpremHosts: ['cw.mine.example'] };
const POLICY = { backendUrl: 'https://passdesk.msp.example/', onpremHosts: ['cw.msp.example'] };

describe('managed settings', () => {
  it('without a policy the local values apply', () => {
    const s = effectiveSettings(LOCAL, {});
    assert.deepEqual([s.backendUrl, s.token, s.onpremHosts], [LOCAL.backendUrl, 'pdt_local', ['cw.mine.example']]);
    assert.deepEqual(s.source, { backendUrl: 'local', onpremHosts: 'local' });
    assert.deepEqual(s.managed, {});
    assert.equal(s.locked, false);
  });

  it('a policy wins over values saved before it; the token stays the technician\'s', () => {
    const s = effectiveSettings(LOCAL, POLICY);
    assert.equal(s.backendUrl, 'https://passdesk.msp.example', 'normalised like the options page does');
    assert.deepEqual(s.onpremHosts, ['cw.msp.example']);
    assert.equal(s.token, 'pdt_local');
    assert.deepEqual(s.source, { backendUrl: 'policy', onpremHosts: 'policy' });
  });

  it('a policy token is ignored: tokens are per technician', () => {
    assert.equal(effectiveSettings({}, { ...POLICY, token: 'pdt_everyone' }).token, '');
  });

  it('only the fields a policy sets are managed', () => {
    const s = effectiveSettings(LOCAL, { backendUrl: 'https://passdesk.msp.example' });
    assert.deepEqual(s.onpremHosts, ['cw.mine.example']);
    assert.deepEqual(s.source, { backendUrl: 'policy', onpremHosts: 'local' });
  });

  it('unlocked: a value saved different from the policy overrides it; saving the policy value again drops the override', () => {
    const saved = settingsToSave({ backendUrl: 'https://own.example.com', token: 't', onpremHosts: ['cw.msp.example'] }, POLICY);
    assert.deepEqual(saved, { token: 't', backendUrl: 'https://own.example.com', overrides: ['backendUrl'] });
    const s = effectiveSettings({ ...LOCAL, ...saved }, POLICY);
    assert.equal(s.backendUrl, 'https://own.example.com');
    assert.deepEqual(s.source, { backendUrl: 'local', onpremHosts: 'policy' });
    const back = settingsToSave({ backendUrl: 'https://passdesk.msp.example', token: 't', onpremHosts: ['cw.msp.example'] }, POLICY);
    assert.deepEqual(back, { token: 't', overrides: [] });
    assert.equal(effectiveSettings({ ...LOCAL, ...saved, ...back }, POLICY).backendUrl, 'https://passdesk.msp.example');
  });

  it('locked: nothing but the token is saved and no stored override counts', () => {
    const locked = { ...POLICY, locked: true };
    assert.deepEqual(settingsToSave({ backendUrl: 'https://own.example.com', token: 't', onpremHosts: [] }, locked), { token: 't', overrides: [] });
    const s = effectiveSettings({ ...LOCAL, backendUrl: 'https://own.example.com', overrides: ['backendUrl', 'onpremHosts'] }, locked);
    assert.equal(s.backendUrl, 'https://passdesk.msp.example');
    assert.deepEqual(s.onpremHosts, ['cw.msp.example']);
    assert.equal(s.locked, true);
  });

  it('ill-typed policy values do not count (Firefox checks no schema); an invalid URL is kept for the client to refuse', () => {
    assert.deepEqual(cleanManaged({ backendUrl: 42, onpremHosts: 'cw.example', locked: 'yes' }), { locked: false });
    assert.deepEqual(cleanManaged({ onpremHosts: ['cw.a.example', 7, ' ', ' cw.b.example '] }).onpremHosts, ['cw.a.example', 'cw.b.example']);
    assert.equal(effectiveSettings({}, { backendUrl: 'http://passdesk.msp.example' }).backendUrl, 'http://passdesk.msp.example');
    assert.deepEqual(cleanManaged(undefined), { locked: false });
  });
});
