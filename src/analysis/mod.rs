//! Language-aware text analysis: the one place that turns text into index terms, used alike for
//! articles and queries.
//!
//! Each row of [`LANGUAGES`] gets an [`Analyzer`]: segmentation (words, or character bigrams
//! for scripts without spaces), lowercasing, stop words, stemming (Snowball, after British
//! spellings are respelt in American and irregular English, German and Dutch forms are taken to
//! their base form; or truncation where no Snowball stemmer exists) and Unicode folding.

mod detect;
mod fold;
mod irregular;
mod language;
mod segment;
mod separable;
mod spelling;

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream};

pub use detect::{detect, detect_among, detect_query, Detection, WordVote};
pub use fold::{fold, fold_keeping_diacritics};
pub use language::{LangTag, Language, Stemming, UnknownLanguage, LANGUAGES};
pub use segment::{segment, Segment};

/// Words longer than this (in bytes) are dropped: hashes, URLs, base64, not words people type.
const MAX_WORD_BYTES: usize = 80;

/// What splitting English at apostrophes leaves of contractions and possessives (`family's` →
/// `family` `s`, `don't` → `don` `t`; customers also type them apart: "what s covid"). Dropped:
/// too rare in a help center's text to weigh like stop words, they would weigh like telling words.
const ENGLISH_CLITICS: &[&str] = &["s", "t"];

/// Stop words kb adds to `language`'s list from the `stop-words` crate, space-separated.
///
/// Question words the list lacks. The English and Polish lists hold every question word; the
/// others only some ("wie" and "was" but not "wann" or "warum"; "qui" but not "quand" or
/// "comment"), so that "Wann…" weighed as a content word where "Wie…" did not. Stop words still
/// count in titles and headings at full weight, where a question word tells what a headline
/// asks. German also gets the "viele" of "wie viele" ("viel" is listed); Vietnamese, which takes
/// no list, its question syllables.
///
/// Polish gets the forms of modal verbs and politeness words its list lacks, which has others of
/// the same verbs ("może", "musi", "chce" but not "mogę", "muszę", "chcę"): they say how a
/// question is asked ("Czy mogę płacić w bitcoinach?"), not what it is about.
fn added_stop_words(language: &Language) -> &'static str {
    match language.code {
        "pl" => "mogę możesz możemy możecie muszę musisz musimy musicie muszą chcę chcesz chcemy chcecie chcą należy powinienem powinnam powinniśmy masz proszę",
        "de" => "wer wen wem wessen wann warum weshalb weswegen wieso wohin woher wieviel wieviele viele",
        "nl" => "waarom wanneer waar hoeveel welke welk waarheen waarvandaan hoezo",
        "fr" => "pourquoi quand comment où combien quel quelle quels quelles lequel laquelle lesquels lesquelles",
        "es" => "cuándo cómo dónde adónde cuánto cuánta cuántos cuántas cuál cuáles quién quiénes qué porqué",
        "it" => "quando cosa quanti quante quali",
        "pt" => "onde quanto quanta quantos quantas quais",
        "ro" => "când câți câte câtă cât",
        "ru" => "почему сколько какие каких каким какими какую какое какого какому каком куда откуда чего кого кому чему",
        "el" => "γιατί πότε πού πώς ποιος ποια ποιο ποιοι ποιες ποιον ποιων ποιου πόσο πόση πόσα πόσοι πόσες πόσων",
        "tr" => "hangi kaç nedir neydi nelerdir neler neyi neyin neye kimdir kimin kime kimi kimler kimlerdir nasıldır hangisi hangisidir hangileri kaçtır nereden nereye neresi",
        "ar" => "لماذا",
        "vi" => "gì nào ai bao nhiêu đâu sao thế mấy",
        "hi" => "क्यों कब कहाँ कहां कैसे कैसा कैसी क्या कितने कितनी किसने किसको किसका किसकी किसके",
        _ => "",
    }
}

