//! The generators judged by an independent referee: every generated password and passphrase for
//! the DC's own effective policy (the domain policy, and the StrictPSO of 12 characters) is set on
//! the real Samba DC, which must accept it, and the account then binds with it.
use passdesk_core::{
    generate_passphrase, generate_password, PassphraseOptions, PasswordOptions, Validator, WordSize,
};
use passdesk_server::directory::Directory;

use super::{bind_as, one, svc};

const EACH: usize = 30;

#[tokio::test]
async fn the_dc_accepts_every_generated_password_and_passphrase() {
    let dir = svc();
    for (email, sam, policy_source) in [
        ("gene.domain@test.lan", "jgen", "domain"),
        ("gene.strict@test.lan", "jgens", "StrictPSO"),
    ] {
        let account = one(&dir, email).await;
        let effective = dir.effective_policy(&account).await.unwrap();
        assert!(
            effective.source.contains(policy_source),
            "{sam}: {}",
            effective.source
        );
        let validator = Validator::new(&effective.policy, &account.core_account()).unwrap();
        let mut candidates = Vec::new();
        for length in [8, 12, 16] {
            for (numbers, symbols) in [(true, true), (true, false), (false, true)] {
                let opts = PasswordOptions {
                    length,
                    numbers,
                    symbols,
                    lookalikes: false,
                };
                match generate_password(&opts, &validator) {
                    Ok(g) => candidates.push(("password", g.password)),
                    // Too short for the PSO (12): the generator says so instead of guessing.
                    Err(e) => assert!(
                        length < 12 && policy_source == "StrictPSO",
                        "{sam} {opts:?}: {e}"
                    ),
                }
            }
        }
        for (word_size, words, numbers, capitalize) in [
            (WordSize::Long, 3, true, true),
            (WordSize::Short, 4, false, true),
            (WordSize::Long, 4, true, false),
        ] {
            let opts = PassphraseOptions {
                words,
                word_size,
                separator: "-".into(),
                numbers,
                capitalize,
            };
            let g =
                generate_passphrase(&opts, &validator).unwrap_or_else(|e| panic!("{opts:?}: {e}"));
            candidates.push(("passphrase", g.password));
        }
        let filler = PassphraseOptions {
            words: 3,
            word_size: WordSize::Short,
            separator: ".".into(),
            numbers: true,
            capitalize: true,
        };
        while candidates.len() < EACH {
            let g = generate_password(&PasswordOptions::default(), &validator).unwrap();
            candidates.push(("password", g.password));
            let g = generate_passphrase(&filler, &validator).unwrap();
            candidates.push(("passphrase", g.password));
        }
        for (what, password) in &candidates {
            dir.reset_password(&account, password, false)
                .await
                .unwrap_or_else(|e| panic!("the DC refused a generated {what} for {sam}: {e:?}"));
        }
        let (_, last) = candidates.last().unwrap();
        bind_as(sam, last)
            .await
            .unwrap_or_else(|e| panic!("{sam} cannot bind with the last one: {e:?}"));
    }
}
