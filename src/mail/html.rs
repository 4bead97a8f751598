//! HTML mail as the plain text that the quote and signature stripping reads line by line: every
//! block (a `<div>` line of Gmail, a `<p>` of Outlook, a list item, a table row, a rule) on lines
//! of its own, and the text of a `<blockquote>` (the message replied to) as `> ` lines.
//! mail-parser's converter breaks lines only at `<br>` and `</p>`, so that a Gmail reply's
//! `<div>` lines, or an Outlook reply's header block after its `<hr>`, ran into the question;
//! html2text lays tables out as grids and wraps lines. Built on html5ever's tokenizer, which
//! decodes character references and never recurses, whatever the nesting.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult,
    Tokenizer, TokenizerOpts,
};

/// Elements that begin and end lines of their own.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// The class or id that mailers give the element holding the sender's signature (Gmail,
/// Thunderbird, Apple Mail, Outlook): it begins with a `--` line, as the signature of a
/// plain-text part does.
const SIGNATURE_MARKERS: &[&str] = &[
    "gmail_signature",
    "moz-signature",
    "AppleMailSignature",
    "Signature",
];

/// Elements whose content is not text a reader sees.
const UNSEEN: &[&str] = &["head", "script", "style", "template", "title"];

/// The text of the HTML document or fragment `html`.
pub(super) fn html_to_text(html: &str) -> String {
    let tokenizer = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never asks the tokenizer to stop for a script, so one feed reads the whole input.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.text.take().finish()
}

/// Receives the tokens and writes the text.
#[derive(Default)]
struct TextSink {
    text: RefCell<Text>,
}

/// The text written so far, and where the tokens are.
#[derive(Default)]
struct Text {
    out: String,
    /// Whether the current line holds text yet.
    line_started: bool,
    /// Whether a space is owed before the next text on the line.
    space_owed: bool,
    /// Open `<blockquote>` elements.
    quote_depth: usize,
    /// Open `<pre>` elements: their whitespace is kept.
    pre_depth: usize,
    /// Open elements whose content is not shown ([`UNSEEN`]).
    unseen_depth: usize,
}

impl Text {
    /// Ends the current line, if it holds text.
    fn end_line(&mut self) {
        if self.line_started {
            self.out.push('\n');
            self.line_started = false;
        }
        self.space_owed = false;
    }

    /// Writes a line break, even after an empty line (`<br>`).
    fn line_break(&mut self) {
        self.out.push('\n');
        self.line_started = false;
        self.space_owed = false;
    }

    /// Writes `characters` of the document as the reader sees them: runs of whitespace are one
    /// space, but in preformatted text.
    fn write(&mut self, characters: &str) {
        if self.unseen_depth > 0 {
            return;
        }
        for c in characters.chars() {
            let preformatted = self.pre_depth > 0;
            if preformatted && c == '\n' {
                self.line_break();
            } else if !preformatted && c.is_whitespace() {
                self.space_owed |= self.line_started;
            } else {
                if !self.line_started && self.quote_depth > 0 {
                    self.out.push_str("> ");
                }
                if self.space_owed {
                    self.out.push(' ');
                }
                self.out.push(c);
                self.line_started = true;
                self.space_owed = false;
            }
        }
    }

