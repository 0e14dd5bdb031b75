# passdesk-server: backend + CLI tests, including the real Samba AD DC (owned by the server work).
.PHONY: build-server test-server bench-server bench-agents
build-server:
	cargo build --release -p passdesk-server
test-server:
	cargo test -p passdesk-server

## Site agent figures: the agent hop's added latency (criterion), and 10 000 idle agents on one backend;
## a context and a reset against the real Samba DC beside their irreducible round trips (root).
bench-server:
	cargo bench -p passdesk-server --bench agent_hop
	cargo bench -p passdesk-server --bench ldap_context
bench-agents:
	ulimit -n $$(ulimit -Hn) && cargo bench -p passdesk-server --bench agent_fleet
