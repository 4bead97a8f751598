//! The text of a raw message's parts: which part holds the customer's words, and the repairs
//! that real mailers' mistakes need (a multipart never closed, a header naming two content
//! types, HTML sent as plain text, text labelled base64 that is not, UTF-8 labelled US-ASCII, a
//! plain part that only says to read the HTML one).

use std::borrow::Cow;
use std::sync::LazyLock;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Message, MessagePart, MimeHeaders};

use super::constant_pattern;
use super::html::html_to_text;

/// The first of a message's `parts` body parts (of one kind, read by `body`) that holds text: an
/// inline image before the text (multipart/mixed, as some mailers send it) is a body part too,
/// without text.
fn first_with_text<'m>(parts: usize, body: impl Fn(usize) -> Option<Cow<'m, str>>) -> Option<Cow<'m, str>> {
    (0..parts).find_map(|position| body(position).filter(|text| !text.trim().is_empty()))
}

/// How many times a text that holds the parts of a multipart is read again as one
/// ([`without_dumped_parts`]).
const MAX_REREADS: usize = 2;

/// The text of `message`: its text body, else its HTML body as text, else the first text that
/// mail-parser could not place. A multipart that was never closed leaves its parts as unnamed
/// attachments, and a message forwarded as an attachment, with nothing written around it, holds
/// its text in the nested message.
pub(super) fn body_of(message: &Message<'_>) -> String {
    body_read(message, 0)
}

/// [`body_of`], the text read again as a multipart at most [`MAX_REREADS`] − `rereads` times.
fn body_read(message: &Message<'_>, rereads: usize) -> String {
    let mut text = chosen_text(message);
    if looks_like_html(&text) {
        text = html_to_text(&text);
    }
    let text = without_dumped_parts(&text, rereads).unwrap_or(text);
    PLACEHOLDER_LINE.replace_all(&text, "").into_owned()
}

/// The text of `message` as its parts give it ([`body_of`]).
fn chosen_text(message: &Message<'_>) -> String {
    // A message without a text part lists its HTML part as its text body too: mail-parser's
    // conversion of it is replaced by kb's ([`html_to_text`]).
    let text_body = |position: usize| {
        let part = message.text_body.get(position).and_then(|&id| message.part(id))?;
        if part.is_text_html() {
            return part.text_contents().map(|html| Cow::Owned(html_to_text(html)));
        }
        match redecoded(message, part) {
            Some(text) => Some(Cow::Owned(text)),
            None => message.body_text(position),
        }
    };
    let html = || first_with_text(message.html_body.len(), |position| message.body_html(position));
    if let Some(text) = first_with_text(message.text_body.len(), text_body) {
        // A plain part that only says to read the HTML one gives way to it.
        let placeholder = text.len() <= MAX_PLACEHOLDER_CHARS && HTML_ONLY_PLACEHOLDER.is_match(&text);
        let converted = placeholder
            .then(html)
            .flatten()
            .map(|html| html_to_text(&html))
            .filter(|converted| !converted.trim().is_empty());
        return converted.unwrap_or_else(|| text.into_owned());
    }
    if let Some(html) = html() {
        return html_to_text(&html);
    }
    message
        .attachments()
        .filter(|part| part.attachment_name().is_none())
        .map(|part| {
            if let Some(nested) = part.message() {
                return body_of(nested);
            }
            let Some(text) = recovered_text(part).or_else(|| part.text_contents().map(Cow::Borrowed)) else {
                return String::new();
            };
            if part.is_text_html() || part.content_type().and_then(|kind| kind.subtype()) == Some("html") {
                html_to_text(&text)
            } else if part.is_text() {
                text.into_owned()
            } else {
                String::new()
            }
        })
        .find(|text| !text.trim().is_empty())
        .unwrap_or_default()
}

/// The text of `part` as it was written, when mail-parser could not tell where the part ends (a
/// multipart never closed): it then keeps the part's bytes as they came, so the transfer encoding
/// (quoted-printable, base64) and the charset that the part declares are undone here. `None` for
/// any other part, and when the bytes do not decode.
fn recovered_text<'a>(part: &'a MessagePart<'_>) -> Option<Cow<'a, str>> {
    if !part.is_encoding_problem {
        return None;
    }
    let bytes = transfer_decoded(part, part.contents())?;
    let decoder = part
        .content_type()
        .and_then(|kind| kind.attribute("charset"))
        .and_then(|charset| charset_decoder(charset.as_bytes()));
    Some(Cow::Owned(match decoder {
        Some(decode) => decode(&bytes),
        None => String::from_utf8_lossy(&bytes).into_owned(),
    }))
}

/// `raw`, the bytes of `part`'s body, with its quoted-printable or base64 transfer encoding
/// undone; `None` for another encoding, or bytes that do not decode.
fn transfer_decoded<'a>(part: &MessagePart<'_>, raw: &'a [u8]) -> Option<Cow<'a, [u8]>> {
    let encoding = part.content_transfer_encoding()?;
    if encoding.eq_ignore_ascii_case("quoted-printable") {
        quoted_printable_decode(raw).map(Cow::Owned)
    } else if encoding.eq_ignore_ascii_case("base64") {
        base64_decode(raw).map(Cow::Owned)
    } else {
        None
    }
}

