//! kb's integration tests: one binary, one module per area (see each module's header).

mod analysis;
mod analytics;
mod browser;
mod build;
mod check;
mod common;
mod eval;
mod operations;
mod pages;
mod reply;
mod search;
mod server;
