// End-to-end in real headless Debian Chromium, driven by playwright-core, with dist/chrome loaded
// unpacked (flags from docs/toolchain.md §4: no sandbox as root, no background networking offline).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DIST } from './lib/demo.mjs';
import { endToEnd, ONPREM_HOST } from './lib/scenarios.mjs';

const ext = join(DIST, 'chrome');
let ctx;
let extensionId;
let profile;

endToEnd('Chromium', {
  keyboardActivatesButtons: true,
  answersPermissionPrompts: false,
  async launch() {
    profile = mkdtempSync(join(tmpdir(), 'passdesk-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
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
  async close() {
    await ctx?.close();
    rmSync(profile, { recursive: true, force: true });
  },
});
