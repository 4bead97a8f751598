//! Support e-mails → the customer's question. Raw RFC 5322 messages (mail-parser: every charset
//! and transfer encoding, RFC 2047 subjects, multipart, nested messages) and the fields that
//! inbound-mail webhooks post (Mailgun, Postmark, SendGrid, Mandrill, SparkPost, CloudMailin)
//! become an [`Email`]: subject, question text without quoted history and signature, and the
//! sender's language hint.

mod body;
mod html;
mod question;
mod strip;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Message, MessageParser, MimeHeaders};
use serde_json::Value;

use body::body_of;
use html::html_to_text;
pub use question::{is_question, sentences, strip_courtesy, subject_topic};
pub use strip::{strip_quotes, strip_signature};

/// A regular expression written in the source; an invalid one is a bug, found by the first test.
fn constant_pattern(pattern: impl AsRef<str>) -> regex::Regex {
    let pattern = pattern.as_ref();
    regex::Regex::new(pattern).unwrap_or_else(|error| panic!("invalid constant pattern {pattern:?}: {error}"))
}

/// An encoded byte of quoted-printable text ("=C3=A9" is "é").
static QUOTED_PRINTABLE_BYTE: LazyLock<regex::Regex> = LazyLock::new(|| constant_pattern(r"=[0-9A-F]{2}"));

/// `body` decoded from quoted-printable when it was posted still encoded: a relay or webhook that
/// passes the part's bytes on without their transfer encoding. Text that has both soft line
/// breaks (a line ending in `=`) and encoded bytes is taken as such; no one writes "=C3=A9".
fn decode_stray_quoted_printable(body: &str) -> Cow<'_, str> {
    let soft_breaks = body.lines().any(|line| line.ends_with('='));
    if !soft_breaks || !QUOTED_PRINTABLE_BYTE.is_match(body) {
        return Cow::Borrowed(body);
    }
    match quoted_printable_decode(body.as_bytes()) {
        Some(decoded) => Cow::Owned(String::from_utf8_lossy(&decoded).into_owned()),
        None => Cow::Borrowed(body),
    }
}

/// Largest message accepted by default: 1 MiB.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// A support e-mail reduced to what matters for finding articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Email {
    /// The subject, decoded.
    pub subject: String,
    /// The new text of the message: quoted history and signature removed.
    pub text: String,
    /// A language the sender declared (`lang` field of the JSON intake).
    pub lang: Option<String>,
    /// Who sent it (`From`: name and address), only to keep their name out of what kb records.
    pub sender: String,
    /// Whether a program sent the message or no one would read an answer (see
    /// [`sent_by_a_program`] and [`asks_not_to_be_answered`]): an out-of-office notice, a
    /// newsletter, a bounce, a notification from a no-reply address. An automatic reply must not
    /// answer it.
    pub automatic: bool,
}

impl Email {
    /// Subject and text together, for language detection.
    pub fn all_text(&self) -> String {
        format!("{}\n{}", self.subject, self.text)
    }
}

/// Why input is not an e-mail kb can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Larger than the limit.
    #[error("the message is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Not a message at all (no headers, no subject and no text).
    #[error("not an e-mail message: {0}")]
    NotAMessage(String),
}

/// `bytes` parsed by mail-parser; `None` when they hold no message. mail-parser checks an
/// invariant of its own with a debug assertion that a malformed multipart breaks (a part
/// `message/rfc822` right after a boundary without a line break, found by fuzzing the intake):
/// the release build reads on, a debug build would panic. Caught, so that no build panics on
/// input.
fn parse_message(bytes: &[u8]) -> Option<Message<'_>> {
    match padded_short_time_zone(bytes) {
        Some(padded) => parse_caught(&padded).map(Message::into_owned),
        None => parse_caught(bytes),
    }
}

/// mail-parser's parse of `bytes`, its panic caught ([`parse_message`]).
fn parse_caught(bytes: &[u8]) -> Option<Message<'_>> {
    std::panic::catch_unwind(|| MessageParser::default().parse(bytes))
        .ok()
        .flatten()
}