/// Words of the `stop-words` crate's list for `language` that are what a help center's articles
/// and questions are about, space-separated: kb keeps them as content words. The Czech list,
/// gathered from web pages, holds "email", "článek" (article), "design", "téma" (topic),
/// "zprávy" (messages) and "napište" (write): a Czech question about changing one's e-mail
/// address weighed its topic as a function word, and "Test reply email" was told Czech by
/// "email" alone.
fn listed_content_words(language: &Language) -> &'static str {
    match language.code {
        "cs" => "email design článek článku články clanek clanku clanky téma tema zprávy zpravy napište napiste strana tipy",
        _ => "",
    }
}

/// Whether `word` (as written) is a clitic of `language` that analysis drops.
fn is_clitic(language: &Language, word: &str) -> bool {
    language.code == "en"
        && ENGLISH_CLITICS
            .iter()
            .any(|clitic| word.eq_ignore_ascii_case(clitic))
}

/// Words whose analysis one thread remembers per language while building an index, at most
/// (about 10 MB): enough for a help center's vocabulary, whose common words make up most of its
/// text.
const REMEMBERED_WORDS: usize = 100_000;

/// Words whose analysis one thread remembers per language while searching, at most (about
/// 0.4 MB): a request analyses its results' titles, headings and snippets, and the words that
/// recur from request to request are a help center's common ones. Kept small because every
/// thread that serves searches keeps its own table, for as long as the server runs: at 100,000
/// articles in five languages the tables add 4 MB to the server (4,096 words: 7 MB; 1,024 words
/// gained nothing, emptied too often; docs/performance.md).
const REMEMBERED_SEARCH_WORDS: usize = 2_048;

/// Per row of [`LANGUAGES`], word as written → its analysis.
type RememberedWords = Vec<FxHashMap<Box<str>, WordAnalysis>>;

thread_local! {
    /// [`Analyzer::analyze_remembering`]'s table.
    static REMEMBERED: RefCell<RememberedWords> = const { RefCell::new(Vec::new()) };
    /// The table of the search path's analyses ([`Analyzer::analyze`] and its variants).
    static REMEMBERED_SEARCH: RefCell<RememberedWords> = const { RefCell::new(Vec::new()) };
}

/// Which of this thread's tables remembers the analyses of a call.
#[derive(Clone, Copy)]
enum Memory {
    /// A build's: large, emptied when the build is done.
    Build,
    /// The search path's: small, kept.
    Search,
}

/// Empties this thread's table of [`Analyzer::analyze_remembering`]: a long-lived thread (a
/// server's worker pool) should not keep a build's vocabulary once the build is done.
pub fn forget_remembered_words() {
    REMEMBERED.with_borrow_mut(Vec::clear);
}

/// What one word of the text analyses into.
#[derive(Debug, Clone)]
struct WordAnalysis {
    term: String,
    word: String,
    stop_word: bool,
}

/// Which analysis an index was built with. `PerLanguage` is kb's; `TantivyDefault` is tantivy's
/// default tokenizer with no language knowledge, kept as the quality baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Analysis {
    /// kb's per-language analyzers.
    #[default]
    PerLanguage,
    /// tantivy's `default` tokenizer (split on non-alphanumerics, lowercase), for comparison.
    TantivyDefault,
}

impl Analysis {
    /// The analyzer for text in `lang`.
    pub fn analyzer(self, lang: &LangTag) -> &'static Analyzer {
        match self {
            Analysis::PerLanguage => Analyzer::for_language(lang.language()),
            Analysis::TantivyDefault => tantivy_default(),
        }
    }
}

/// Turns text of one language into index terms with their positions and source offsets.
pub struct Analyzer {
    pipeline: Pipeline,
}

enum Pipeline {
    Language {
        language: &'static Language,
        /// Position of `language` in [`LANGUAGES`].
        row: usize,
        stemmer: Option<Stemmer>,
        stop_words: HashSet<String>,
    },
    TantivyDefault,
}

fn tantivy_default() -> &'static Analyzer {
    static ANALYZER: Analyzer = Analyzer {
        pipeline: Pipeline::TantivyDefault,
    };
    &ANALYZER
}

