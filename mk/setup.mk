# Idempotent installs: apt packages, the wasm target, rustfmt + clippy, the pinned wasm-bindgen CLI, npm test tools.
WASM_BINDGEN_VERSION := 0.2.130
APT_PACKAGES := samba samba-ad-dc samba-ad-provision ldb-tools ldap-utils chromium chromium-driver firefox-esr openssl tinyproxy iproute2 python3-aiosmtpd

.PHONY: setup setup-apt setup-rust setup-rust-components setup-node
setup: setup-apt setup-rust setup-node

setup-apt:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  apt-get -o DPkg::Lock::Timeout=900 update && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends $(APT_PACKAGES); \
	else echo "apt packages present"; fi

## rustfmt and clippy for `make lint` (mk/lint.mk).
setup-rust-components:
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy

setup-rust: setup-rust-components
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@# Not --locked: the CLI's lockfile pins a yanked webpki-roots (docs/toolchain.md §5, trap 1).
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

## npm ci from the committed tests/package-lock.json (npm install only without one); the stamp is npm's
## own node_modules/.package-lock.json, so nothing is reinstalled until package.json or the lockfile changes.
NPM_LOCK := $(wildcard tests/package-lock.json)
setup-node: tests/node_modules/.package-lock.json
tests/node_modules/.package-lock.json: tests/package.json $(NPM_LOCK)
	cd tests && $(if $(NPM_LOCK),npm ci,npm install) --no-audit --no-fund
	@touch $@