/// A `Date` header of the top header block that ends in a time zone of one or two letters
/// ("… 14:35:28 UT", "… Z"), up to its line end.
static SHORT_TIME_ZONE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"(?mi)^date:[^\r\n]*\s[a-z]{1,2}(?:\r?\n)")
        .unwrap_or_else(|error| panic!("invalid constant pattern: {error}"))
});

/// `bytes` with two spaces after a `Date` header's time zone of one or two letters; `None` when it
/// has none. mail-parser reads a named zone as three bytes whatever follows ("UT" and the line
/// break, "Z", the line break and the next byte), so the header's line break is lost and the next
/// line is read as part of the date: the subject, a `Content-Transfer-Encoding` or the blank line
/// before the body disappeared (mikel/mail's fixtures date mail "UT").
fn padded_short_time_zone(bytes: &[u8]) -> Option<Vec<u8>> {
    let headers_end = [&b"\r\n\r\n"[..], b"\n\n"]
        .iter()
        .filter_map(|blank| bytes.windows(blank.len()).position(|window| window == *blank))
        .min()
        .unwrap_or(bytes.len());
    // The header block with the line break that ends its last line.
    let found = SHORT_TIME_ZONE.find(&bytes[..(headers_end + 2).min(bytes.len())])?;
    let line_end = found.end()
        - if bytes[..found.end()].ends_with(b"\r\n") {
            2
        } else {
            1
        };
    let mut padded = Vec::with_capacity(bytes.len() + 2);
    padded.extend_from_slice(&bytes[..line_end]);
    padded.extend_from_slice(b"  ");
    padded.extend_from_slice(&bytes[line_end..]);
    Some(padded)
}

