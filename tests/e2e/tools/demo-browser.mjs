// The browser a newcomer tries `passdesk demo` in (make demo prints this command):
//   node tests/e2e/tools/demo-browser.mjs <chromium|firefox> <API URL> [--check]
// A throwaway profile (deleted when the browser closes) with the demo flavour (dist/demo) loaded, through
// the same drivers as the e2e (tests/e2e/lib/drivers.mjs). It opens demo ticket #1001, follows the
// panel's "Open PassDesk options" and types the API URL there; the person pastes the token (printed by
// `passdesk demo`, never passed here) and saves. Only this local process, over the browser's automation
// connection, types into the options; no web page can set the extension up.
// --check: headless, prints what the options page then shows as JSON and exits (tests/e2e/demo-browser.test.mjs).
import { normalizeBaseUrl } from '../../../extension/lib/api-client.js';
import { pageUrls } from '../lib/demo.mjs';
import { chromiumDriver, firefoxDriver } from '../lib/drivers.mjs';
import { panelFrame, waitFor } from '../lib/panel.mjs';

const [browser, rawApi, flag] = process.argv.slice(2);
if (!['chromium', 'firefox'].includes(browser) || !rawApi || (flag && flag !== '--check')) {
  console.error('usage: demo-browser.mjs <chromium|firefox> <API URL, e.g. http://127.0.0.1:8080> [--check]');
  process.exit(2);
}
const api = normalizeBaseUrl(rawApi);
const check = flag === '--check';
if (!check && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('demo-browser: no display (DISPLAY / WAYLAND_DISPLAY); run it in a desktop session.');
  process.exit(2);
}
const driver = browser === 'chromium' ? chromiumDriver({ headless: check }) : firefoxDriver({ headless: check, answerPrompts: check });
try {
  await driver.launch();
  const page = await driver.newPage();
  await page.goto(pageUrls(api).classic(1001));
  const frame = await panelFrame(page, 1001);
  const state = await waitFor(frame, () => ['error', 'true'].includes(document.body.dataset.ready) && document.body.dataset.ready, undefined, { what: 'the panel' });
  if (state === 'error') {
    const options = await driver.waitOptionsPage(() => frame.click('#status button'));
    await waitFor(options, () => document.body.dataset.loaded, undefined, { what: 'the options page' });
    await options.evaluate((url) => {
      const field = document.getElementById('backend-url');
      if (!field.readOnly) field.value = url; // a policy's value stays
      document.getElementById('token').focus();
    }, api);
    await options.bringToFront();
    if (check) {
      console.log(JSON.stringify(await options.evaluate(() => ({ backendUrl: document.getElementById('backend-url').value, token: document.getElementById('token').value, focused: document.activeElement.id }))));
    }
  }
  if (!check) {
    console.log(`${browser}: the options page has ${api}; paste the technician token from \`passdesk demo\`, Test connection, Save.`);
    console.log(`Then pick a ticket at ${api}/demo/. Close the browser to end (its profile is deleted).`);
    await driver.waitClosed();
  }
} finally {
  await driver.close().catch(() => {});
}
