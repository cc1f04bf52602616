//! The exit status of `nlwire decode` and its progress line on a terminal.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How a run went.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Status {
    /// Something was malformed (exit status 1).
    pub(super) malformed: bool,
    /// A file could not be read or is no netlink capture (exit status 2).
    pub(super) file_error: bool,
}

impl Status {
    pub(super) fn exit_code(self) -> ExitCode {
        if self.file_error {
            ExitCode::from(2)
        } else if self.malformed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Shows progress on stderr when it is a terminal.
pub(super) struct Progress {
    enabled: bool,
    shown: bool,
    last: Instant,
}

impl Progress {
    pub(super) fn new() -> Self {
        Progress {
            enabled: io::stderr().is_terminal(),
            shown: false,
            last: Instant::now(),
        }
    }

    pub(super) fn tick(&mut self, name: &str, frame: u64, done: u64, total: Option<u64>) {
        if !self.enabled || frame % 256 != 0 || self.last.elapsed() < Duration::from_millis(250) {
            return;
        }
        self.last = Instant::now();
        let mb = |b: u64| b as f64 / 1_048_576.0;
        let mut e = io::stderr().lock();
        let _ = match total {
            Some(t) if t > 0 => write!(
                e,
                "\r\x1b[K{name}: frame {frame}, {:.1} / {:.1} MiB ({:.0}%)",
                mb(done),
                mb(t),
                done as f64 * 100.0 / t as f64
            ),
            _ => write!(e, "\r\x1b[K{name}: frame {frame}, {:.1} MiB", mb(done)),
        };
        self.shown = true;
    }

    pub(super) fn clear(&mut self) {
        if self.shown {
            let _ = write!(io::stderr(), "\r\x1b[K");
            self.shown = false;
        }
    }
}
