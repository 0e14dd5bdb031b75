//! Site agents: a customer's Active Directory reached from inside the customer's network over one
//! outbound, authenticated, TLS-verified WebSocket (docs/agent.md).
//!
//! - [`protocol`]: the frames both ends speak (a closed set of typed directory operations).
//! - [`hub`]: the backend's registry of connected agents and the request/answer matching.
//! - [`site`]: the agent process itself.
//!
//! The backend side of the `Directory` contract is `directory::agent`; enrolment is `store::agents`.
pub mod hub;
pub mod protocol;
pub mod site;
