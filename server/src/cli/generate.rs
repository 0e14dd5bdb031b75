//! `passdesk generate password|passphrase`: compliant secrets from passdesk-core, one per line.
//! Exit 2 with the core's message when the options are invalid or can never meet the policy.
use std::{io::Write, path::PathBuf, process::ExitCode};

use passdesk_core::{
    GenerateError, Generated, PassphraseOptions, PasswordOptions, Validator, WordSize,
};
use zeroize::Zeroize;

/// `passdesk generate ...`
#[derive(Debug, clap::Subcommand)]
pub enum GenerateCommand {
    /// A complex password.
    Password(PasswordArgs),
    /// A passphrase of EFF words.
    Passphrase(PassphraseArgs),
}

/// Options shared by both generators.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Policy JSON file the result must satisfy (default: AD Windows, min 7, complexity on).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Account JSON file (its names are kept out of the result).
    #[arg(long, value_name = "FILE")]
    pub account: Option<PathBuf>,
    /// How many to generate, one per line.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Print {"password":…,"entropy_bits":…} per line instead of the bare password.
    #[arg(long)]
    pub json: bool,
}

/// `passdesk generate password`
#[derive(Debug, clap::Args)]
pub struct PasswordArgs {
    /// Length in characters (8–256).
    #[arg(long, default_value_t = PasswordOptions::default().length)]
    pub length: u32,
    /// Leave out digits.
    #[arg(long)]
    pub no_numbers: bool,
    /// Leave out symbols.
    #[arg(long)]
    pub no_symbols: bool,
    /// Leave out look-alike characters (I l 1 | O 0 o).
    #[arg(long)]
    pub no_lookalikes: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `passdesk generate passphrase`
#[derive(Debug, clap::Args)]
pub struct PassphraseArgs {
    /// Number of words (3–20).
    #[arg(long, default_value_t = PassphraseOptions::default().words)]
    pub words: u32,
    /// EFF short list (3–5 letters) or long list.
    #[arg(long, value_enum, default_value_t = WordSizeArg::Long)]
    pub word_size: WordSizeArg,
    /// The one character placed between words.
    #[arg(long, default_value = "-", allow_hyphen_values = true)]
    pub separator: String,
    /// Insert digits at random positions.
    #[arg(long)]
    pub numbers: bool,
    /// Capitalise the first letter of each word.
    #[arg(long)]
    pub capitalize: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `--word-size short|long` (the core's enum has no clap derive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WordSizeArg {
    /// EFF short list #1.
    Short,
    /// EFF long list.
    Long,
}

/// Runs `passdesk generate`.
pub fn run(cmd: GenerateCommand) -> ExitCode {
    let result = match &cmd {
        GenerateCommand::Password(a) => {
            let opts = PasswordOptions {
                length: a.length,
                numbers: !a.no_numbers,
                symbols: !a.no_symbols,
                lookalikes: !a.no_lookalikes,
            };
            emit(&a.common, |v| passdesk_core::generate_password(&opts, v))
        }
        GenerateCommand::Passphrase(a) => {
            let opts = PassphraseOptions {
                words: a.words,
                word_size: match a.word_size {
                    WordSizeArg::Short => WordSize::Short,
                    WordSizeArg::Long => WordSize::Long,
                },
                separator: a.separator.clone(),
                numbers: a.numbers,
                capitalize: a.capitalize,
            };
            emit(&a.common, |v| passdesk_core::generate_passphrase(&opts, v))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("passdesk generate: {message}");
            ExitCode::from(2)
        }
    }
}

fn emit(
    common: &CommonArgs,
    generate: impl Fn(&Validator) -> Result<Generated, GenerateError>,
) -> Result<(), String> {
    let validator =
        super::check::load_validator(common.policy.as_deref(), common.account.as_deref())?;
    let mut out = std::io::stdout().lock();
    for _ in 0..common.count {
        let mut generated = generate(&validator).map_err(|e| e.to_string())?;
        let written = write_one(&mut out, &generated, common.json);
        generated.password.zeroize();
        written?;
    }
    out.flush()
        .map_err(|e| format!("cannot write to stdout: {e}"))
}

fn write_one(out: &mut impl Write, generated: &Generated, json: bool) -> Result<(), String> {
    let result = if json {
        let mut line = serde_json::to_string(generated)
            .map_err(|e| format!("cannot encode the result: {e}"))?;
        let r = writeln!(out, "{line}");
        line.zeroize();
        r
    } else {
        writeln!(out, "{}", generated.password)
    };
    result.map_err(|e| format!("cannot write to stdout: {e}"))
}
