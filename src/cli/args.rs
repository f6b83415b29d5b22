//! The command line's grammar: subcommands, their arguments and their help texts (clap).

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "obole",
    version,
    about = "Monthly pooled tipping: fund, click, settle, pay out."
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Option<Command>,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations, then exit. Safe to run again.
    Migrate,
    /// Prepaid vouchers.
    Vouchers {
        #[command(subcommand)]
        command: VoucherCommand,
    },
    /// Accounts.
    Users {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Settle a closed month: split each reader's budget over their clicks and pay creators.
    Settle {
        /// The month to settle, such as 2026-10; it must be over.
        #[arg(long)]
        month: String,
        /// Print what the month would pay without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Try again a month whose run failed its self-check (after the cause is fixed): the
        /// run resumes where it stopped.
        #[arg(long, conflicts_with = "dry_run")]
        retry: bool,
    },
    /// The double-entry ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Creators' sites: the proofs that pages are theirs.
    Sites {
        #[command(subcommand)]
        command: SiteCommand,
    },
    /// Creators' payouts.
    Payouts {
        #[command(subcommand)]
        command: PayoutCommand,
    },
    /// Readers' receipts of settled months (docs/TRANSPARENCY.md).
    Receipts {
        #[command(subcommand)]
        command: ReceiptCommand,
    },
    /// Copy the SQLite database while the server runs, with the key files beside it in
    /// FILE.keys/ (on PostgreSQL: says how to use pg_dump, and exits 1).
    Backup {
        /// The new backup file; an existing file is never replaced.
        #[arg(long)]
        to: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
pub(super) enum ReceiptCommand {
    /// Check a saved receipt offline, with no database or configuration: its leaf, its
    /// amounts and its proof, and its root against the published one if given. Exits 0 when it
    /// holds, 1 when it does not (with the reason), 2 when the file is not a receipt's JSON.
    Verify {
        /// The receipt's JSON, as the API gives it or the page downloads it.
        file: std::path::PathBuf,
        /// The month's published root (64 hex digits), from /transparency/{month}.
        #[arg(long)]
        root: Option<String>,
    },
}

#[derive(Subcommand)]
pub(super) enum SiteCommand {
    /// Vouch, as an operator, that sites are an account's: the things under them become its,
    /// with what was held for them. With --existing-things, vouch for every thing nobody has
    /// claimed yet, each for its owner of today (an instance's creators before claims).
    Grant {
        /// The account's email address.
        #[arg(long, required_unless_present = "existing_things")]
        email: Option<String>,
        /// The site: an origin (https://example.org/) or a profile page; may be repeated.
        #[arg(long = "url", required_unless_present = "existing_things")]
        urls: Vec<String>,
        /// Vouch for the page of every unclaimed thing, for its owner.
        #[arg(long, conflicts_with_all = ["email", "urls"])]
        existing_things: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum VoucherCommand {
    /// Issue vouchers and print one code per line (the only time the codes are shown).
    Create {
        /// The value of each voucher, such as 10.00.
        #[arg(long)]
        amount: String,
        /// How many vouchers to issue.
        #[arg(long, default_value_t = 1)]
        count: u32,
    },
}

#[derive(Subcommand)]
pub(super) enum UserCommand {
    /// Give an account the operator role.
    GrantOperator { email: String },
}

#[derive(Subcommand)]
pub(super) enum LedgerCommand {
    /// Prove that every movement balances and every cached balance equals its entries.
    Check,
}

#[derive(Subcommand)]
pub(super) enum PayoutCommand {
    /// The waiting payouts as one SEPA credit-transfer file (pain.001.001.03) for the bank;
    /// while that batch is not marked sent, the same file again.
    Export {
        /// The file's format: sepa.
        #[arg(long)]
        format: String,
        /// Write the file here (never over an existing file) instead of the standard output.
        #[arg(long)]
        to: Option<std::path::PathBuf>,
    },
}