/// Reads a raw RFC 5322 message. Never panics; input without headers or without any subject
/// or text is refused.
pub fn parse_raw(bytes: &[u8]) -> Result<Email, MailError> {
    let message =
        parse_message(bytes).ok_or_else(|| MailError::NotAMessage("no message headers found".into()))?;
    let subject = message.subject().unwrap_or_default().trim().to_string();
    let sender = message
        .from()
        .and_then(|from| from.first())
        .map(|from| {
            format!(
                "{} {}",
                from.name().unwrap_or_default(),
                from.address().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let mut email = finish(subject, &body_of(&message), None, sender)?;
    email.automatic |= sent_by_a_program(&message);
    Ok(email)
}

/// Reads the JSON intake: kb's own `{"subject", "text", "html", "from", "lang"}` or the fields of
/// Mailgun, Postmark, SendGrid (`email` holding the raw message), CloudMailin (its `headers`
/// object read as the form fields `headers[…]`), and the event arrays of Mandrill (`msg`) and
/// SparkPost's relay webhook (`msys.relay_message.content`).
pub fn parse_json(value: &Value) -> Result<Email, MailError> {
    let object = match value {
        Value::Array(events) => events
            .first()
            .and_then(|event| {
                event
                    .get("msg")
                    .or_else(|| event.pointer("/msys/relay_message/content"))
            })
            .ok_or_else(|| MailError::NotAMessage("an empty or unknown JSON array".into()))?,
        other => other,
    };
    let Value::Object(map) = object else {
        return Err(MailError::NotAMessage("the JSON body is not an object".into()));
    };
    let text_fields = |map: &serde_json::Map<String, Value>| -> Vec<(String, String)> {
        map.iter()
            .filter_map(|(key, value)| value.as_str().map(|text| (key.clone(), text.to_string())))
            .collect()
    };
    let mut fields: HashMap<String, String> = text_fields(map).into_iter().collect();
    if let Some(Value::Object(headers)) = map.get("headers") {
        for (name, value) in text_fields(headers) {
            fields.insert(format!("headers[{name}]"), value);
        }
    }
    parse_fields(&fields)
}

/// Reads a webhook's form post, whose fields come as bytes. SendGrid's Inbound Parse posts each
/// text field in the message's own charset and names the charsets in a `charsets` field (JSON:
/// `{"text": "iso-8859-1", "subject": "UTF-8"}`); any other field is read as UTF-8.
pub fn parse_form(fields: &HashMap<String, Vec<u8>>) -> Result<Email, MailError> {
    let charsets: HashMap<String, String> = fields
        .get("charsets")
        .and_then(|charsets| serde_json::from_slice(charsets).ok())
        .unwrap_or_default();
    let fields: HashMap<String, String> = fields
        .iter()
        .map(|(name, bytes)| {
            let decoder = charsets
                .get(name)
                .and_then(|charset| charset_decoder(charset.as_bytes()));
            let text = match decoder {
                Some(decode) => decode(bytes),
                None => String::from_utf8_lossy(bytes).into_owned(),
            };
            (name.clone(), text)
        })
        .collect();
    parse_fields(&fields)
}

/// Reads webhook form fields (multipart/form-data or JSON object members). Mandrill posts its
/// events as one form field of JSON, `mandrill_events`.
pub fn parse_fields(fields: &HashMap<String, String>) -> Result<Email, MailError> {
    if let Some(events) = fields.get("mandrill_events") {
        let events: Value = serde_json::from_str(events)
            .map_err(|error| MailError::NotAMessage(format!("`mandrill_events` is not JSON: {error}")))?;
        return parse_json(&events);
    }
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| fields.get(*name).filter(|value| !value.trim().is_empty()))
            .cloned()
    };
    let lang = field(&["lang"]);
    let sender = [
        "from",
        "From",
        "FromName",
        "sender",
        "from_name",
        "from_email",
        "headers[from]",
        "headers[From]",
    ]
    .iter()
    .filter_map(|name| fields.get(*name))
    .cloned()
    .collect::<Vec<_>>()
    .join(" ");
    // The raw message: SendGrid's `email`, Mandrill's `raw_msg` (whose `email` is the address
    // it was sent to: a message has header lines, an address none), Mailgun's `body-mime` (a
    // route that forwards MIME) and SparkPost's `email_rfc822`.
    if let Some(raw) =
        field(&["raw_msg", "email", "body-mime", "email_rfc822"]).filter(|raw| raw.trim().contains('\n'))
    {
        let mut email = parse_raw(raw.as_bytes())?;
        email.lang = lang;
        return Ok(email);
    }
    // Where an answer would go: the reply address the webhook passes on, else the sender.
    let answer_to = field(&["reply_to", "ReplyTo", "Reply-To"])
        .or_else(|| field(&["from_email", "from", "From", "sender"]));
    let subject = field(&["subject", "Subject", "headers[subject]", "headers[Subject]"]).unwrap_or_default();
    let text = field(&[
        "stripped-text",
        "StrippedTextReply",
        "reply_plain",
        "text",
        "TextBody",
        "body-plain",
        "plain",
    ]);
    let html = field(&["stripped-html", "html", "HtmlBody", "body-html"]);
    let body = match (text, html) {
        // A form that posts an HTML document as the text (a mailer's HTML-only message).
        (Some(text), _) if body::looks_like_html(&text) => html_to_text(&text),
        (Some(text), _) => text,
        (None, Some(html)) => html_to_text(&html),
        (None, None) => String::new(),
    };
    let mut email = finish(subject.trim().to_string(), &body, lang, sender)?;
    email.automatic |= answer_to.is_some_and(|address| no_one_reads(&address));
    Ok(email)
}

fn finish(subject: String, body: &str, lang: Option<String>, sender: String) -> Result<Email, MailError> {
    // A message whose text is all quote or signature is still a message (with nothing new to
    // answer), not a bad request.
    if subject.is_empty() && body.trim().is_empty() {
        return Err(MailError::NotAMessage(
            "it has neither a subject nor any text".into(),
        ));
    }
    let body = decode_stray_quoted_printable(body);
    let text = strip_signature(&strip_quotes(&body), &sender);
    let automatic = asks_not_to_be_answered(&text);
    Ok(Email {
        subject,
        text,
        lang,
        sender,
        automatic,
    })
}

/// Whether the headers of `message` say a program sent it, or that no one reads the address an
/// answer would go to:
/// - RFC 3834 (automatic responses): `Auto-Submitted` other than `no`; `Precedence: bulk`,
///   `junk` or `auto_reply`; the older out-of-office markers `X-Autoreply` and `X-Autorespond`;
/// - a null `Return-Path` (`<>`): RFC 5321 §4.5.5 sends delivery and read notifications that way,
///   and RFC 3834 §2 forbids answering them;
/// - a report (`multipart/report`, RFC 6522): a bounce or read receipt;
/// - an answer that would go to a no-reply, MAILER-DAEMON, `owner-…` or `…-request` address
///   ([`NO_ONE_READS`]): `Reply-To` when there is one, else `From`. A contact form that sends from
///   `noreply@` with the customer in `Reply-To` is answered.
///
/// `Precedence: list` is not enough: a support address behind a mailing list gets it on every
/// customer's message.
fn sent_by_a_program(message: &Message<'_>) -> bool {
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|value| value.trim().to_ascii_lowercase())
    };
    let auto_submitted = header("Auto-Submitted").is_some_and(|value| !value.starts_with("no"));
    let precedence = header("Precedence").is_some_and(|value| {
        ["bulk", "junk", "auto_reply"]
            .iter()
            .any(|kind| value.starts_with(kind))
    });
    let null_return_path = header("Return-Path").is_some_and(|value| value.replace(' ', "") == "<>");
    let report = message.content_type().is_some_and(|kind| {
        kind.ctype().eq_ignore_ascii_case("multipart")
            && kind
                .subtype()
                .is_some_and(|subtype| subtype.eq_ignore_ascii_case("report"))
    });
    let answer_to = message
        .reply_to()
        .or_else(|| message.from())
        .and_then(|addresses| addresses.first())
        .and_then(|address| address.address());
    auto_submitted
        || precedence
        || header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || null_return_path
        || report
        || answer_to.is_some_and(no_one_reads)
}

