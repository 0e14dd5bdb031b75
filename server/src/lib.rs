//! PassDesk backend: ConnectWise ticket → directory account → reset → internal note.
//!
//! `main.rs` only parses the command line; everything lives here so tests drive it in-process
//! (`http::app(state, cors)` returns the axum `Router`).

// First: the macro it defines is used by the modules below.
#[macro_use]
pub mod vocabulary;

pub mod agent;
pub mod app;
pub mod cli;
pub mod config;
pub mod connectwise;
pub mod demo;
pub mod demo_pages;
pub mod directory;
pub mod extension_policy;
pub mod http;
pub mod listener;
mod loopback;
pub mod retry_after;
pub mod store;
mod sync;
pub mod ticket_flow;
pub mod verification;