impl Analyzer {
    /// The shared analyzer of a language of the table.
    pub fn for_language(language: &'static Language) -> &'static Analyzer {
        static REGISTRY: OnceLock<Vec<Analyzer>> = OnceLock::new();
        let registry = REGISTRY.get_or_init(|| LANGUAGES.iter().enumerate().map(Analyzer::build).collect());
        let index = LANGUAGES
            .iter()
            .position(|row| row == language)
            .unwrap_or_default();
        &registry[index]
    }

    fn build((row, language): (usize, &'static Language)) -> Analyzer {
        let stemmer = match language.stemming {
            Stemming::Snowball(algorithm) => Some(Stemmer::create(algorithm)),
            Stemming::Truncate(_) | Stemming::StripThenTruncate(..) | Stemming::None => None,
        };
        let mut stop_words = HashSet::new();
        // A language without the crate's list (Vietnamese: it cost xquad vi) still gets its
        // question words.
        let listed = if language.stop_words {
            stop_words::lookup(language.code).unwrap_or_default()
        } else {
            &[]
        };
        let content_words = listed_content_words(language);
        for word in listed
            .iter()
            .copied()
            .filter(|word| !content_words.split_whitespace().any(|content| content == *word))
            .chain(added_stop_words(language).split_whitespace())
        {
            let lower = word.to_lowercase();
            stop_words.insert(fold(&lower));
            stop_words.insert(lower);
        }
        Analyzer {
            pipeline: Pipeline::Language {
                language,
                row,
                stemmer,
                stop_words,
            },
        }
    }

    /// The language this analyzer is for (`None` for the baseline analyzer).
    pub fn language(&self) -> Option<&'static Language> {
        match &self.pipeline {
            Pipeline::Language { language, .. } => Some(language),
            Pipeline::TantivyDefault => None,
        }
    }

    /// Whether the lowercased `word` is on the language's stop list.
    pub fn is_stop_word(&self, word: &str) -> bool {
        match &self.pipeline {
            Pipeline::Language { stop_words, .. } => stop_words.contains(word),
            Pipeline::TantivyDefault => false,
        }
    }

    /// Whether stems differ from words: with no stemming, a field of unstemmed words would only
    /// repeat the stemmed one.
    pub fn stems(&self) -> bool {
        match &self.pipeline {
            Pipeline::Language { language, .. } => language.stemming != Stemming::None,
            Pipeline::TantivyDefault => false,
        }
    }

    /// The namespace of this analyzer's terms in a shared index: documents and queries of one
    /// analyzer share terms (and statistics), other languages' terms never collide with them.
    pub fn namespace(&self, lang: &LangTag) -> &'static str {
        match &self.pipeline {
            Pipeline::Language { language, .. } => language.code,
            Pipeline::TantivyDefault => lang.language().code,
        }
    }

    /// The tokens of `text`, stop words included but flagged, with positions and byte offsets.
    pub fn analyze(&self, text: &str) -> Vec<AnalyzedToken> {
        self.tokens(text, |_| true, Memory::Search, false, true)
    }

    /// The tokens of [`Analyzer::analyze`] whose source word `keep` accepts, for highlighting: the
    /// others are skipped before they are lowercased, folded and stemmed, and syllables are not
    /// paired (what a pair matches, its syllables match too).
    pub fn analyze_where(&self, text: &str, keep: impl Fn(&str) -> bool) -> Vec<AnalyzedToken> {
        self.tokens(text, keep, Memory::Search, false, false)
    }

    /// [`Analyzer::analyze`] of a query being typed: a last word that analysis would drop as a
    /// clitic (`s`, `t` in English) is kept, since it is the start of the word being typed
    /// ("how coronavirus s" → `spread`).
    pub fn analyze_typed(&self, text: &str) -> Vec<AnalyzedToken> {
        self.tokens(text, |_| true, Memory::Search, true, true)
    }

    /// [`Analyzer::analyze`] for bulk analysis (building an index): each word's analysis is
    /// remembered by the thread, so that the words a help center repeats are stemmed once.
    pub fn analyze_remembering(&self, text: &str) -> Vec<AnalyzedToken> {
        self.tokens(text, |_| true, Memory::Build, false, true)
    }

