// End-to-end in real headless Firefox ESR, driven by puppeteer-core@24 over WebDriver BiDi, with
// dist/firefox installed as a temporary add-on (docs/toolchain.md §4).
import puppeteer from 'puppeteer-core';
import { join } from 'node:path';
import { DIST } from './lib/demo.mjs';
import { endToEnd, ONPREM_HOST } from './lib/scenarios.mjs';
import { poll } from './lib/panel.mjs';

let browser;

endToEnd('Firefox', {
  keyboardActivatesButtons: false,
  answersPermissionPrompts: true,
  async launch() {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      // Answers the optional-host-permission prompt of the options page with "Allow", as a
      // technician would (headless Firefox cannot show the doorhanger).
      // network.dns.localDomains resolves the stand-in on-premise host name to loopback.
      extraPrefsFirefox: { 'extensions.webextOptionalPermissionPrompts': false, 'network.dns.localDomains': ONPREM_HOST },
    });
    await browser.installExtension(join(DIST, 'firefox'));
  },
  async newPage() {
    return (await browser.pages())[0] ?? browser.newPage();
  },
  async waitPage(trigger, urlRe) {
    // BiDi reports a new tab's URL as about:blank for a while: ask each new page where it is.
    const known = new Set(await browser.pages());
    await trigger();
    return poll(async () => {
      for (const p of await browser.pages()) {
        if (known.has(p)) continue;
        if (urlRe.test(await p.evaluate(() => location.href).catch(() => ''))) return p;
      }
      return null;
    }, `a new page at ${urlRe}`, 15_000);
  },
  async waitOptionsPage(trigger) {
    // BiDi may not navigate to moz-extension:// itself; the extension opens its options tab.
    const target = browser.waitForTarget((t) => t.type() === 'page' && t.url() !== 'about:blank' && /options\/options\.html/.test(t.url()), { timeout: 15_000 })
      .catch(() => null);
    const created = new Promise((r) => browser.once('targetcreated', r));
    await trigger();
    const t = (await Promise.race([target, created])) ?? (await created);
    const p = await t.page();
    await p.waitForSelector('#backend-url');
    return p;
  },
  async close() {
    await browser?.close();
  },
});
