// The two browser drivers the e2e suites run on (tests/e2e/*.test.mjs): headless Debian Chromium
// driven by playwright-core with <dist>/chrome loaded unpacked (flags from docs/toolchain.md §4: no sandbox
// as root, no background networking offline), and headless Firefox ESR driven by puppeteer-core@24
// over WebDriver BiDi with <dist>/firefox installed as a temporary add-on (docs/toolchain.md §4).
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { DIST } from './demo.mjs';
import { poll } from './panel.mjs';

/** A name the browsers resolve to 127.0.0.1 (see the drivers), standing in for an on-premise server. */
export const ONPREM_HOST = 'cw.onprem.test';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

/** Where this Firefox reads policies.json: the distribution folder of its installation. */
export const firefoxDistribution = () => join(dirname(realpathSync(FIREFOX)), 'distribution');

/** `headless: false` for a person to use it (tests/e2e/tools/demo-browser.mjs). */
export function chromiumDriver({ headless = true } = {}) {
  const ext = join(DIST, 'chrome');
  let ctx;
  let extensionId;
  let profile;
  return {
    keyboardActivatesButtons: true,
    answersPermissionPrompts: false,
    get extensionId() {
      return extensionId;
    },
    async launch() {
      profile = mkdtempSync(join(tmpdir(), 'passdesk-chromium-'));
      ctx = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless,
        args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, '--no-sandbox', '--disable-gpu', '--disable-quic',
          '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
          `--host-resolver-rules=MAP ${ONPREM_HOST} 127.0.0.1`],
      });
      const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
      extensionId = new URL(sw.url()).host;
      // Developer mode makes Chrome record the extension's manifest and runtime errors; reload the
      // extension so its manifest is checked with it on (extensionErrors() reads them at the end).
      const settings = await ctx.newPage();
      await settings.goto('chrome://extensions');
      const reloaded = ctx.waitForEvent('serviceworker');
      await settings.evaluate(async (id) => {
        await chrome.developerPrivate.updateProfileConfiguration({ inDeveloperMode: true });
        await chrome.developerPrivate.reload(id, { failQuietly: false });
      }, extensionId);
      await reloaded;
      await settings.close();
    },
    async extensionErrors() {
      const settings = await ctx.newPage();
      await settings.goto('chrome://extensions');
      const info = await settings.evaluate((id) => chrome.developerPrivate.getExtensionInfo(id), extensionId);
      await settings.close();
      return [...info.manifestErrors, ...info.runtimeErrors].map((e) => `${e.source ?? ''} ${e.message}`);
    },
    async newPage() {
      return ctx.pages()[0] ?? ctx.newPage();
    },
    async waitPage(trigger) {
      const [p] = await Promise.all([ctx.waitForEvent('page'), trigger()]);
      await p.waitForLoadState('domcontentloaded');
      return p;
    },
    async waitOptionsPage(trigger) {
      const [p] = await Promise.all([ctx.waitForEvent('page'), trigger()]);
      return p;
    },
    waitClosed() {
      return ctx.waitForEvent('close', { timeout: 0 });
    },
    async close() {
      await ctx?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** `answerPrompts: false` leaves the permission prompts to a person (tests/e2e/tools/demo-browser.mjs). */
export function firefoxDriver({ headless = true, answerPrompts = true } = {}) {
  let browser;
  return {
    keyboardActivatesButtons: false,
    answersPermissionPrompts: answerPrompts,
    async launch() {
      browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: FIREFOX,
        headless,
        // Answers the optional-host-permission prompt of the options page with "Allow", as a
        // technician would (headless Firefox cannot show the doorhanger).
        // network.dns.localDomains resolves the stand-in on-premise host name to loopback.
        extraPrefsFirefox: { 'extensions.webextOptionalPermissionPrompts': !answerPrompts, 'network.dns.localDomains': ONPREM_HOST },
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
    waitClosed() {
      return new Promise((r) => (browser.connected ? browser.once('disconnected', r) : r()));
    },
    async close() {
      await browser?.close();
    },
  };
}
