//! `passdesk extension-policy`, run as the real binary: the documents it prints name the ids of the
//! repository's manifest (the ones README lists), a refused URL exits 2 naming the argument.
#![allow(clippy::unwrap_used)]
use std::process::{Command, Output};

use passdesk_server::extension_policy::ExtensionIds;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_passdesk");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("extension-policy")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn each_browser_document_is_plain_json_with_the_manifest_ids() {
    let ids = ExtensionIds::of_manifest().unwrap();
    let base = [
        "--backend",
        "https://passdesk.msp.example/",
        "--onprem-host",
        "cw.msp.example",
    ];
    let values =
        json!({"backendUrl": "https://passdesk.msp.example", "onpremHosts": ["cw.msp.example"]});

    let chrome = run(&[&base[..], &["--browser", "chrome"]].concat());
    assert!(chrome.status.success(), "{chrome:?}");
    let doc: Value = serde_json::from_slice(&chrome.stdout).unwrap();
    assert_eq!(
        doc,
        json!({"3rdparty": {"extensions": {&ids.chromium: values}}})
    );

    let firefox = run(&[&base[..], &["--browser", "firefox", "--locked"]].concat());
    assert!(firefox.status.success(), "{firefox:?}");
    let doc: Value = serde_json::from_slice(&firefox.stdout).unwrap();
    let mut locked = values.clone();
    locked["locked"] = json!(true);
    assert_eq!(
        doc,
        json!({"policies": {"3rdparty": {"Extensions": {&ids.gecko: locked}}}})
    );
}

#[test]
fn both_documents_by_default_with_where_they_go() {
    let out = run(&["--backend", "https://passdesk.msp.example"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let ids = ExtensionIds::of_manifest().unwrap();
    assert!(
        text.contains(&format!("extension id {}", ids.chromium)),
        "{text}"
    );
    assert!(text.contains(&format!("add-on id {}", ids.gecko)), "{text}");
    assert!(text.contains("/etc/opt/chrome/policies/managed/") && text.contains("distribution/"));
}

#[test]
fn a_url_the_extension_would_refuse_exits_2_with_the_reason() {
    let out = run(&["--backend", "http://passdesk.msp.example"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--backend http://passdesk.msp.example: must start with https://"),
        "{err}"
    );
}

#[test]
fn readme_names_the_ids_policies_must_use() {
    let ids = ExtensionIds::of_manifest().unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(
        readme.contains(&ids.chromium),
        "README lacks {}",
        ids.chromium
    );
    assert!(readme.contains(&ids.gecko), "README lacks {}", ids.gecko);
}
