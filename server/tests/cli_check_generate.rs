//! `passdesk check` and `passdesk generate`, run as the real binary: exit codes, stdout JSON,
//! stderr messages, and that the password never leaks into stderr. Generated secrets are checked
//! again by `passdesk check`, so the two commands agree with each other.
#![allow(clippy::unwrap_used)]
use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_passdesk");

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }
    fn json(&self, name: &str, value: &Value) -> PathBuf {
        self.write(name, &value.to_string())
    }
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn passdesk");
    // A bad-input run may exit (and close its stdin) before reading it all: that is not a failure.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn check(policy: &Path, account: Option<&Path>, stdin: &[u8]) -> Output {
    let mut args = vec!["check", "--policy", policy.to_str().unwrap()];
    if let Some(a) = account {
        args.extend(["--account", a.to_str().unwrap()]);
    }
    run(&args, stdin)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", o.stdout))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn rules(verdict: &Value) -> Vec<String> {
    verdict["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap().to_owned())
        .collect()
}

fn ad(min: u32, complexity: bool) -> Value {
    json!({"kind":"active_directory","dc":"windows","min_length":min,"complexity":complexity,"history_length":24})
}

fn john() -> Value {
    json!({"sam_account_name":"jsmith","display_name":"John Smith","given_name":"John","surname":"Smith",
           "upn":"jsmith@corp.example"})
}

#[test]
fn check_passes_with_exit_0_and_the_verdict_json() {
    let f = Files::new();
    let policy = f.json("ad.json", &ad(7, true));
    let out = check(&policy, None, b"Abcdef1\n");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["violations"], json!([]));
    assert!(v["satisfied"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["rule"] == "AD_COMPLEXITY"));
    assert!(
        v.get("uncertain").is_some(),
        "uncertain is always present (null or a reason)"
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn check_violation_exits_1_with_every_failing_rule_and_spans() {
    let f = Files::new();
    let policy = f.json("ad.json", &ad(7, true));
    let account = f.json("john.json", &john());
    let out = check(&policy, Some(&account), b"xJSMITHx9!\n");
    assert_eq!(code(&out), 1);
    let v = stdout_json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(rules(&v), ["AD_SAM_NAME", "AD_DISPLAY_NAME_TOKEN"]);
    assert_eq!(v["violations"][0]["span"], json!([1, 7]));
    assert!(!stderr(&out).contains("JSMITHx9"));
    // Short and single-class: both rules at once, and a message a technician can read.
    let out = check(&policy, Some(&account), b"abc\n");
    assert_eq!(code(&out), 1);
    let v = stdout_json(&out);
    assert_eq!(rules(&v), ["AD_MIN_LEN", "AD_COMPLEXITY"]);
    assert!(v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| !x["message"].as_str().unwrap().is_empty()));
}

#[test]
fn only_the_final_newline_is_removed() {
    let f = Files::new();
    // No complexity: only the length decides, so a kept "\r" would turn 6 characters into 7.
    let policy = f.json("ad.json", &ad(7, false));
    for (stdin, want) in [
        (&b"abcdef\n"[..], 1),
        (b"abcdef\r\n", 1),
        (b"abcdef", 1),
        (b"abcdefg\n", 0),
        (b"abcdefg\r\n", 0),
        (b"abcdefg", 0),
        (b"abcdef\r", 0),
        (b"abcde \n", 1),
        (b"abcdef \n", 0),
    ] {
        let out = check(&policy, None, stdin);
        assert_eq!(
            code(&out),
            want,
            "stdin {:?}: {}",
            String::from_utf8_lossy(stdin),
            stderr(&out)
        );
    }
}

/// (policy file, account file, stdin, what stderr must mention)
type BadCase<'a> = (PathBuf, Option<PathBuf>, &'a [u8], &'a [&'a str]);

