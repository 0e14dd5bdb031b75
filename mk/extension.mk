# The browser extension: dist/ for Chrome and Firefox, end-to-end tests in both (owned by the extension work).
.PHONY: extension test-extension
extension: wasm
	@echo "TODO: extension build"
test-extension: extension
	@echo "TODO: extension e2e"
