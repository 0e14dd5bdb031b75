// ESLint over extension/ and tests/ (`make eslint`, mk/lint.mk). It lives here beside the npm packages
// it imports; run it from the repo root with `--config tests/eslint.config.js`, so its paths are the
// repo's.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["tests/node_modules/", "dist/", "target/"] },
  js.configs.recommended,
  {
    // The extension's pages, background and modules: ES modules in the browser.
    files: ["extension/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: { ...globals.browser, ...globals.webextensions },
    },
  },
  {
    // The content script is injected as a classic script (manifest.json content_scripts).
    files: ["extension/content.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    // Node tests and tools.
    files: ["tests/**/*.{js,mjs}"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    // The browser e2e drivers also hand functions to page.evaluate, which run in the page.
    files: ["tests/e2e/*.test.mjs", "tests/e2e/lib/*.mjs", "tests/e2e/tools/demo-browser.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // ... and in Chromium's extensions page, which has chrome.developerPrivate.
    files: ["tests/e2e/lib/drivers.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.webextensions } },
  },
];
