//! The `kb` binary: parses the command line, sets up logging, runs the command and turns errors
//! into messages and exit codes.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's allocator: indexing and searching allocate many small, short-lived
/// buffers, and glibc's arenas both spend time consolidating them and keep freed memory resident
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    if let Err(error) = cli::config::load() {
        eprintln!("error: {error:#}");
        return ExitCode::from(2);
    }
    let cli = cli::Cli::parse();
    if cli.ends_on_broken_pipe() {
        end_on_broken_pipe();
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KB_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(cli.default_log_level())),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        // A closed log pipe must not take requests down: by default, a failed log write is
        // reported with `eprintln!`, which panics when stderr is gone.
        .log_internal_errors(false)
        .init();
    match cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Restores the default action of SIGPIPE, which Rust's runtime ignores: a command whose reader
/// has gone (`kb explain … | head`) then ends like any Unix tool, instead of `println!`
/// panicking with "failed printing to stdout".
fn end_on_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default, before any other thread runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
