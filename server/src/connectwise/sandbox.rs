//! An in-memory ConnectWise Manage that speaks the documented REST subset PassDesk uses.
//!
//! Used by `passdesk demo` (mounted under `/cw/v4_6_release/apis/3.0`) and as the simulator in tests, so
//! the real `ConnectWiseClient` is what talks to it. Like ConnectWise it checks Basic auth and the
//! `clientId` header, answers the documented error bodies, honours `fields=`, the `conditions`
//! PassDesk sends (`identifier="…"`), `page` / `pageSize` with `Link` headers, and can be told to
//! throttle (429 + `Retry-After`), fail (5xx) or go down, to exercise retries and the note outbox.
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use serde_json::Value;

use super::TicketKind;

pub mod conditions;
mod handlers;
pub mod records;
mod seed;

pub use records::{CommItem, CommType, SandboxCompany, SandboxContact, SandboxTicket};

/// The API member the sandbox accepts.
#[derive(Clone)]
pub struct SandboxCredentials {
    /// Login company id.
    pub company_id: String,
    /// Public key.
    pub public_key: String,
    /// Private key.
    pub private_key: String,
    /// Required `clientId` header value.
    pub client_id: String,
}

impl fmt::Debug for SandboxCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxCredentials")
            .field("company_id", &self.company_id)
            .field("public_key", &self.public_key)
            .field("private_key", &"<redacted>")
            .field("client_id", &self.client_id)
            .finish()
    }
}

impl SandboxCredentials {
    /// Fresh random keys for company `company_id` (what `passdesk demo` can use at each start).
    pub fn generate(company_id: &str) -> Self {
        use rand::Rng as _;
        let mut rng = rand::rng();
        let mut hex = |n: usize| {
            (0..n)
                .map(|_| format!("{:02x}", rng.random::<u8>()))
                .collect::<String>()
        };
        let g = hex(16);
        let client_id = format!(
            "{}-{}-{}-{}-{}",
            &g[..8],
            &g[8..12],
            &g[12..16],
            &g[16..20],
            &g[20..]
        );
        Self {
            company_id: company_id.into(),
            public_key: hex(8),
            private_key: hex(16),
            client_id,
        }
    }

    /// The `Authorization` header value a client must send (`passdesk demo` prints it).
    pub fn authorization(&self) -> String {
        let raw = format!(
            "{}+{}:{}",
            self.company_id, self.public_key, self.private_key
        );
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

/// A failure to inject into the next request(s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After: retry_after_secs` and the documented 429 body.
    RateLimited {
        /// Seconds in `Retry-After`.
        retry_after_secs: u64,
    },
    /// 429 with this exact `Retry-After` value (an HTTP-date, or a number no sane server sends).
    RateLimitedRaw {
        /// The header value, verbatim.
        retry_after: &'static str,
    },
    /// That 5xx status with a documented error body.
    ServerError(u16),
    /// 503 Service Unavailable.
    Unavailable,
    /// A refusal that no retry cures (401 bad keys, 403 a role without Add on notes, 400), with
    /// ConnectWise's error body.
    ClientError(u16),
}

/// An in-memory ConnectWise; clones share state.
#[derive(Clone)]
pub struct Sandbox {
    state: Arc<Mutex<State>>,
}

pub(crate) struct State {
    pub(crate) creds: SandboxCredentials,
    pub(crate) companies: BTreeMap<u64, SandboxCompany>,
    pub(crate) contacts: BTreeMap<u64, SandboxContact>,
    pub(crate) tickets: BTreeMap<(u8, u64), SandboxTicket>,
    /// (kind, ticket id, note JSON) in posting order.
    pub(crate) notes: Vec<(TicketKind, u64, Value)>,
    pub(crate) faults: VecDeque<Fault>,
    pub(crate) down: bool,
    pub(crate) requests: usize,
    pub(crate) next_note_id: u64,
    /// Headers of the last request, `Authorization` left out.
    pub(crate) last_headers: Vec<(String, String)>,
    /// Every request as it arrived: method, path and when (tests time retries from these).
    pub(crate) arrivals: Vec<Arrival>,
}

/// One request the sandbox received, answered or refused.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path below the API root, e.g. `/v4_6_release/apis/3.0/service/tickets/1001/notes`.
    pub path: String,
    /// When it arrived.
    pub at: std::time::Instant,
}