/// Bad input: exit 2, nothing on stdout, a message naming the file and the problem.
#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let f = Files::new();
    let good = f.json("ad.json", &ad(7, true));
    let cases: Vec<BadCase> = vec![
        (
            f.dir.path().join("missing.json"),
            None,
            b"Abcdef1\n",
            &["missing.json", "cannot read policy file"],
        ),
        (
            f.write("broken.json", "{\"kind\":"),
            None,
            b"Abcdef1\n",
            &["broken.json", "EOF"],
        ),
        (
            f.json("typo.json", &json!({"kind":"active_directory","min_len":7})),
            None,
            b"Abcdef1\n",
            &["typo.json", "unknown field `min_len`"],
        ),
        (
            f.json("kind.json", &json!({"kind":"kerberos"})),
            None,
            b"Abcdef1\n",
            &["kind.json", "kerberos"],
        ),
        (
            f.json(
                "range.json",
                &json!({"kind":"active_directory","min_length":300}),
            ),
            None,
            b"Abcdef1\n",
            &["range.json", "min_length", "300"],
        ),
        (
            good.clone(),
            Some(f.json("acct.json", &json!({"sam":"jsmith"}))),
            b"Abcdef1\n",
            &["acct.json", "unknown field `sam`"],
        ),
        (
            good.clone(),
            Some(f.dir.path().join("nobody.json")),
            b"Abcdef1\n",
            &["nobody.json", "cannot read account file"],
        ),
        (good.clone(), None, b"Caf\xe9-Latin1-9\n", &["UTF-8"]),
        (good.clone(), None, b"Abcdef1\nSecond9!\n", &["one line"]),
    ];
    for (policy, account, stdin, want) in cases {
        let out = check(&policy, account.as_deref(), stdin);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{policy:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{policy:?}: stdout {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        for w in want {
            assert!(err.contains(w), "stderr {err:?} should mention {w:?}");
        }
        assert!(
            !err.contains("Abcdef1") && !err.contains("Second9"),
            "stderr leaks the password: {err}"
        );
    }
}

#[test]
fn check_without_policy_is_a_usage_error() {
    let out = run(&["check"], b"Abcdef1\n");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--policy"));
}

fn lines(o: &Output) -> Vec<String> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Every generated line passes `passdesk check` against the same policy and account.
fn assert_all_pass(policy: &Path, account: Option<&Path>, passwords: &[String]) {
    for pw in passwords {
        let out = check(policy, account, format!("{pw}\n").as_bytes());
        assert_eq!(
            code(&out),
            0,
            "generated password fails check: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn generate_password_honours_every_option() {
    let f = Files::new();
    let policy = f.json("ad.json", &ad(7, true));
    let account = f.json("john.json", &john());
    let (p, a) = (policy.to_str().unwrap(), account.to_str().unwrap());

    let out = run(
        &[
            "generate",
            "password",
            "--length",
            "20",
            "--count",
            "5",
            "--policy",
            p,
            "--account",
            a,
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let pws = lines(&out);
    assert_eq!(pws.len(), 5);
    assert!(pws.iter().all(|p| p.chars().count() == 20));
    let mut unique = pws.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "five draws, five different passwords");
    assert_all_pass(&policy, Some(&account), &pws);

    let out = run(
        &[
            "generate",
            "password",
            "--no-symbols",
            "--no-lookalikes",
            "--count",
            "20",
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for pw in lines(&out) {
        assert_eq!(pw.chars().count(), 16, "default length");
        assert!(
            pw.chars().all(|c| c.is_ascii_alphanumeric()),
            "{pw:?} has a symbol"
        );
        assert!(
            !pw.chars().any(|c| "Il1|O0o".contains(c)),
            "{pw:?} has a look-alike"
        );
    }

    let out = run(
        &[
            "generate",
            "password",
            "--no-numbers",
            "--count",
            "10",
            "--length",
            "12",
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(lines(&out)
        .iter()
        .all(|pw| !pw.chars().any(|c| c.is_ascii_digit())));
}

#[test]
fn generate_passphrase_honours_every_option() {
    let f = Files::new();
    let policy = f.json("ad.json", &ad(7, true));
    let account = f.json("john.json", &john());
    let (p, a) = (policy.to_str().unwrap(), account.to_str().unwrap());
    let out = run(
        &[
            "generate",
            "passphrase",
            "--words",
            "5",
            "--word-size",
            "short",
            "--separator",
            ".",
            "--numbers",
            "--capitalize",
            "--count",
            "8",
            "--policy",
            p,
            "--account",
            a,
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let phrases = lines(&out);
    assert_eq!(phrases.len(), 8);
    for ph in &phrases {
        let words: Vec<&str> = ph.split('.').collect();
        assert_eq!(words.len(), 5, "{ph:?}");
        assert!(words.iter().all(|w| w
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())));
        // Short words are 3–5 letters; inserted digits may lengthen a word.
        assert!(
            words
                .iter()
                .all(|w| w.chars().filter(char::is_ascii_alphabetic).count() <= 5),
            "{ph:?}"
        );
        assert!(
            ph.chars().any(|c| c.is_ascii_digit()),
            "--numbers adds digits: {ph:?}"
        );
    }
    assert_all_pass(&policy, Some(&account), &phrases);

    // A separator that is also a CLI-ish character, and a NIST policy where plain words are fine.
    let nist = f.json(
        "nist.json",
        &json!({"kind":"nist","min_length":15,"blocklist":[]}),
    );
    let out = run(
        &[
            "generate",
            "passphrase",
            "--separator",
            "-",
            "--policy",
            nist.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ph = &lines(&out)[0];
    assert_eq!(ph.split('-').count(), 4, "default 4 words: {ph:?}");
    assert!(ph.chars().all(|c| c == '-' || c.is_ascii_lowercase()));
}

#[test]
fn generate_json_lines_carry_the_entropy() {
    let out = run(
        &[
            "generate", "password", "--length", "16", "--count", "3", "--json",
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for line in lines(&out) {
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["password"].as_str().unwrap().chars().count(), 16);
        let bits = v["entropy_bits"].as_f64().unwrap();
        assert!(
            bits > 80.0 && bits < 16.0 * 7.0,
            "16 chars from < 128 symbols: {bits}"
        );
    }
}

#[test]
fn generated_entra_passwords_avoid_names_and_banned_terms() {
    let f = Files::new();
    let policy = f.json(
        "entra.json",
        &json!({"kind":"entra","custom_terms":["contoso","fabrikam"],"global_list":true,"tenant_name":"Contoso"}),
    );
    let account = f.json("john.json", &john());
    let (p, a) = (policy.to_str().unwrap(), account.to_str().unwrap());
    for kind in [
        &["password", "--length", "10"][..],
        &["passphrase", "--numbers", "--capitalize"][..],
    ] {
        let mut args = vec!["generate"];
        args.extend_from_slice(kind);
        args.extend(["--count", "5", "--policy", p, "--account", a]);
        let out = run(&args, b"");
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert_all_pass(&policy, Some(&account), &lines(&out));
    }
}

#[test]
fn generate_errors_exit_2_with_the_reason() {
    let f = Files::new();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["generate", "password", "--length", "4"],
            "length must be between 8 and 256",
        ),
        (
            vec!["generate", "password", "--length", "300"],
            "length must be between 8 and 256",
        ),
        (
            vec![
                "generate",
                "passphrase",
                "--words",
                "2",
                "--capitalize",
                "--numbers",
            ],
            "words must be between 3 and 20",
        ),
        (
            vec!["generate", "passphrase", "--separator", "ab"],
            "separator",
        ),
        // Default AD policy needs 3 character kinds; lower-case words alone have one.
        (vec!["generate", "passphrase"], "can never satisfy"),
        (
            vec!["generate", "password", "--no-numbers", "--no-symbols"],
            "can never satisfy",
        ),
        (vec!["generate", "password", "--count", "0"], "count"),
    ];
    for (args, want) in cases {
        let out = run(&args, b"");
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(
            stderr(&out).contains(want),
            "{args:?}: stderr {:?} should say {want:?}",
            stderr(&out)
        );
    }
    let bad = f.json("bad.json", &json!({"kind":"nist","min_length":"fifteen"}));
    let out = run(
        &["generate", "password", "--policy", bad.to_str().unwrap()],
        b"",
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("bad.json"), "{}", stderr(&out));
}
