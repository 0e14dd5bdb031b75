//! Every tracing event of a test binary (TRACE, all crates, `log` records too, span open/close
//! with their fields), and checks that a secret is in none of the bytes, also as UTF-16LE (the
//! form `unicodePwd` carries on the LDAP wire).
#![allow(clippy::unwrap_used)]
use std::{
    io::Write,
    sync::{Arc, Mutex},
};

/// Everything the subscriber writes.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Capture {
    /// Installs the capturing subscriber for the whole test binary (once: a second call panics).
    pub fn install() -> Capture {
        let capture = Capture::default();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(capture.clone())
            .try_init()
            .expect("the only subscriber of this test binary");
        capture
    }

    /// What was written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap().clone()
    }
}

pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

pub fn assert_absent(what: &str, hay: &[u8], secrets: &[(&str, &str)]) {
    for (label, secret) in secrets {
        assert!(!contains(hay, secret.as_bytes()), "{label} found in {what}");
        assert!(
            !contains(hay, &utf16le(secret)),
            "{label} (UTF-16) found in {what}"
        );
    }
}
