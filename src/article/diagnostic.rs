//! Problems found in articles, each pinned to a file, line and column.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks `kb build`; `kb check` exits 1.
    Error,
    /// Reported, but the article is still indexed.
    Warning,
}

/// One problem in one article file, printed as `path:line:col: error|warning: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as reached from the articles folder given on the command line.
    pub path: PathBuf,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in characters) in the line.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, and where useful how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// An error at `line:column` of `path`.
    pub fn error(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning at `line:column` of `path`.
    pub fn warning(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    /// Whether this problem blocks a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.column,
            severity,
            self.message
        )
    }
}

/// Sorts diagnostics by file, then position, so output is stable and reads top to bottom.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
}
