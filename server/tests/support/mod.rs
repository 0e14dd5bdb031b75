//! Shared test helpers: a real Samba AD DC (`samba`), a Microsoft Graph simulator (`graph_sim`) and
//! a real SMTP server process (`smtp`).
//! Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod graph_sim;
pub mod log_capture;
pub mod samba;
pub mod samba_backend;
pub mod samba_tickets;
pub mod site;
pub mod smtp;
