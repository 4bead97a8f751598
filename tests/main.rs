//! kb's integration tests: one binary, one module per area (see each module's header).

mod analysis;
mod build;
mod check;
mod common;
mod eval;
mod reply;
mod search;
mod server;
