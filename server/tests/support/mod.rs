//! Shared test helpers: a real Samba AD DC (`samba`) and a Microsoft Graph simulator (`graph_sim`).
//! Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod graph_sim;
pub mod log_capture;
pub mod samba;
pub mod samba_tickets;
pub mod site;
