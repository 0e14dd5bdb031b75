// The reset outcome's words (extension/panel/result-view.js): the account's name in the success
// message (the backend names it as a string or as the account object; without it the message stays
// "Password reset."), and a DC refusal's likely causes from the real locale file.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import './i18n-stub.mjs';
import { accountName, noteText, refusalLines } from '../../../extension/panel/result-view.js';

it('names the account from a string or an account object, else nothing', () => {
  assert.equal(accountName('jsmith'), 'jsmith');
  assert.equal(accountName({ sam_account_name: 'jsmith', upn: 'john.smith@contoso.example' }), 'jsmith');
  assert.equal(accountName({ upn: 'john.smith@contoso.example' }), 'john.smith@contoso.example');
  for (const none of [undefined, null, '', '  ', {}, 42]) assert.equal(accountName(none), null, JSON.stringify(none));
});

it("a DC refusal lists its likely causes in our words, the other profile's rules under their line", () => {
  const lines = refusalLines({
    likely_causes: ['OTHER_DC_PROFILE', 'RECENTLY_USED', 'DIRECTORY_FILTER'],
    likely_rules: [{ rule: 'AD_COMPLEXITY', message: 'Needs 3 of the 5 kinds' }],
  });
  assert.equal(lines.length, 4, JSON.stringify(lines));
  assert.match(lines[0], /other DC software/);
  assert.equal(lines[1], '– Needs 3 of the 5 kinds');
  assert.match(lines[2], /password history/);
  assert.match(lines[3], /minimum password age/);
  for (const line of lines) assert.ok(!/^cause[A-Z]/.test(line), line);
  // An answer without causes (an older backend) still says something useful; unknown causes are skipped.
  assert.match(refusalLines({ likely_rules: [] })[0], /meets every rule PassDesk can check/);
  assert.match(refusalLines({ likely_causes: ['SOMETHING_NEW'] })[0], /meets every rule PassDesk can check/);
});

it('the note line says posted, queued or failed in our words; anything else counts as queued', () => {
  assert.match(noteText('posted'), /^Note posted/);
  assert.match(noteText('failed'), /could not be posted.*add it to the ticket by hand/);
  assert.match(noteText('queued'), /queued/i);
  assert.equal(noteText(undefined), noteText('queued'));
  for (const s of ['posted', 'failed', 'queued']) assert.ok(!/^note[A-Z]/.test(noteText(s)), s);
});
