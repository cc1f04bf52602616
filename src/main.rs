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
    /// List the netlink families this build decodes (a Markdown table).
    Families,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Decode(args) => nlwire_cli::decode::run(&args),
        Command::Ss(args) => ss::run(&args),
        Command::Families => {
            use std::io::Write as _;
            let table = nlwire_cli::families::table();
            match std::io::stdout().write_all(table.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(1),
            }
        }
    }
}
