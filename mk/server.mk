# passdesk-server: backend + CLI tests, including the real Samba AD DC (owned by the server work).
.PHONY: build-server test-server
build-server:
	cargo build --release -p passdesk-server
test-server:
	cargo test -p passdesk-server
