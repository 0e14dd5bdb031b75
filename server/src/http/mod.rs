//! HTTP API (server app work).
