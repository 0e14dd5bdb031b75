//! `passdesk check --policy FILE [--account FILE]`: the password comes from stdin (never argv, so
//! it stays out of `ps` and shell history); the verdict JSON goes to stdout.
//! Exit 0 = passes, 1 = violates the policy, 2 = bad input (message on stderr, never the password).
use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use passdesk_core::{Account, Policy, Validator};
use serde::de::DeserializeOwned;
use zeroize::{Zeroize, Zeroizing};

/// Arguments of `passdesk check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Policy JSON file, e.g. {"kind":"active_directory","dc":"windows","min_length":7,"complexity":true}.
    #[arg(long, value_name = "FILE")]
    pub policy: PathBuf,
    /// Account JSON file, e.g. {"sam_account_name":"jsmith","display_name":"John Smith"}.
    #[arg(long, value_name = "FILE")]
    pub account: Option<PathBuf>,
}

/// Longest stdin accepted. Far above any directory's limit (AD: 256), so long inputs still get a
/// verdict, while the buffer is allocated once and never reallocated (no stray copies to wipe).
const MAX_STDIN: usize = 64 * 1024;

/// Runs `passdesk check`.
pub fn run(args: CheckArgs) -> ExitCode {
    match check(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("passdesk check: {message}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &CheckArgs) -> Result<bool, String> {
    let validator = load_validator(Some(&args.policy), args.account.as_deref())?;
    let password = read_password(std::io::stdin().lock())?;
    let verdict = validator.validate(&password);
    drop(password);
    let json =
        serde_json::to_string(&verdict).map_err(|e| format!("cannot encode the verdict: {e}"))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    Ok(verdict.ok)
}

/// Builds the validator from the policy / account files. No policy file: the AD Windows defaults
/// (min 7, complexity on), the policy most technicians reset against.
pub(super) fn load_validator(
    policy_path: Option<&Path>,
    account: Option<&Path>,
) -> Result<Validator, String> {
    let policy: Policy = match policy_path {
        Some(path) => load_json(path, "policy")?,
        None => Policy::ActiveDirectory(Default::default()),
    };
    let account: Account = match account {
        Some(path) => load_json(path, "account")?,
        None => Account::default(),
    };
    Validator::new(&policy, &account).map_err(|e| {
        let source = policy_path.map_or("the default policy".to_owned(), |p| {
            format!("policy file {}", p.display())
        });
        format!("{source}: invalid policy: {e}")
    })
}

fn load_json<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {what} file {}: {e}", path.display()))?;
    // serde_json's message names the problem (unknown field, missing kind, wrong type) and where.
    serde_json::from_str(&text).map_err(|e| format!("{what} file {}: {e}", path.display()))
}

/// One line from `input`, without its final "\n" or "\r\n". The buffers are wiped on drop.
pub(super) fn read_password(input: impl Read) -> Result<Zeroizing<String>, String> {
    let mut buf = Zeroizing::new(Vec::with_capacity(MAX_STDIN + 1));
    input
        .take(MAX_STDIN as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    if buf.len() > MAX_STDIN {
        return Err(format!(
            "the password on stdin is longer than {MAX_STDIN} bytes"
        ));
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    if buf.contains(&b'\n') {
        return Err("stdin must hold exactly one line (the password)".into());
    }
    // Moves the bytes (no copy); on failure wipe them before reporting.
    match String::from_utf8(std::mem::take(&mut *buf)) {
        Ok(s) => Ok(Zeroizing::new(s)),
        Err(e) => {
            e.into_bytes().zeroize();
            Err("the password on stdin is not valid UTF-8".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read_password;

    fn read(bytes: &[u8]) -> Result<String, String> {
        read_password(bytes).map(|p| p.to_string())
    }

    #[test]
    fn strips_exactly_one_final_newline() {
        assert_eq!(read(b"Abcdef1\n").unwrap(), "Abcdef1");
        assert_eq!(read(b"Abcdef1\r\n").unwrap(), "Abcdef1");
        assert_eq!(read(b"Abcdef1").unwrap(), "Abcdef1");
        assert_eq!(
            read(b"Abc\rdef1\r").unwrap(),
            "Abc\rdef1\r",
            "a lone CR is part of the password"
        );
        assert_eq!(read(b"\n").unwrap(), "");
        assert_eq!(read(b"").unwrap(), "");
    }

    #[test]
    fn refuses_several_lines_bad_utf8_and_huge_input() {
        assert!(read(b"one\ntwo\n").unwrap_err().contains("one line"));
        assert!(read(b"pass\n\n").unwrap_err().contains("one line"));
        assert!(read(b"caf\xe9\n").unwrap_err().contains("UTF-8"));
        let huge = vec![b'a'; super::MAX_STDIN + 1];
        assert!(read(&huge).unwrap_err().contains("longer than"));
        assert_eq!(
            read(&huge[..super::MAX_STDIN]).unwrap().len(),
            super::MAX_STDIN
        );
    }
}
