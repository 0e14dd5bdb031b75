// An MSP's managed policy, in real Chromium and Firefox: the documents `passdesk extension-policy`
// prints, installed where each browser reads them; the backend URL and on-premise hosts then come from
// the policy (storage.managed), the technician only types their token. Own file: the policy files
// are machine-wide (lib/policy.mjs), present only while these two suites run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIST, PASSDESK_BIN, pageUrls, startDemo } from './lib/demo.mjs';
import { chromiumDriver, firefoxDriver, firefoxDistribution, ONPREM_HOST } from './lib/drivers.mjs';
import { panelFrame, text, waitFor, waitPanelReady } from './lib/panel.mjs';
import { installChromiumPolicy, installFirefoxPolicy } from './lib/policy.mjs';
import { chromiumId } from './tools/manifest.mjs';

const manifest = (browser) => JSON.parse(readFileSync(join(DIST, browser, 'manifest.json'), 'utf8'));

/** What the options page shows for a field: its value, read-only, and the policy note. */
const field = (page, id) => page.evaluate((i) => {
  const el = document.getElementById(i);
  const note = document.getElementById(`${i}-policy`);
  return { value: el.value, readOnly: el.readOnly, note: note.hidden ? null : note.textContent };
}, id);

/** `passdesk extension-policy … --browser <browser>`: the document an MSP would deploy. */
function policyDocument(browser, backend, hosts) {
  return execFileSync(PASSDESK_BIN, ['extension-policy', '--backend', backend, '--locked', '--browser', browser, ...hosts.flatMap((h) => ['--onprem-host', h])], { encoding: 'utf8' });
}

function managedEndToEnd(browserName, driver, install) {
  describe(`PassDesk under a managed policy in ${browserName}`, { timeout: 120_000 }, () => {
    let demo;
    let urls;
    let page;
    let uninstall;
    // Headless Chromium cannot answer the host permission prompt an on-premise host needs on Save
    // (the Save would wait for it), so only Firefox's policy names one.
    const onprem = driver.answersPermissionPrompts ? `http://${ONPREM_HOST}` : null;

    before(async () => {
      demo = await startDemo();
      urls = pageUrls(demo.api);
      uninstall = install(demo.api, onprem ? [onprem] : []);
      await driver.launch();
      page = await driver.newPage();
    });

    after(async () => {
      await driver.close().catch(() => {});
      uninstall?.();
      await demo?.stop();
    });

    if ('extensionId' in driver) {
      it('the unpacked extension has the id its committed key gives (the one the policy names)', () => {
        assert.equal(driver.extensionId, chromiumId(manifest('chrome').key));
      });
    }

    it('the technician types only the token: the backend URL and hosts come from the policy, read-only', async () => {
      await page.goto(urls.classic(1001));
      const frame = await panelFrame(page, 1001);
      await waitFor(frame, () => document.body.dataset.ready === 'error', undefined, { what: 'no token yet' });
      const options = await driver.waitOptionsPage(() => frame.click('#status button'));
      try {
        await setUpWithTokenOnly(options);
      } finally {
        await options.close(); // left open, it would take the next test's "open the options"
      }
      await page.goto(urls.classic(1001));
      const ready = await panelFrame(page, 1001);
      assert.equal(await waitPanelReady(ready), 'true');
      assert.equal(await text(ready, '#company'), 'Contoso Ltd');
    });

    async function setUpWithTokenOnly(options) {
      await waitFor(options, () => document.body.dataset.loaded, undefined, { what: 'options loaded' });
      assert.deepEqual(await field(options, 'backend-url'), { value: demo.api, readOnly: true, note: 'Set by your organisation\'s policy (locked).' });
      const hosts = onprem ? { value: onprem, readOnly: true, note: 'Set by your organisation\'s policy (locked).' } : { value: '', readOnly: false, note: null };
      assert.deepEqual(await field(options, 'onprem'), hosts, 'only what the policy sets is marked');
      assert.equal(await options.evaluate(() => document.getElementById('token').value), '');
      await options.type('#token', demo.token);
      await options.click('#test');
      await waitFor(options, () => /Connected as/.test(document.getElementById('status').textContent), undefined, { what: 'connected' });
      await options.click('#save');
      await waitFor(options, () => document.body.dataset.saved, undefined, { what: 'saved' });
      // The backend's origin is granted (the demo build's loopback host permission; Firefox answers
      // the on-premise host's prompt).
      assert.equal(await text(options, '#status'), 'Saved.');
      const stored = await options.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.local.get(null));
      assert.equal(stored.token, demo.token);
      assert.deepEqual(Object.keys(stored).filter((k) => k === 'backendUrl' || (onprem && k === 'onpremHosts')), [], 'no managed field stored under a locked policy');
    }

    it('a backend URL saved in this browser does not win over a locked policy', async () => {
      await page.goto(urls.classic(1001));
      const frame = await panelFrame(page, 1001);
      await waitPanelReady(frame);
      const options = await driver.waitOptionsPage(() => frame.click('#options'));
      // Port 9 on loopback answers nothing: were this URL used, the panel would say the backend is unreachable.
      await options.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.local.set({ backendUrl: 'http://127.0.0.1:9', overrides: ['backendUrl'] }))
        .finally(() => options.close());
      await page.goto(urls.classic(1001));
      const again = await panelFrame(page, 1001);
      assert.equal(await waitPanelReady(again), 'true', await text(again, '#status'));
      assert.equal(await text(again, '#contact'), 'John Smith');
    });

    it('an on-premise host from the policy gets the panel once its permission is granted', { skip: onprem ? false : 'headless Chromium cannot answer the host permission prompt' }, async () => {
      await page.goto(urls.classic(1001).replace('//127.0.0.1:', `//${ONPREM_HOST}:`));
      const frame = await panelFrame(page, 1001);
      assert.equal(await waitPanelReady(frame), 'true');
      assert.equal(await text(frame, '#company'), 'Contoso Ltd');
    });
  });
}

managedEndToEnd('Chromium', chromiumDriver(), (backend, hosts) => installChromiumPolicy(policyDocument('chrome', backend, hosts)));
managedEndToEnd('Firefox', firefoxDriver(), (backend, hosts) => installFirefoxPolicy(firefoxDistribution(), policyDocument('firefox', backend, hosts)));
