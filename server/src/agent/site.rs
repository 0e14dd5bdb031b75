//! The agent at the customer site (`passdesk agent join|run`): its config, the connection to the
//! backend, and the answers it gives with its own LDAP connector.
pub mod answer;
pub mod backoff;
pub mod config;
pub mod connect;
pub mod run;
