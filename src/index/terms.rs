//! Analysed terms handed to tantivy as one string per field, read back by a tokenizer that only
//! splits it. kb analyses every text itself, per language (`crate::analysis`); tantivy's
//! `PreTokenizedString` would carry the same tokens, but tantivy stores it as JSON inside the
//! document and parses it back while indexing (about a tenth of `kb build`'s time).
//!
//! The string is `position \u{1} term \u{0}` per token: analysed terms never hold control
//! characters (they separate words).

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

use crate::analysis::{AnalyzedToken, Form};

/// The tokenizer name the schema's analysed fields use.
pub(super) const TERMS_TOKENIZER: &str = "kb_terms";

const POSITION_END: u8 = 1;
const TERM_END: u8 = 0;

/// `analysed` in `form`, each term prefixed with `namespace`, as the text of an analysed field;
/// with the number of terms.
pub(super) fn encode(analysed: &[AnalyzedToken], namespace: &str, form: Form) -> (String, u32) {
    let mut text = String::with_capacity(analysed.len() * (namespace.len() + 12));
    for token in analysed {
        text.push_str(&token.position.to_string());
        text.push(char::from(POSITION_END));
        text.push_str(namespace);
        text.push(':');
        text.push_str(token.form(form));
        text.push(char::from(TERM_END));
    }
    (text, analysed.len() as u32)
}

/// Lets `index` read the fields [`encode`] wrote (needed wherever documents are added).
pub(super) fn register(index: &Index) {
    index
        .tokenizers()
        .register(TERMS_TOKENIZER, TextAnalyzer::from(TermsTokenizer));
}

/// Splits an [`encode`]d string back into its tokens.
#[derive(Debug, Clone, Copy)]
struct TermsTokenizer;

impl Tokenizer for TermsTokenizer {
    type TokenStream<'a> = Terms<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Terms<'a> {
        Terms {
            rest: text,
            token: Token::default(),
        }
    }
}

/// The tokens of one encoded string.
struct Terms<'a> {
    rest: &'a str,
    token: Token,
}

impl TokenStream for Terms<'_> {
    fn advance(&mut self) -> bool {
        // The separators are ASCII, so every byte offset found is a character boundary; a byte
        // search is much cheaper than a `char` pattern here (a tenth of `kb build`'s indexing phase).
        let find = |text: &str, separator: u8| text.bytes().position(|byte| byte == separator);
        loop {
            let Some(end) = find(self.rest, TERM_END) else {
                return false;
            };
            let entry = &self.rest[..end];
            self.rest = &self.rest[end + 1..];
            // Text that `encode` did not write has no position: it is skipped.
            let Some(split) = find(entry, POSITION_END) else {
                continue;
            };
            let (position, term) = (&entry[..split], &entry[split + 1..]);
            let Ok(position) = position.parse() else {
                continue;
            };
            self.token.position = position;
            self.token.text.clear();
            self.token.text.push_str(term);
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analysis, LangTag};

    fn tokens(text: &str) -> Vec<(usize, String)> {
        let mut tokenizer = TermsTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push((stream.token().position, stream.token().text.clone()));
        }
        tokens
    }

    #[test]
    fn encoded_terms_come_back_namespaced_with_their_positions() {
        let analyzer = Analysis::PerLanguage.analyzer(&LangTag::parse("de").unwrap());
        let analysed = analyzer.analyze("Die Rückerstattungen");
        let (stems, count) = encode(&analysed, "de", Form::Stem);
        assert_eq!(count, 2);
        assert_eq!(
            tokens(&stems),
            [(0, "de:die".to_string()), (1, "de:ruckerstatt".to_string())]
        );
        let (words, _) = encode(&analysed, "de", Form::Word);
        assert_eq!(tokens(&words)[1], (1, "de:ruckerstattungen".to_string()));
    }

    #[test]
    fn text_that_was_not_encoded_gives_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens("plain text").is_empty());
        assert_eq!(tokens("x\u{0}3\u{1}en:a\u{0}"), [(3, "en:a".to_string())]);
    }
}
