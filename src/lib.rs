//! kb: a self-service knowledge base. Markdown articles are checked, analysed per language,
//! indexed with tantivy, and searched.
//!
//! Data flows one way: [`article`] (files → parsed, checked articles) → [`analysis`] (text →
//! terms, per language) → [`index`] (articles → tantivy index on disk) → [`search`] (queries →
//! ranked articles with deep links) → the CLI. [`eval`] measures search quality on the shared
//! evaluation sets through that same path.

pub mod analysis;
pub mod analytics;
pub mod article;
pub mod eval;
pub mod index;
pub mod mail;
pub mod search;
pub mod store;
pub mod web;