    fn tokens(
        &self,
        text: &str,
        keep: impl Fn(&str) -> bool,
        memory: Memory,
        typed: bool,
        pairs: bool,
    ) -> Vec<AnalyzedToken> {
        let Pipeline::Language {
            language,
            row,
            stemmer,
            stop_words,
        } = &self.pipeline
        else {
            let mut tokens = tantivy_default_tokens(text);
            tokens.retain(|token| text.get(token.start..token.end).is_some_and(&keep));
            return tokens;
        };
        let analyze_word = |segment: &Segment| {
            let lower = segment.text.to_lowercase();
            let stop_word = !segment.is_ngram && stop_words.contains(&lower);
            let (term, word) = if segment.is_ngram {
                let folded = fold(&lower);
                (folded.clone(), folded)
            } else {
                stem(language, stemmer.as_ref(), &lower)
            };
            WordAnalysis {
                term,
                word,
                stop_word,
            }
        };
        let mut segments = segment(text);
        if pairs && language.pairs_syllables {
            segments = segment::with_syllable_pairs(text, segments);
        }
        // A stacked segment shares the position of the one before it.
        let positions: Vec<usize> = segments
            .iter()
            .scan(None, |position: &mut Option<usize>, segment| {
                let next = match *position {
                    Some(previous) if segment.stacked => previous,
                    Some(previous) => previous + 1,
                    None => 0,
                };
                *position = Some(next);
                Some(next)
            })
            .collect();
        let mut tokens = Vec::with_capacity(segments.len());
        let mut push = |position: usize, segment: &Segment, analysis: WordAnalysis| {
            // A word of marks or format characters only (Arabic tatweel, a BOM) folds away.
            if !analysis.term.is_empty() {
                tokens.push(AnalyzedToken {
                    term: analysis.term,
                    word: analysis.word,
                    ngram: segment.is_ngram,
                    start: segment.start,
                    end: segment.end,
                    position,
                    stop_word: analysis.stop_word,
                });
            }
        };
        let kept = segments
            .iter()
            .zip(positions)
            .map(|(segment, position)| (position, segment))
            .filter(|(_, segment)| {
                let being_typed = typed && segment.end == text.len();
                segment.text.len() <= MAX_WORD_BYTES
                    && (being_typed || !is_clitic(language, segment.text))
                    && keep(segment.text)
            });
        let (table, capacity) = match memory {
            Memory::Build => (&REMEMBERED, REMEMBERED_WORDS),
            Memory::Search => (&REMEMBERED_SEARCH, REMEMBERED_SEARCH_WORDS),
        };
        table.with_borrow_mut(|remembered| {
            if remembered.len() <= *row {
                remembered.resize_with(row + 1, FxHashMap::default);
            }
            let words = &mut remembered[*row];
            for (position, segment) in kept {
                let analysis = match words.get(segment.text) {
                    Some(analysis) => analysis.clone(),
                    None => {
                        if words.len() >= capacity {
                            words.clear();
                        }
                        let analysis = analyze_word(segment);
                        words.insert(segment.text.into(), analysis.clone());
                        analysis
                    }
                };
                push(position, segment, analysis);
            }
        });
        tokens
    }
}

/// Which form of a word an index field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Stemmed and folded: inflections meet.
    Stem,
    /// Folded only: the word as typed, for exact-word bonuses and prefix matching.
    Word,
}

/// A term of analysed text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    /// The normalised term (stemmed, folded).
    pub term: String,
    /// The folded word before stemming.
    pub word: String,
    /// Byte offset of the source word.
    pub start: usize,
    /// Byte offset after the source word.
    pub end: usize,
    /// Word position.
    pub position: usize,
    /// Whether the word is on the language's stop list: indexed, but weighs little in queries.
    pub stop_word: bool,
    /// Whether the token is a character bigram (or lone character) of a script without spaces.
    pub ngram: bool,
}

impl AnalyzedToken {
    /// The term in the given form.
    pub fn form(&self, form: Form) -> &str {
        match form {
            Form::Stem => &self.term,
            Form::Word => &self.word,
        }
    }
}

/// The index term for `term` of the analyzer namespace `namespace`.
pub fn namespaced(namespace: &str, term: &str) -> String {
    // Joined by hand: a search builds a hundred of these, and `format!` cost five times as much.
    let mut namespaced = String::with_capacity(namespace.len() + 1 + term.len());
    namespaced.push_str(namespace);
    namespaced.push(':');
    namespaced.push_str(term);
    namespaced
}