    /// Follows the tag: lines, quotes, list items, and what is not shown.
    fn tag(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        if UNSEEN.contains(&name) {
            self.unseen_depth = nested(self.unseen_depth, tag);
        }
        if self.unseen_depth > 0 || UNSEEN.contains(&name) {
            return;
        }
        if tag.kind == StartTag && holds_signature(tag) {
            self.end_line();
            self.write("--");
            self.end_line();
        }
        match name {
            "br" => self.line_break(),
            "td" | "th" | "img" | "input" => self.space_owed |= self.line_started,
            _ if BLOCKS.contains(&name) => {
                self.end_line();
                match name {
                    "blockquote" => self.quote_depth = nested(self.quote_depth, tag),
                    "pre" => self.pre_depth = nested(self.pre_depth, tag),
                    // A list item begins with a dash, as in plain-text mail.
                    "li" if tag.kind == StartTag => {
                        self.write("-");
                        self.space_owed = true;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The text, its trailing whitespace and runs of blank lines removed.
    fn finish(self) -> String {
        let mut text = String::with_capacity(self.out.len());
        let mut blank_lines = 0;
        for line in self.out.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                blank_lines += 1;
                if blank_lines > 1 || text.is_empty() {
                    continue;
                }
            } else {
                blank_lines = 0;
            }
            text.push_str(line);
            text.push('\n');
        }
        text.trim_end().to_string()
    }
}

/// Whether `tag` opens the element of the sender's signature ([`SIGNATURE_MARKERS`]).
fn holds_signature(tag: &Tag) -> bool {
    tag.attrs.iter().any(|attribute| {
        matches!(&*attribute.name.local, "class" | "id")
            && attribute
                .value
                .split_whitespace()
                .any(|value| SIGNATURE_MARKERS.contains(&value))
    })
}

/// How many elements like `tag`'s are open after it, `depth` before.
fn nested(depth: usize, tag: &Tag) -> usize {
    match tag.kind {
        StartTag if tag.self_closing => depth,
        StartTag => depth.saturating_add(1),
        EndTag => depth.saturating_sub(1),
    }
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut text = self.text.borrow_mut();
        match token {
            CharacterTokens(characters) => text.write(&characters),
            TagToken(tag) => {
                text.tag(&tag);
                // What the tree builder would tell the tokenizer: a style sheet's or a script's
                // text is not markup.
                if tag.kind == StartTag && !tag.self_closing {
                    match &*tag.name {
                        "style" => return TokenSinkResult::RawData(RawKind::Rawtext),
                        "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                        "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn blocks_are_lines_and_inline_markup_is_not() {
        let html = "<div dir=\"ltr\"><div>Hello,</div><div><br></div><div>How do I <b>export</b> my \
                    data?</div></div><p>Thanks &amp; regards,</p><p>Jane</p>";
        assert_eq!(
            html_to_text(html),
            "Hello,\n\nHow do I export my data?\nThanks & regards,\nJane"
        );
    }

    #[test]
    fn a_rule_ends_the_line_above_an_outlook_header_block() {
        let html = "<div>Where is my refund?</div><hr><div id=\"divRplyFwdMsg\"><b>From:</b> Shop \
                    &lt;shop@example.com&gt;<br><b>Sent:</b> Monday</div><div>Old text</div>";
        assert_eq!(
            html_to_text(html),
            "Where is my refund?\nFrom: Shop <shop@example.com>\nSent: Monday\nOld text"
        );
    }

    #[test]
    fn quoted_text_becomes_quote_lines() {
        let html = "<p>New question?</p><blockquote type=\"cite\"><div>Old line one</div><div>Old \
                    line two</div><blockquote>Older</blockquote></blockquote><p>After</p>";
        assert_eq!(
            html_to_text(html),
            "New question?\n> Old line one\n> Old line two\n> Older\nAfter"
        );
    }

    #[test]
    fn a_signature_element_begins_with_a_signature_separator() {
        let html = "<div>Where is my refund?</div><br><div class=\"gmail_signature\" dir=\"ltr\">Jane \
                    Doe<br>ACME Inc.</div>";
        assert_eq!(
            html_to_text(html),
            "Where is my refund?\n\n--\nJane Doe\nACME Inc."
        );
    }

    #[test]
    fn styles_scripts_and_the_head_are_not_text() {
        let html = "<html><head><title>Mail</title><style>p { color: red; } a < b</style></head>\
                    <body><script>if (a < b) { x(); }</script><p>Only this.</p></body></html>";
        assert_eq!(html_to_text(html), "Only this.");
    }

    #[test]
    fn lists_tables_and_preformatted_text_keep_their_lines() {
        let html = "<ul><li>Invoicing</li><li>Payroll</li></ul><table><tr><td>Plan</td><td>Pro</td>\
                    </tr><tr><td>Seats</td><td>5</td></tr></table><pre>line  one\nline two</pre>";
        assert_eq!(
            html_to_text(html),
            "- Invoicing\n- Payroll\nPlan Pro\nSeats 5\nline  one\nline two"
        );
    }

    #[test]
    fn broken_and_deeply_nested_markup_is_read_without_failing() {
        let deep = format!("{}text{}", "<blockquote><div>".repeat(20_000), "</div>");
        assert_eq!(html_to_text(&deep), "> text");
        assert_eq!(html_to_text("<p>unclosed <b>bold <a href='x"), "unclosed bold");
        assert_eq!(html_to_text("</div></blockquote>plain"), "plain");
    }
}
