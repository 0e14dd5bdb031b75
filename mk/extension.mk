# The browser extension: dist/ for Chrome and Firefox, end-to-end tests in both (owned by the extension work).
# One manifest (repo root) + extension/ + the core wasm (--target web) = one unpacked extension per
# browser, zipped with web-ext build (no zip binary needed) and linted with web-ext lint (0 errors).
# Two flavours: dist/{chrome,firefox} (release, zipped) and dist/demo/{chrome,firefox}, which also runs
# on the loopback pages of `passdesk demo` (tests/e2e/tools/manifest.mjs); the e2e suite loads the demo one.
# Icons: rasterised from extension/icons/icon.svg (tests/e2e/tools/icons.mjs). The version: the workspace's.
# The Chrome zip is the store's: the manifest without `key` (the store signs with its own key).
.PHONY: extension extension-lint test-extension
EXT_BROWSERS := chrome firefox
# snippets/: the JS half of Validator.validate (crate/js/verdict.js), imported by the glue.
EXT_WASM     := target/wasm-pkg/passdesk_core.js target/wasm-pkg/passdesk_core_bg.wasm target/wasm-pkg/snippets
PASSDESK_DEBUG_BIN := target/debug/passdesk
EXT_MANIFEST := node tests/e2e/tools/manifest.mjs
EXT_ICONS    := node tests/e2e/tools/icons.mjs extension/icons/icon.svg
EXT_ICON_SIZES := 16 32 48 128

extension: wasm setup-node
	@for b in $(EXT_BROWSERS); do \
	  for f in release demo; do \
	    d=dist/$$b; [ $$f = demo ] && d=dist/demo/$$b; \
	    rm -rf $$d && mkdir -p $$d/wasm && \
	    cp -R extension/. $$d/ && cp manifest.json $$d/ && cp -R $(EXT_WASM) $$d/wasm/ && \
	    $(EXT_ICONS) $$d/icons $(EXT_ICON_SIZES) && \
	    $(EXT_MANIFEST) $$d/manifest.json $$b $$f || exit 1; \
	  done; \
	  rm -f dist/passdesk-$$b.zip; rm -rf dist/store && cp -R dist/$$b dist/store || exit 1; \
	  if [ $$b = chrome ]; then $(EXT_MANIFEST) --store dist/store/manifest.json || exit 1; fi; \
	  web-ext build --source-dir dist/store --artifacts-dir dist --filename passdesk-$$b.zip --overwrite-dest --no-input >/dev/null || exit 1; \
	  rm -rf dist/store; \
	done
	@$(EXT_MANIFEST) --check dist/chrome/manifest.json dist/demo/chrome/manifest.json
	@$(MAKE) --no-print-directory extension-lint
	@for b in $(EXT_BROWSERS); do echo "dist/passdesk-$$b.zip: $$(stat -c %s dist/passdesk-$$b.zip) bytes"; done

## web-ext lint must report 0 errors (warnings are printed, not fatal).
extension-lint:
	@web-ext lint --source-dir dist/firefox --no-input --output json > dist/lint.json || true
	node tests/e2e/tools/lint-summary.mjs dist/lint.json

## Unit tests of the extension's pure modules (node), then end-to-end in real headless Chromium
## (playwright-core) and Firefox ESR (puppeteer-core over BiDi) against the real backend:
## `passdesk demo` started by the tests themselves, the demo flavour of the extension loaded;
## then both browsers again under an MSP's managed policy (root: it writes /etc and the Firefox install).
test-extension: extension setup-apt
	node --test --test-reporter=spec tests/e2e/unit/*.test.mjs
	cargo build -p passdesk-server --bin passdesk
	PASSDESK_BIN=$(CURDIR)/$(PASSDESK_DEBUG_BIN) PASSDESK_DIST=$(CURDIR)/dist/demo \
	  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/chromium.test.mjs tests/e2e/firefox.test.mjs tests/e2e/demo-browser.test.mjs
	@# Own run: it writes machine-wide policy files (tests/e2e/lib/policy.mjs), present only meanwhile.
	PASSDESK_BIN=$(CURDIR)/$(PASSDESK_DEBUG_BIN) PASSDESK_DIST=$(CURDIR)/dist/demo \
	  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/managed.test.mjs