/// The text of `part` decoded again from its raw bytes where mail-parser reads it wrong; `None`
/// for any other part:
/// - a part labelled base64 whose body is not base64 ("My printer does not print", words and
///   spaces) was decoded into binary garbage: it is read as the text it is;
/// - a part that declares US-ASCII but is valid UTF-8 with other characters: mail-parser reads
///   US-ASCII as Windows-1252 (a superset that never fails), which turns the "∮" of a mislabelled
///   UTF-8 message into "âˆ®".
fn redecoded(message: &Message<'_>, part: &MessagePart<'_>) -> Option<String> {
    let raw = message
        .raw_message()
        .get(part.raw_body_offset() as usize..part.raw_end_offset() as usize)?;
    let charset = part.content_type().and_then(|kind| kind.attribute("charset"));
    let labelled_base64 = part
        .content_transfer_encoding()
        .is_some_and(|encoding| encoding.eq_ignore_ascii_case("base64"));
    if labelled_base64 && !is_base64(raw) {
        let decode = charset.and_then(|charset| charset_decoder(charset.as_bytes()));
        return Some(match decode {
            Some(decode) => decode(raw),
            None => String::from_utf8_lossy(raw).into_owned(),
        });
    }
    let ascii = charset.is_some_and(|charset| {
        ["us-ascii", "ascii"]
            .iter()
            .any(|ascii| charset.eq_ignore_ascii_case(ascii))
    });
    if !ascii {
        return None;
    }
    let bytes = match part.content_transfer_encoding() {
        None => Cow::Borrowed(raw),
        Some(_) => transfer_decoded(part, raw).unwrap_or(Cow::Borrowed(raw)),
    };
    if bytes.is_ascii() {
        return None;
    }
    String::from_utf8(bytes.into_owned()).ok()
}

/// Whether `raw` can be a base64 body: lines of the base64 alphabet, none with a space inside.
fn is_base64(raw: &[u8]) -> bool {
    raw.split(|&byte| byte == b'\n').all(|line| {
        line.trim_ascii()
            .iter()
            .all(|&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'='))
    })
}

/// The start of an HTML document in what a part calls plain text ("Content-Type: text/html
/// Content-Transfer-Encoding: 8bit" on one line is read as plain text).
static HTML_DOCUMENT: LazyLock<regex::Regex> =
    LazyLock::new(|| constant_pattern(r"(?i)^\s*<(?:!doctype\s+html|html|head|body)[\s>]"));

/// Whether `text` is an HTML document.
pub(super) fn looks_like_html(text: &str) -> bool {
    HTML_DOCUMENT.is_match(text)
}

/// Longest plain part that [`HTML_ONLY_PLACEHOLDER`] is looked for in.
const MAX_PLACEHOLDER_CHARS: usize = 300;

/// A plain part that says the message is to be read in its HTML part ("This is an HTML message.
/// Please use an HTML capable mail program to read this message.").
static HTML_ONLY_PLACEHOLDER: LazyLock<regex::Regex> = LazyLock::new(|| {
    constant_pattern(
        r"(?i)\bhtml[- ]?(?:capable|compatible|enabled|aware)\b|\bthis\s+is\s+an?\s+html\s+(?:message|e-?mail)\b|\b(?:does\s+not|doesn't|cannot|can't|unable\s+to)\s+(?:support|display|read|show)\s+html\b",
    )
});

/// A line that only holds placeholders of inline images ("[cid:3302530593_302033]"), which
/// mailers write into the plain part where the HTML part shows the image.
static PLACEHOLDER_LINE: LazyLock<regex::Regex> =
    LazyLock::new(|| constant_pattern(r"(?m)^[ \t]*(?:\[cid:[^\]\s]+\][ \t]*)+\r?$"));

/// A part of a multipart written out as text, its boundary line above its headers: what
/// mail-parser reads when a header names two content types (`multipart/alternative`, then
/// `text/plain`) and the last one wins.
static DUMPED_PART: LazyLock<regex::Regex> = LazyLock::new(|| {
    constant_pattern(r"(?m)^--([^\s]{1,70})\r?\n(?i:content-(?:type|transfer-encoding|disposition)\s*:)")
});

/// The note that mailers write above the parts of a multipart for readers that cannot read it.
static MIME_PREAMBLE: LazyLock<regex::Regex> = LazyLock::new(|| {
    constant_pattern(
        r"(?i)^\s*this\s+is\s+an?\s+(?:multi-?part\s+message|message\s+with\s+multiple\s+parts|mime[- ]encapsulated\s+message)\b[^\n]*\s*$",
    )
});