/// Mailboxes that no one reads, by their local part: no-reply addresses in their usual spellings
/// (`noreply`, `no-reply`, `do-not-reply`, also within a longer name: `notifications-noreply`),
/// `MAILER-DAEMON`, and the list-manager addresses RFC 3834 §2 names (`owner-…`, `…-request`).
static NO_ONE_READS: LazyLock<regex::Regex> = LazyLock::new(|| {
    constant_pattern(
        r"(?i)^(?:.*[-_.+])?(?:no|do[-_.]?not|dont)[-_.]?reply(?:[-_.+].*)?$|^mailer[-_.]?daemon$|^owner-|-request$",
    )
});

/// Whether `address` (`local@domain`, or a name with the address in angle brackets) is a mailbox
/// that no one reads ([`NO_ONE_READS`]).
fn no_one_reads(address: &str) -> bool {
    let address = match (address.rfind('<'), address.rfind('>')) {
        (Some(open), Some(close)) if open < close => &address[open + 1..close],
        _ => address,
    };
    let local = address.trim().rsplit_once('@').map_or("", |(local, _)| local);
    !local.is_empty() && NO_ONE_READS.is_match(local)
}

/// A sentence that asks not to be answered, in the languages whose mail kb cuts (en, de, fr, es,
/// nl): "Please do not reply to this email", "This is an automated message", "Bitte antworten Sie
/// nicht auf diese E-Mail", "Ne répondez pas à ce message", "No responda a este correo", "Dit is
/// een automatisch gegenereerd bericht". Notifications say it; a customer asking support never does.
static DO_NOT_REPLY: LazyLock<regex::Regex> = LazyLock::new(|| {
    constant_pattern(
        r"(?xi)
        (?:do\s+not|don['’]t)\s+(?:reply|respond)\s+to\s+this\s+(?:e-?mail|message|notification|address)
        | this\s+(?:is\s+an?\s+)?(?:automated|automatically\s+generated|auto-generated|system-generated)\s+(?:e-?mail|message|notification)
        | this\s+(?:e-?mail|message)\s+(?:was|has\s+been|is)\s+(?:sent|generated)\s+automatically
        | antworten\s+sie\s+nicht\s+auf\s+diese
        | (?:e-?mail|nachricht)\s+wurde\s+automatisch\s+(?:erstellt|generiert|versandt|versendet|verschickt)
        | automatisch\s+(?:erstellte|generierte|versandte)\s+(?:e-?mail|nachricht)
        | ne\s+(?:pas\s+)?r[ée]pond(?:ez|re)\s+(?:pas\s+)?[àa]\s+(?:ce|cet)\s+(?:e-?mail|courriel|message)
        | (?:ce|cet)\s+(?:e-?mail|courriel|message)\s+(?:a\s+[ée]t[ée]|est)\s+(?:envoy[ée]|g[ée]n[ée]r[ée])\s+automatiquement
        | no\s+respond[ae]s?\s+a\s+este\s+(?:correo|mensaje|e-?mail)
        | este\s+(?:correo|mensaje)\s+(?:ha\s+sido|fue|se\s+ha)\s+(?:generado|enviado)\s+autom[áa]ticamente
        | (?:reageer|antwoord)\s+niet\s+op\s+(?:deze|dit)\s+(?:e-?mail|mail|bericht)
        | beantwoord\s+(?:deze|dit)\s+(?:e-?mail|mail|bericht)\s+niet
        | automatisch\s+(?:gegenereerd|verzonden|verstuurd)e?\s+(?:e-?mail|mail|bericht)
        ",
    )
});

/// Whether the customer's new `text` asks not to be answered ([`DO_NOT_REPLY`]): a notification
/// that nothing marks in its headers (a survey invitation, a shipping notice).
fn asks_not_to_be_answered(text: &str) -> bool {
    DO_NOT_REPLY.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_in_a_time_zone_of_one_or_two_letters_loses_no_header() {
        let subject = b"Date: Tue, 22 Jan 2002 14:35:28 UT\nSubject: Printer broken\nFrom: a@b.c\n\nMy printer does not print.\n";
        assert_eq!(parse_raw(subject).unwrap().subject, "Printer broken");
        let last = b"Subject: Printer broken\r\nDate: Tue, 22 Jan 2002 14:35:28 Z\r\n\r\nMy printer does not print.\r\n";
        assert_eq!(parse_raw(last).unwrap().text, "My printer does not print.");
        let encoding = b"Subject: Printer\nDate: Tue, 22 Jan 2002 14:35:28 UT\nContent-Transfer-Encoding: base64\n\nTXkgcHJpbnRlciBkb2VzIG5vdCB3b3JrLg==\n";
        assert_eq!(parse_raw(encoding).unwrap().text, "My printer does not work.");
        // A zone of three letters or digits is read as it is.
        assert!(padded_short_time_zone(b"Date: Tue, 22 Jan 2002 14:35:28 GMT\nSubject: x\n\ny").is_none());
        assert!(padded_short_time_zone(b"Subject: x\n\nDate: 22 Jan UT\nbody").is_none());
    }

    #[test]
    fn a_message_that_breaks_mail_parsers_own_checks_is_read_without_panicking() {
        // Found by `cargo fuzz run intake`: mail-parser's debug assertion "Invalid part ID, could
        // not find multipart." fails on it, so a debug build (this test's) panicked.
        let raw = b"d\nContent-Type:multipart;boundary=b5\n\n--b5Content-Type:message/rfc822\n\n5\nContent-Type:message/rfc822\n\n\n--b5--";
        assert!(parse_raw(raw).is_err());
    }

    #[test]
    fn raw_messages_are_decoded_and_stripped() {
        let raw = b"From: a@example.com\r\nSubject: =?utf-8?q?R=C3=BCckerstattung?=\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nWo bleibt meine R=FCckerstattung?\r\n\r\nAm 1.1.2024 schrieb Support <s@example.com>:\r\n> alt\r\n";
        let email = parse_raw(raw).unwrap();
        assert_eq!(email.subject, "Rückerstattung");
        assert_eq!(email.text, "Wo bleibt meine Rückerstattung?");
    }

    #[test]
    fn the_text_after_an_inline_image_is_the_body() {
        let raw = b"Subject: Photo\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
            --b\r\nContent-Type: image/png; name=a.png\r\nContent-Disposition: inline; filename=a.png\r\n\
            Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
            --b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n\
            --c\r\nContent-Type: text/plain\r\n\r\nWhere is my refund?\r\n\
            --c\r\nContent-Type: text/html\r\n\r\n<p>Where is my refund?</p>\r\n--c--\r\n--b--\r\n";
        assert_eq!(parse_raw(raw).unwrap().text, "Where is my refund?");
    }

    #[test]
    fn a_message_with_nothing_new_is_a_message_with_no_text() {
        // A reply that only quotes, or holds only a signature: nothing to answer, no bad input.
        for text in [
            "--\n202-555-1212",
            "On Mon, Jan 1, 2024 at 10:00 AM Bob <bob@example.com> wrote:\n> Where is my refund?",
        ] {
            let email = parse_json(&serde_json::json!({ "text": text })).expect(text);
            assert_eq!(email.text, "", "{text}");
        }
    }

    #[test]
    fn a_message_sent_by_a_program_says_so() {
        let message = |header: &str| {
            let raw =
                format!("From: a@example.com\r\n{header}Subject: Away\r\n\r\nI am out of the office.\r\n");
            parse_raw(raw.as_bytes()).map(|email| email.automatic)
        };
        assert_eq!(message(""), Ok(false));
        assert_eq!(message("Auto-Submitted: no\r\n"), Ok(false));
        assert_eq!(message("Precedence: list\r\n"), Ok(false));
        assert_eq!(message("Auto-Submitted: auto-replied\r\n"), Ok(true));
        assert_eq!(message("Precedence: bulk\r\n"), Ok(true));
        assert_eq!(message("X-Autoreply: yes\r\n"), Ok(true));
        // A delivery notification: sent from the null address, as a report.
        assert_eq!(message("Return-Path: <>\r\n"), Ok(true));
        assert_eq!(message("Return-Path: <a@example.com>\r\n"), Ok(false));
        assert_eq!(
            message("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n"),
            Ok(true)
        );
    }

    #[test]
    fn an_answer_to_an_address_no_one_reads_is_not_sent() {
        let message = |headers: &str| {
            let raw = format!("{headers}Subject: Your order\r\n\r\nYour order has shipped.\r\n");
            parse_raw(raw.as_bytes()).map(|email| email.automatic)
        };
        assert_eq!(message("From: Shop <no-reply@shop.example>\r\n"), Ok(true));
        assert_eq!(message("From: MAILER-DAEMON@mx.example\r\n"), Ok(true));
        // A contact form sends from its no-reply address, with the customer to answer.
        assert_eq!(
            message("From: noreply@site.example\r\nReply-To: Maria <maria@example.com>\r\n"),
            Ok(false)
        );
        assert_eq!(message("From: Maria <maria@example.com>\r\n"), Ok(false));

        for address in [
            "noreply@example.com",
            "No_Reply@example.com",
            "do-not-reply@example.com",
            "DoNotReply@example.com",
            "notifications-noreply@example.com",
            "noreply+abc@example.com",
            "Mail Delivery System <mailer-daemon@example.com>",
            "owner-list@example.com",
            "list-request@example.com",
        ] {
            assert!(no_one_reads(address), "{address}");
        }
        for address in [
            "norepl@example.com",
            "replyto@example.com",
            "renoreply@example.com",
            "noreply",
            "",
        ] {
            assert!(!no_one_reads(address), "{address}");
        }

        let posted = |fields: &[(&str, &str)]| {
            let fields = fields
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect();
            parse_fields(&fields).map(|email| email.automatic)
        };
        assert_eq!(
            posted(&[("from", "no-reply@shop.example"), ("text", "Shipped.")]),
            Ok(true)
        );
        assert_eq!(
            posted(&[
                ("From", "noreply@site.example"),
                ("ReplyTo", "maria@example.com"),
                ("TextBody", "Hi")
            ]),
            Ok(false)
        );
    }

    #[test]
    fn a_message_that_asks_not_to_be_answered_is_not() {
        for text in [
            "You have a survey waiting! Please do not reply to this email.",
            "This is an automated message from Example Bank.",
            "This email was sent automatically.",
            "Bitte antworten Sie nicht auf diese E-Mail.",
            "Diese E-Mail wurde automatisch erstellt.",
            "Merci de ne pas répondre à ce message.",
            "Ce courriel a été envoyé automatiquement.",
            "Por favor, no responda a este correo.",
            "Reageer niet op deze e-mail.",
            "Dit is een automatisch gegenereerd bericht.",
        ] {
            assert!(asks_not_to_be_answered(text), "{text}");
        }
        for text in [
            "How do I reply to a customer from the app?",
            "I did not get a reply to my email about the refund.",
            "Why was this message sent to me?",
            "Wie antworte ich automatisch auf E-Mails?",
        ] {
            assert!(!asks_not_to_be_answered(text), "{text}");
        }
    }

    #[test]
    fn text_posted_still_quoted_printable_is_decoded() {
        let fields = HashMap::from([(
            "text".to_string(),
            "Wo bleibt meine R=C3=BCckerstattung? Ich habe vor zwei Wochen storniert und =\nwarte noch.\n"
                .to_string(),
        )]);
        let email = parse_fields(&fields).unwrap();
        assert_eq!(
            email.text,
            "Wo bleibt meine Rückerstattung? Ich habe vor zwei Wochen storniert und warte noch."
        );
        let code = "Set x =\n5 and y = 6, then =C3 is shown.".to_string();
        let fields = HashMap::from([("text".to_string(), code.clone())]);
        assert_eq!(
            parse_fields(&fields).unwrap().text,
            code,
            "not quoted-printable: '= ' cannot be decoded"
        );
    }

    #[test]
    fn junk_is_not_a_message() {
        assert!(parse_raw(b"").is_err());
        assert!(parse_json(&serde_json::json!({"text": " \n"})).is_err());
        assert!(parse_json(&serde_json::json!(42)).is_err());
        assert!(parse_json(&serde_json::json!({"from": "x@example.com"})).is_err());
    }

    #[test]
    fn a_sendgrid_form_is_read_in_the_charsets_it_names() {
        let fields = HashMap::from([
            ("subject".to_string(), b"R\xfcckerstattung".to_vec()),
            ("text".to_string(), b"Wo bleibt meine R\xfcckerstattung?".to_vec()),
            (
                "charsets".to_string(),
                br#"{"subject": "iso-8859-1", "text": "iso-8859-1"}"#.to_vec(),
            ),
        ]);
        let email = parse_form(&fields).unwrap();
        assert_eq!(email.subject, "Rückerstattung");
        assert_eq!(email.text, "Wo bleibt meine Rückerstattung?");
        // Without `charsets`, UTF-8.
        let utf8 = HashMap::from([(
            "text".to_string(),
            "Wo bleibt meine Rückerstattung?".as_bytes().to_vec(),
        )]);
        assert_eq!(parse_form(&utf8).unwrap().text, "Wo bleibt meine Rückerstattung?");
    }

    #[test]
    fn an_html_document_posted_as_the_text_is_read_as_html() {
        let posted = serde_json::json!({"subject": "Refund", "text": "<html><body><p>Where is my refund?</p></body></html>"});
        assert_eq!(parse_json(&posted).unwrap().text, "Where is my refund?");
    }

    #[test]
    fn webhook_fields_of_each_provider_are_read() {
        let mailgun = serde_json::json!({"subject": "Refund", "body-plain": "Where is my refund?\n> old", "stripped-text": "Where is my refund?"});
        assert_eq!(parse_json(&mailgun).unwrap().text, "Where is my refund?");
        let postmark = serde_json::json!({"Subject": "Refund", "TextBody": "Where is my refund?\n\nOn Mon, X wrote:\n> old"});
        assert_eq!(parse_json(&postmark).unwrap().text, "Where is my refund?");
        let sendgrid = serde_json::json!({"email": "Subject: Refund\r\n\r\nWhere is my refund?\r\n"});
        assert_eq!(parse_json(&sendgrid).unwrap().subject, "Refund");
        let mandrill = serde_json::json!([{"event": "inbound", "msg": {
            "raw_msg": "Subject: Refund\r\n\r\nWhere is my refund?\r\n",
            "email": "support@example.com", "subject": "Refund", "text": "Where is my refund?\n"}}]);
        assert_eq!(parse_json(&mandrill).unwrap().text, "Where is my refund?");
        // Without the raw message, the address in `email` is no message: the text fields are read.
        let mandrill_fields = serde_json::json!({"email": "support@example.com", "subject": "Refund", "text": "Where is my refund?"});
        assert_eq!(parse_json(&mandrill_fields).unwrap().text, "Where is my refund?");
        let html_only = serde_json::json!({"subject": "x", "html": "<p>Where is <b>my</b> refund?</p>"});
        assert_eq!(parse_json(&html_only).unwrap().text, "Where is my refund?");
        // Mandrill's real post: a form whose one field holds the events as JSON.
        let mandrill_form = HashMap::from([("mandrill_events".to_string(), mandrill.to_string())]);
        assert_eq!(parse_fields(&mandrill_form).unwrap().text, "Where is my refund?");
        let not_json = HashMap::from([("mandrill_events".to_string(), "[{".to_string())]);
        assert!(matches!(parse_fields(&not_json), Err(MailError::NotAMessage(_))));
        let mailgun_mime = HashMap::from([(
            "body-mime".to_string(),
            "Subject: Refund\r\n\r\nWhere is my refund?\r\n".to_string(),
        )]);
        assert_eq!(parse_fields(&mailgun_mime).unwrap().subject, "Refund");
        let sparkpost = serde_json::json!([{"msys": {"relay_message": {"content": {
            "subject": "Refund", "text": "Where is my refund?\n\nOn Mon, X wrote:\n> old",
            "email_rfc822": "Subject: Refund\r\n\r\nWhere is my refund?\r\n"}}}}]);
        let email = parse_json(&sparkpost).unwrap();
        assert_eq!(
            (email.subject.as_str(), email.text.as_str()),
            ("Refund", "Where is my refund?")
        );
        // CloudMailin: the subject among the headers, the reply without its quote in `reply_plain`.
        let cloudmailin = serde_json::json!({"headers": {"subject": "Refund", "from": "jo@example.com"},
            "plain": "Where is my refund?\n\nOn Mon, X wrote:\n> old", "reply_plain": "Where is my refund?"});
        let email = parse_json(&cloudmailin).unwrap();
        assert_eq!(
            (email.subject.as_str(), email.text.as_str()),
            ("Refund", "Where is my refund?")
        );
        let cloudmailin_form = HashMap::from([
            ("headers[Subject]".to_string(), "Refund".to_string()),
            ("plain".to_string(), "Where is my refund?".to_string()),
        ]);
        let email = parse_fields(&cloudmailin_form).unwrap();
        assert_eq!(
            (email.subject.as_str(), email.text.as_str()),
            ("Refund", "Where is my refund?")
        );
    }
}
