//! `nlwire`: decode netlink captures and query sock_diag from the command
//! line. Each subcommand lives in its own module; this file only dispatches.
//! Messages go through `nlwire_cli::diag` (`eprintln!` panics when stderr
//! is full or a closed pipe).
#![warn(clippy::print_stderr)]

mod ss;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Decode and encode Linux netlink messages.
#[derive(Debug, Parser)]
#[command(name = "nlwire", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode netlink messages from pcap/pcapng captures or hex.
    Decode(nlwire_cli::decode::DecodeArgs),
    /// List sockets from the live kernel like iproute2 ss.
    Ss(ss::SsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Decode(args) => nlwire_cli::decode::run(&args),
        Command::Ss(args) => ss::run(&args),
    }
}