/// Folds a lowercased word and stems it by the language's rule: (stem, folded word).
fn stem(language: &Language, stemmer: Option<&Stemmer>, lower: &str) -> (String, String) {
    let fold = |word: &str| {
        if language.folds_diacritics {
            fold(word)
        } else {
            fold_keeping_diacritics(word)
        }
    };
    let word = fold(lower);
    let stem = match (language.stemming, stemmer) {
        (Stemming::Snowball(_), Some(stemmer)) => {
            let base = irregular::base_form(language.code, lower);
            fold(&stemmer.stem(&base))
        }
        (Stemming::Truncate(length), _) => first_chars(&word, length).to_string(),
        (Stemming::StripThenTruncate(endings, length), _) => {
            first_chars(without_ending(&word, endings), length).to_string()
        }
        _ => word.clone(),
    };
    (stem, word)
}

/// The first `length` characters of `text` (all of it when shorter): a word's truncation stem,
/// a query cut to its longest accepted length.
pub fn first_chars(text: &str, length: usize) -> &str {
    text.char_indices()
        .nth(length)
        .map_or(text, |(end, _)| &text[..end])
}

/// `word` without the longest of `endings` that leaves at least two characters.
fn without_ending<'w>(word: &'w str, endings: &[&str]) -> &'w str {
    const SHORTEST_STEM: usize = 2;
    let letters = word.chars().count();
    endings
        .iter()
        .filter(|ending| word.ends_with(*ending) && letters >= SHORTEST_STEM + ending.chars().count())
        .max_by_key(|ending| ending.len())
        .map_or(word, |ending| &word[..word.len() - ending.len()])
}

