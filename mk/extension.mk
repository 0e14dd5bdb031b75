# The browser extension: dist/ for Chrome and Firefox, end-to-end tests in both (owned by the extension work).
# One manifest (repo root) + extension/ + the core wasm (--target web) = one unpacked extension per
# browser, zipped with web-ext build (no zip binary needed) and linted with web-ext lint (0 errors).
.PHONY: extension extension-lint test-extension
EXT_BROWSERS := chrome firefox
# snippets/: the JS half of Validator.validate (crate/js/verdict.js), imported by the glue.
EXT_WASM     := target/wasm-pkg/passdesk_core.js target/wasm-pkg/passdesk_core_bg.wasm target/wasm-pkg/snippets
PASSDESK_DEBUG_BIN := target/debug/passdesk

# Chrome runs background.service_worker and reports background.scripts (Firefox's key) as an error in
# developer mode; its copy of the one manifest drops that key.
export CHROME_MANIFEST := const f='dist/chrome/manifest.json',fs=require('fs'),m=JSON.parse(fs.readFileSync(f,'utf8'));delete m.background.scripts;fs.writeFileSync(f,JSON.stringify(m,null,2)+'\n')

extension: wasm setup-node
	@for b in $(EXT_BROWSERS); do \
	  rm -rf dist/$$b dist/passdesk-$$b.zip && mkdir -p dist/$$b/wasm && \
	  cp -R extension/. dist/$$b/ && cp manifest.json dist/$$b/ && cp -R $(EXT_WASM) dist/$$b/wasm/ && \
	  if [ $$b = chrome ]; then node -e "$$CHROME_MANIFEST"; fi && \
	  web-ext build --source-dir dist/$$b --artifacts-dir dist --filename passdesk-$$b.zip --overwrite-dest --no-input >/dev/null || exit 1; \
	done
	@$(MAKE) --no-print-directory extension-lint
	@for b in $(EXT_BROWSERS); do echo "dist/passdesk-$$b.zip: $$(stat -c %s dist/passdesk-$$b.zip) bytes"; done

## web-ext lint must report 0 errors (warnings are printed, not fatal).
extension-lint:
	@web-ext lint --source-dir dist/firefox --no-input --output json > dist/lint.json || true
	node tests/e2e/tools/lint-summary.mjs dist/lint.json

## End-to-end in real headless Chromium (playwright-core) and Firefox ESR (puppeteer-core over BiDi)
## against the real backend: `passdesk demo` started by the tests themselves.
test-extension: extension setup-apt
	cargo build -p passdesk-server --bin passdesk
	PASSDESK_BIN=$(CURDIR)/$(PASSDESK_DEBUG_BIN) PASSDESK_DIST=$(CURDIR)/dist \
	  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/chromium.test.mjs tests/e2e/firefox.test.mjs
