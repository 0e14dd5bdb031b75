//! TODO (server app work).