fn tantivy_default_tokens(text: &str) -> Vec<AnalyzedToken> {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let token = stream.token();
        tokens.push(AnalyzedToken {
            term: token.text.clone(),
            word: token.text.clone(),
            start: token.offset_from,
            end: token.offset_to,
            position: token.position,
            stop_word: false,
            ngram: false,
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(lang: &str, text: &str) -> Vec<AnalyzedToken> {
        Analysis::PerLanguage
            .analyzer(&LangTag::parse(lang).unwrap())
            .analyze(text)
    }

    fn content_terms(lang: &str, text: &str) -> Vec<String> {
        analyze(lang, text)
            .into_iter()
            .filter(|t| !t.stop_word)
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn english_is_stemmed_and_stop_words_flagged() {
        assert_eq!(
            content_terms("en", "The refunds were processed"),
            ["refund", "process"]
        );
        let stop: Vec<bool> = analyze("en", "The refunds").iter().map(|t| t.stop_word).collect();
        assert_eq!(stop, [true, false]);
    }

    #[test]
    fn a_german_noun_in_ung_meets_its_verb() {
        assert_eq!(content_terms("de", "Impfung"), content_terms("de", "impfen"));
        assert_eq!(content_terms("de", "Lieferungen"), content_terms("de", "liefern"));
        assert_ne!(content_terms("de", "Zeitung"), content_terms("de", "Zeit"));
    }

    #[test]
    fn a_german_latin_noun_and_participle_meet_their_verb() {
        let verb = content_terms("de", "isolieren");
        for form in ["Isolation", "Isolierung", "isoliert", "isolierten"] {
            assert_eq!(content_terms("de", form), verb, "{form}");
        }
        assert_eq!(
            content_terms("de", "Infektionen"),
            content_terms("de", "infiziert")
        );
    }

    #[test]
    fn a_dutch_latin_noun_and_participle_meet_their_verb() {
        let verb = content_terms("nl", "synchroniseren");
        for form in ["synchronisatie", "gesynchroniseerd", "synchroniseert"] {
            assert_eq!(content_terms("nl", form), verb, "{form}");
        }
        assert_eq!(
            content_terms("nl", "geïmporteerd"),
            content_terms("nl", "importeren")
        );
        assert_ne!(content_terms("nl", "verkeerd"), content_terms("nl", "verkeren"));
    }

    #[test]
    fn polish_modal_verbs_are_stop_words_in_every_person() {
        // The stop list has "może" but not "mogę": an unanswered "Czy mogę zapłacić
        // bitcoinem?" was recorded as the gap "mogę".
        assert_eq!(
            content_terms("pl", "Czy mogę zapłacić? Proszę, muszę wiedzieć"),
            content_terms("pl", "Czy może zapłacić? Musi wiedzieć")
        );
    }

    #[test]
    fn every_question_word_is_a_stop_word_as_in_english() {
        // A question leaves its topic only. The lists had "wie" and "qui" but not "wann" or
        // "quand", so "Wann…" asked about its question word as much as about its topic.
        for (lang, question, topic) in [
            (
                "en",
                "When, where and why does the refund arrive?",
                "Does the refund arrive?",
            ),
            (
                "de",
                "Wann, wo, warum und wie viele Erstattungen kommen?",
                "Erstattungen kommen?",
            ),
            (
                "nl",
                "Wanneer, waar en waarom komt de terugbetaling?",
                "Komt de terugbetaling?",
            ),
            (
                "fr",
                "Quand, où et pourquoi arrive le remboursement ?",
                "Arrive le remboursement ?",
            ),
            (
                "es",
                "¿Cuándo, dónde y por qué llega el reembolso?",
                "¿Llega el reembolso?",
            ),
            ("ru", "Когда, где и почему придёт возврат?", "Придёт возврат?"),
            ("tr", "iade nedir, kimin ve hangisi?", "iade?"),
            (
                "el",
                "Πότε, πού και γιατί έρχεται η επιστροφή;",
                "Έρχεται η επιστροφή;",
            ),
        ] {
            assert_eq!(
                content_terms(lang, question),
                content_terms(lang, topic),
                "{lang}"
            );
        }
        // Vietnamese takes no list, but its question syllables are stop words (the syllable
        // pairs they form stay words).
        let syllables = |text: &str| -> Vec<String> {
            content_terms("vi", text)
                .into_iter()
                .filter(|term| !term.contains(' '))
                .collect()
        };
        assert_eq!(
            syllables("Ai hoàn tiền bao nhiêu và ở đâu?"),
            syllables("hoàn tiền và ở")
        );
    }

    #[test]
    fn czech_topics_on_the_web_pages_stop_list_stay_content_words() {
        // "Jak změním email?": the topic was a stop word, and only "změním" was left.
        let terms = content_terms("cs", "Jak změním email a téma článku?");
        for topic in ["email", "tema", "clank"] {
            assert!(terms.iter().any(|term| term == topic), "{topic} in {terms:?}");
        }
        assert!(!terms.iter().any(|term| term == "jak"), "{terms:?}");
    }

    #[test]
    fn english_contraction_fragments_are_dropped_and_other_languages_keep_theirs() {
        let words = |lang: &str, text: &str| -> Vec<String> {
            analyze(lang, text).into_iter().map(|token| token.word).collect()
        };
        assert_eq!(
            words("en", "What's my family's plan? I don't know"),
            ["what", "my", "family", "plan", "i", "don", "know"]
        );
        assert_eq!(words("en", "what s covid"), ["what", "covid"]);
        // Positions keep the gap, so phrases still see the words apart.
        let positions: Vec<usize> = analyze("en", "family's plan")
            .iter()
            .map(|t| t.position)
            .collect();
        assert_eq!(positions, [0, 2]);
        assert_eq!(
            words("fr", "l'article s'affiche"),
            ["l", "article", "s", "affiche"]
        );
    }

    #[test]
    fn remembered_analysis_is_the_same_analysis() {
        for (lang, text) in [
            ("de", "Die Rückerstattungen der Rückerstattung, RÜCKERSTATTUNG"),
            ("en", "The refunds were processed; the refund was processed"),
            ("ja", "返金の手続き、返金"),
            ("pl", "Zwroty zwrotów zwrotami"),
        ] {
            let analyzer = Analysis::PerLanguage.analyzer(&LangTag::parse(lang).unwrap());
            // Twice: the second analysis comes from what the first remembered; then once more
            // after forgetting.
            for forget in [false, false, true] {
                if forget {
                    forget_remembered_words();
                }
                assert_eq!(
                    analyzer.analyze_remembering(text),
                    analyzer.analyze(text),
                    "{lang}"
                );
            }
        }
    }

    #[test]
    fn positions_and_offsets_follow_the_text() {
        let text = "refund of the card";
        let tokens = analyze("en", text);
        let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 3]);
        assert_eq!(&text[tokens[3].start..tokens[3].end], "card");
    }
}
