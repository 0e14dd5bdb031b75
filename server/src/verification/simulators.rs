//! Stand-ins for the cloud providers, built from their documented APIs (auth, signatures, error
//! bodies, 429s): Twilio Programmable Messaging and the Duo Auth API v2. `passdesk demo` mounts them
//! on its own listener so the panel shows SMS and Duo methods; the tests drive them directly.
//! Real SMTP is never simulated: tests use a real server process.
pub mod duo;
pub mod twilio;
