//! `kb reply`: article links for an automatic reply to the e-mail on standard input, so that an
//! MTA can pipe messages to kb (Postfix `pipe`, procmail).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kb::analysis::{LangTag, Language};
use kb::index::OpenIndex;
use kb::mail::{self, MailError};
use kb::search::{answer_email, email_language};
use kb::store::{SearchRecord, Store};

/// How `kb reply` prints the reply.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum Format {
    /// The whole reply as JSON (links, language, fragments).
    Json,
    /// The plain-text fragment only.
    Text,
    /// The HTML fragment only.
    Html,
}

pub(super) fn run(
    index_dir: &Path,
    format: Format,
    base_url: &str,
    max_links: usize,
    extract: bool,
    data: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let mut input = Vec::new();
    std::io::stdin()
        .take(mail::MAX_MESSAGE_BYTES as u64 + 1)
        .read_to_end(&mut input)
        .context("reading the message from standard input")?;
    if input.len() > mail::MAX_MESSAGE_BYTES {
        return Err(MailError::TooLarge {
            limit: mail::MAX_MESSAGE_BYTES,
        }
        .into());
    }
    let email = if input
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[')
    {
        let value: serde_json::Value = serde_json::from_slice(&input).context("reading the JSON intake")?;
        mail::parse_json(&value)?
    } else {
        mail::parse_raw(&input)?
    };
    if extract {
        let (lang, lang_source) = email_language(&email, Language::every(), |_| None, &LangTag::default());
        let output = serde_json::json!({
            "subject": email.subject, "text": email.text, "lang": lang, "lang_source": lang_source,
            "automatic": email.automatic,
        });
        println!("{output}");
        return Ok(ExitCode::SUCCESS);
    }
    let index = OpenIndex::open(index_dir)?;
    let reply = answer_email(&index, &email, base_url, max_links).context("finding links")?;
    if let Some(data) = data.filter(|_| reply.links.is_empty() && !reply.topic.is_empty()) {
        let store = Store::open(data).with_context(|| format!("opening {}", data.display()))?;
        store.record_search(&SearchRecord::unanswered_email(reply.lang.as_str(), &reply.topic))?;
    }
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&reply)?),
        Format::Text => print!("{}", reply.text),
        Format::Html => print!("{}", reply.html),
    }
    Ok(ExitCode::SUCCESS)
}
