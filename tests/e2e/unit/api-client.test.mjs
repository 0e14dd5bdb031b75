// The backend client (extension/lib/api-client.js) against real local HTTP servers: cleartext only
// to loopback, and a redirect is never followed (a 307 would re-send the password elsewhere).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BackendClient, isLoopbackHost, normalizeBaseUrl } from '../../../extension/lib/api-client.js';

function listen(handler) {
  const server = createServer(handler);
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

describe('backend URL', () => {
  it('https anywhere; http only for this machine', () => {
    assert.equal(normalizeBaseUrl('https://passdesk.example.com/'), 'https://passdesk.example.com');
    assert.equal(normalizeBaseUrl(' https://passdesk.example.com/pd// '), 'https://passdesk.example.com/pd');
    for (const u of ['http://127.0.0.1:8080', 'http://127.8.9.10', 'http://localhost:1', 'http://[::1]:9', 'http://demo.localhost', 'http://0x7f.1']) {
      assert.doesNotThrow(() => normalizeBaseUrl(u), u);
    }
    for (const u of ['http://passdesk.example.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.nip.io', 'http://localhost.example.com', 'http://[::2]', 'ftp://127.0.0.1']) {
      assert.throws(() => normalizeBaseUrl(u), (e) => e.code === 'BAD_SETTINGS', u);
    }
    assert.throws(() => normalizeBaseUrl('not a url'), (e) => e.code === 'BAD_SETTINGS');
    assert.throws(() => normalizeBaseUrl('https://user:pw@passdesk.example.com'), /user name, password, query or fragment/);
    assert.throws(() => normalizeBaseUrl('https://passdesk.example.com/?x=1'), /query or fragment/);
  });

  it('loopback hosts', () => {
    assert.deepEqual(['127.0.0.1', 'localhost', '[::1]', 'a.localhost', '127.255.255.254'].map(isLoopbackHost), [true, true, true, true, true]);
    assert.deepEqual(['128.0.0.1', 'localhost.com', '::1', 'example.com'].map(isLoopbackHost), [false, false, false, false]);
  });
});

describe('redirects', () => {
  let target;
  let redirector;
  const seen = { target: [], redirector: [] };
  before(async () => {
    target = await listen((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.target.push({ method: req.method, body });
        res.setHeader('content-type', 'application/json');
        res.end('{"result":"success"}');
      });
    });
    redirector = await listen((req, res) => {
      seen.redirector.push(req.method);
      const code = req.url.includes('/reset') ? 307 : 302;
      res.writeHead(code, { Location: `http://127.0.0.1:${target.address().port}${req.url}` });
      res.end();
    });
  });
  after(() => {
    target.close();
    redirector.close();
  });

  it('a 307 on reset is an error and the password is never re-sent', async () => {
    const client = new BackendClient({ backendUrl: `http://127.0.0.1:${redirector.address().port}`, token: 't' });
    await assert.rejects(client.reset('1001', 'service', { password: 'Harbor7!Quill', temporary: true, idempotency_key: 'k', account_id: 'CN=x' }), (e) => e.code === 'BACKEND_REDIRECTED');
    await assert.rejects(client.me(), (e) => e.code === 'BACKEND_REDIRECTED');
    assert.deepEqual(seen.redirector, ['POST', 'GET']);
    assert.deepEqual(seen.target, [], 'the redirect target was never asked');
  });

  it('without a redirect the same client works', async () => {
    const client = new BackendClient({ backendUrl: `http://127.0.0.1:${target.address().port}`, token: 't' });
    assert.deepEqual(await client.reset('1001', 'service', { password: 'Harbor7!Quill', temporary: true, idempotency_key: 'k', account_id: 'CN=x' }), { result: 'success' });
    const sent = JSON.parse(seen.target.at(-1).body);
    assert.equal(sent.password, 'Harbor7!Quill');
    assert.equal(sent.account_id, 'CN=x', 'the account the panel showed is sent');
  });
});

describe('caller verification calls', () => {
  let server;
  const seen = [];
  before(async () => {
    server = await listen((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: body ? JSON.parse(body) : null });
        res.setHeader('content-type', 'application/json');
        if (req.url.endsWith('/code') && JSON.parse(body).code !== '246810') {
          res.statusCode = 422;
          res.end('{"error":{"code":"WRONG_CODE","message":"Wrong code.","attempts_left":4}}');
        } else {
          res.end('{"id":"ab12","status":"sent"}');
        }
      });
    });
  });
  after(() => server.close());
  const client = () => new BackendClient({ backendUrl: `http://127.0.0.1:${server.address().port}`, token: 'tok' });

  it('start, code and status go to the documented paths; the code only in the body', async () => {
    seen.length = 0;
    await client().startVerification('2001', 'project', { method: 'email:otherMailbox:1', account_id: 'CN=x' });
    await client().submitCode('ab12', '246810');
    await client().verification('ab12');
    assert.deepEqual(seen.map((r) => [r.method, r.url, r.body]), [
      ['POST', '/api/v1/tickets/2001/verifications?kind=project', { method: 'email:otherMailbox:1', account_id: 'CN=x' }],
      ['POST', '/api/v1/verifications/ab12/code', { code: '246810' }],
      ['GET', '/api/v1/verifications/ab12', null],
    ]);
    assert.ok(seen.every((r) => r.auth === 'Bearer tok'));
  });

  it('a wrong code is an error carrying attempts_left', async () => {
    await assert.rejects(client().submitCode('ab12', '000000'), (e) => e.code === 'WRONG_CODE' && e.attempts_left === 4 && e.status === 422);
  });

  it('reset and unlock carry verification_id only when there is one', async () => {
    seen.length = 0;
    const pw = { password: 'Harbor7!Quill', temporary: true, idempotency_key: 'k', account_id: 'CN=x' };
    await client().reset('1001', 'service', pw);
    await client().reset('1001', 'service', { ...pw, verification_id: 'ab12' });
    await client().unlock('1002', 'service');
    await client().unlock('1002', 'service', { verification_id: 'ab12' });
    assert.deepEqual(seen.map((r) => r.body.verification_id ?? null), [null, 'ab12', null, 'ab12']);
    assert.equal('verification_id' in seen[0].body, false);
    assert.deepEqual(seen[2].body, {});
  });

  it('a verification id that is not one never reaches a URL', async () => {
    seen.length = 0;
    for (const bad of ['../tickets/1001/reset', 'a/b', '', 'x?y', null]) {
      await assert.rejects(client().verification(bad), (e) => e.code === 'BAD_REQUEST', String(bad));
      await assert.rejects(client().submitCode(bad, '123456'), (e) => e.code === 'BAD_REQUEST', String(bad));
    }
    await assert.rejects(client().reset('1001', 'service', { password: 'p', temporary: true, idempotency_key: 'k', account_id: 'a', verification_id: '../x' }), (e) => e.code === 'BAD_REQUEST');
    assert.deepEqual(seen, [], 'nothing was sent');
  });
});
