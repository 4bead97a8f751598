//! `kb.toml`: settings in a file. They are the weakest source: a `KB_*` environment variable beats
//! the file, a command-line flag beats both. The file's settings become the environment
//! variables that are not set yet, which clap then reads as it reads any other.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// The file read unless `KB_CONFIG` names another.
pub(crate) const DEFAULT_FILE: &str = "kb.toml";

/// Each setting of the file and the environment variable it stands for.
const SETTINGS: &[(&str, &str)] = &[
    ("articles", "KB_ARTICLES"),
    ("index", "KB_INDEX"),
    ("data", "KB_DATA"),
    ("addr", "KB_ADDR"),
    ("default_lang", "KB_DEFAULT_LANG"),
    ("base_url", "KB_PUBLIC_URL"),
    ("admin_token", "KB_ADMIN_TOKEN"),
    ("retention", "KB_RETENTION"),
    ("signal_boost", "KB_SIGNAL_BOOST"),
    ("cors_origins", "KB_CORS_ORIGINS"),
    ("suggest_rate", "KB_SUGGEST_RATE"),
    ("feedback_rate", "KB_FEEDBACK_RATE"),
    ("request_timeout", "KB_REQUEST_TIMEOUT"),
    ("max_message_bytes", "KB_MAX_MESSAGE_BYTES"),
    ("result_cache", "KB_RESULT_CACHE"),
];

/// Reads `$KB_CONFIG`, else `kb.toml` when it exists, into the environment variables not set
/// yet. Must run before any thread starts (it sets environment variables).
pub(crate) fn load() -> anyhow::Result<Option<PathBuf>> {
    let path = match std::env::var_os("KB_CONFIG") {
        Some(path) => PathBuf::from(path),
        None if Path::new(DEFAULT_FILE).exists() => PathBuf::from(DEFAULT_FILE),
        None => return Ok(None),
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    for (variable, value) in settings(&text).with_context(|| format!("in {}", path.display()))? {
        if std::env::var_os(variable).is_none() {
            std::env::set_var(variable, value);
        }
    }
    Ok(Some(path))
}

/// The environment variables and values that the TOML `text` sets.
fn settings(text: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
    let table: toml::Table = text.parse()?;
    let mut settings = Vec::new();
    for (key, value) in table {
        let Some((_, variable)) = SETTINGS.iter().find(|(name, _)| *name == key) else {
            let known: Vec<&str> = SETTINGS.iter().map(|(name, _)| *name).collect();
            bail!("unknown setting `{key}` (known: {})", known.join(", "));
        };
        let value = match value {
            toml::Value::String(text) => text,
            toml::Value::Integer(number) => number.to_string(),
            toml::Value::Boolean(flag) => flag.to_string(),
            toml::Value::Array(items) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| item.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            other => bail!("`{key}`: expected a string, number, boolean or list, got {other}"),
        };
        settings.push((*variable, value));
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_map_to_their_variables_and_unknown_keys_are_refused() {
        let parsed = settings(
            "addr = \"0.0.0.0:80\"\nsignal_boost = false\nsuggest_rate = 50\ncors_origins = [\"https://a.example\", \"https://b.example\"]\n",
        )
        .unwrap();
        assert!(parsed.contains(&("KB_ADDR", "0.0.0.0:80".to_string())));
        assert!(parsed.contains(&("KB_SIGNAL_BOOST", "false".to_string())));
        assert!(parsed.contains(&("KB_SUGGEST_RATE", "50".to_string())));
        assert!(parsed.contains(&(
            "KB_CORS_ORIGINS",
            "https://a.example,https://b.example".to_string()
        )));
        let error = settings("adress = \"x\"").unwrap_err().to_string();
        assert!(error.contains("unknown setting `adress`"), "{error}");
    }
}
