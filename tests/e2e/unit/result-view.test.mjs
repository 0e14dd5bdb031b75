// The reset account's name in the success message (extension/panel/result-view.js): the backend names
// it as a string or as the account object; without it the message stays "Password reset.".
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { accountName } from '../../../extension/panel/result-view.js';

it('names the account from a string or an account object, else nothing', () => {
  assert.equal(accountName('jsmith'), 'jsmith');
  assert.equal(accountName({ sam_account_name: 'jsmith', upn: 'john.smith@contoso.example' }), 'jsmith');
  assert.equal(accountName({ upn: 'john.smith@contoso.example' }), 'john.smith@contoso.example');
  for (const none of [undefined, null, '', '  ', {}, 42]) assert.equal(accountName(none), null, JSON.stringify(none));
});