/// Map key for a ticket kind (`TicketKind` has no order of its own).
pub(crate) fn kind_key(kind: TicketKind) -> u8 {
    match kind {
        TicketKind::Service => 0,
        TicketKind::Project => 1,
    }
}

impl Sandbox {
    /// An empty sandbox accepting `creds`.
    pub fn new(creds: SandboxCredentials) -> Self {
        let state = State {
            creds,
            companies: BTreeMap::new(),
            contacts: BTreeMap::new(),
            tickets: BTreeMap::new(),
            notes: Vec::new(),
            faults: VecDeque::new(),
            down: false,
            requests: 0,
            next_note_id: 5001,
            last_headers: Vec::new(),
            arrivals: Vec::new(),
        };
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// The demo data of `docs/api.md` (Contoso, its contacts, tickets 1001–1006 and project ticket 2001).
    pub fn seeded_demo(creds: SandboxCredentials) -> Self {
        let s = Self::new(creds);
        seed::demo(&s);
        s
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        crate::sync::lock(&self.state)
    }

    /// The credentials this sandbox accepts.
    pub fn credentials(&self) -> SandboxCredentials {
        self.lock().creds.clone()
    }

    /// Adds or replaces a company.
    pub fn add_company(&self, id: u64, identifier: &str, name: &str) {
        let c = SandboxCompany {
            id,
            identifier: identifier.into(),
            name: name.into(),
        };
        self.lock().companies.insert(id, c);
    }

    /// Adds or replaces a contact.
    pub fn add_contact(&self, contact: SandboxContact) {
        self.lock().contacts.insert(contact.id, contact);
    }

    /// Adds or replaces a ticket.
    pub fn add_ticket(&self, ticket: SandboxTicket) {
        self.lock()
            .tickets
            .insert((kind_key(ticket.kind), ticket.id), ticket);
    }

    /// Deletes a ticket: later requests for it get 404, as after a deletion in ConnectWise.
    pub fn remove_ticket(&self, kind: TicketKind, id: u64) {
        self.lock().tickets.remove(&(kind_key(kind), id));
    }

    /// The notes posted to a ticket, as stored (ConnectWise JSON), oldest first.
    pub fn notes(&self, kind: TicketKind, ticket_id: u64) -> Vec<Value> {
        let st = self.lock();
        st.notes
            .iter()
            .filter(|(k, t, _)| *k == kind && *t == ticket_id)
            .map(|(_, _, v)| v.clone())
            .collect()
    }

    /// The next `n` requests fail with `fault` (before auth is checked).
    pub fn fail_next(&self, n: usize, fault: Fault) {
        self.lock().faults.extend(std::iter::repeat_n(fault, n));
    }

    /// While down, every request gets 503.
    pub fn set_down(&self, down: bool) {
        self.lock().down = down;
    }

    /// Requests received so far (including refused ones).
    pub fn request_count(&self) -> usize {
        self.lock().requests
    }

    /// Headers of the most recent request (names lower-case), without `Authorization`: lets tests
    /// check `clientId`, the pinned `Accept` and `Content-Type` without handling the secret.
    /// Every request so far, oldest first.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.lock().arrivals.clone()
    }

    pub fn last_headers(&self) -> Vec<(String, String)> {
        self.lock().last_headers.clone()
    }

    /// The API routes, relative to the API root (`/service/tickets/{id}`, `/company/companies`, …).
    pub fn router(&self) -> axum::Router {
        handlers::router(self.clone())
    }
}
