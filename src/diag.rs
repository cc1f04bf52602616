//! Diagnostics on stderr that never panic.
//!
//! `eprintln!` panics when stderr cannot be written (`2>/dev/full`, a closed
//! pipe after `2>&1 | head -1`). Every message of the `nlwire` command goes
//! through [`line()`] instead:
//!
//! * a full or failing stderr (`ENOSPC`, `EIO`, …) loses the message and
//!   nothing else: decoding goes on and the exit status is what it would
//!   have been;
//! * a closed pipe (`EPIPE`) is returned as [`io::ErrorKind::BrokenPipe`]
//!   so that the caller can stop quietly, as a program killed by `SIGPIPE`
//!   would (Rust ignores `SIGPIPE`, so the write fails instead); later
//!   messages are not attempted.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stderr has reported `EPIPE`.
static STDERR_BROKEN: AtomicBool = AtomicBool::new(false);

/// Write `msg` and a newline to stderr.
///
/// Returns `Err` (kind [`io::ErrorKind::BrokenPipe`]) only when stderr is a
/// closed pipe (now or before); every other write error is ignored.
pub fn line(msg: fmt::Arguments<'_>) -> io::Result<()> {
    line_to(&mut io::stderr().lock(), msg)
}

/// [`line()`] to any writer (for tests); the broken-pipe state is shared.
pub fn line_to(w: &mut dyn Write, msg: fmt::Arguments<'_>) -> io::Result<()> {
    if STDERR_BROKEN.load(Ordering::Relaxed) {
        return Err(io::ErrorKind::BrokenPipe.into());
    }
    // One buffer, one write: a line is not split between processes.
    let mut buf = Vec::with_capacity(128);
    let _ = buf.write_fmt(msg);
    buf.push(b'\n');
    match w.write_all(&buf).and_then(|()| w.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDERR_BROKEN.store(true, Ordering::Relaxed);
            Err(e)
        }
        _ => Ok(()),
    }
}

/// Whether stderr has been found to be a closed pipe.
pub fn stderr_broken() -> bool {
    STDERR_BROKEN.load(Ordering::Relaxed)
}

/// `eprintln!` without the panic: formats its arguments and calls [`line()`],
/// evaluating to its `io::Result<()>`.
#[macro_export]
macro_rules! diag {
    ($($arg:tt)*) => {
        $crate::diag::line(::std::format_args!($($arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(28)) // ENOSPC
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_stderr_is_ignored() {
        assert!(line_to(&mut Full, format_args!("nlwire: x")).is_ok());
        let mut v = Vec::new();
        assert!(line_to(&mut v, format_args!("nlwire: {}", 7)).is_ok());
        assert_eq!(v, b"nlwire: 7\n");
    }
}