/// `text` without the parts of a multipart written out in it ([`DUMPED_PART`]): the words above
/// them, or, when there are none but a [`MIME_PREAMBLE`], the body of the parts read as the
/// multipart they are. `None` when `text` holds no such part.
fn without_dumped_parts(text: &str, rereads: usize) -> Option<String> {
    let dumped = DUMPED_PART.captures(text)?;
    let (whole, boundary) = (dumped.get(0)?, dumped.get(1)?);
    let above = text[..whole.start()].trim_end();
    if !above.trim().is_empty() && !MIME_PREAMBLE.is_match(above) {
        return Some(above.to_string());
    }
    if rereads >= MAX_REREADS {
        return Some(String::new());
    }
    let multipart = format!(
        "Content-Type: multipart/mixed; boundary=\"{}\"\r\n\r\n{}",
        boundary.as_str(),
        &text[whole.start()..]
    );
    let reread = super::parse_message(multipart.as_bytes())
        .map(|message| body_read(&message, rereads + 1))
        .unwrap_or_default();
    Some(reread)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(raw: &[u8]) -> String {
        body_of(&super::super::parse_message(raw).unwrap())
    }

    #[test]
    fn a_header_naming_two_content_types_leaves_no_parts_in_the_text() {
        // The multipart's own content type comes first, "text/plain" last: mail-parser reads the
        // whole multipart as text.
        let top = b"Subject: x\r\nContent-Type: multipart/alternative; boundary=\"----_001\"\r\nContent-type: text/plain\r\n\r\n\
            This is a multi-part message in MIME format.\r\n\r\n------_001\r\nContent-Type: text/plain;\r\n\tcharset=\"utf-8\"\r\n\r\n\
            Where is my refund?\r\n\r\n------_001\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n<p>Where is my refund?</p>\r\n\r\n------_001--\r\n";
        assert_eq!(body(top).trim(), "Where is my refund?");
        // A nested part with two: its text comes first, then the dumped HTML alternative.
        let nested = b"Subject: x\r\nContent-Type: multipart/related; boundary=\"--related\"\r\n\r\n\
            ----related\r\nContent-Type: multipart/alternative; boundary=\"--alternative\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n\
            Plain Text\r\n\r\n----alternative\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<html><body>HTML Body</body></html>\r\n\r\n----alternative\r\n\r\n\
            ----related\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n----related--\r\n";
        assert_eq!(body(nested).trim(), "Plain Text");
    }

    #[test]
    fn html_sent_as_plain_text_is_read_as_html() {
        let raw = b"Subject: x\r\nContent-Type: text/html Content-Transfer-Encoding: 8bit\r\n\r\n\
            <html>\r\n<body><p>Dear member,</p><p>please update your account.</p></body></html>\r\n";
        assert_eq!(body(raw), "Dear member,\nplease update your account.");
        // Plain text that mentions a tag stays as it is.
        let plain = b"Subject: x\r\nContent-Type: text/plain\r\n\r\nWhy does my invoice show <b> tags?\r\n";
        assert_eq!(body(plain).trim(), "Why does my invoice show <b> tags?");
    }

    #[test]
    fn utf8_labelled_us_ascii_is_read_as_utf8() {
        let raw = b"Subject: x\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
            Warum wurde mir das Geb\xc3\xbchr berechnet?\r\n";
        assert_eq!(body(raw).trim(), "Warum wurde mir das Gebühr berechnet?");
        let quoted = b"Subject: x\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
            Geb=C3=BChr?\r\n";
        assert_eq!(body(quoted).trim(), "Gebühr?");
        // Windows-1252 labelled US-ASCII is not UTF-8: read as before.
        let latin = b"Subject: x\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nGeb\xfchr\r\n";
        assert_eq!(body(latin).trim(), "Gebühr");
    }

    #[test]
    fn text_labelled_base64_that_is_not_base64_is_read_as_text() {
        let raw = b"Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
            My printer does not print anymore since the update\r\n";
        assert_eq!(
            body(raw).trim(),
            "My printer does not print anymore since the update"
        );
        let encoded = b"Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
            TXkgcHJpbnRlciBkb2VzIG5vdCB3b3JrLg==\r\n";
        assert_eq!(body(encoded).trim(), "My printer does not work.");
    }

    #[test]
    fn a_plain_part_that_points_to_the_html_part_gives_way_to_it() {
        let raw = b"Subject: x\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\nThis is an HTML message. Please use an HTML capable mail program to read\r\nthis message.\r\n\
            --b\r\nContent-Type: text/html\r\n\r\n<p>Hello,</p><p>how do I cancel my plan?</p>\r\n--b--\r\n";
        assert_eq!(body(raw), "Hello,\nhow do I cancel my plan?");
    }

    #[test]
    fn placeholders_of_inline_images_are_left_out() {
        let raw = b"Subject: x\r\nContent-Type: text/plain\r\n\r\n[cid:3302530593_302033]\r\n\r\nSee the screenshot: [cid:a1] the total is wrong.\r\n[cid:a2] [cid:a3]\r\n";
        assert_eq!(
            body(raw).trim(),
            "See the screenshot: [cid:a1] the total is wrong."
        );
    }
}
