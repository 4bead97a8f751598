//! Suggest and search latency on a generated help center: 10,000 articles in each of en, de, fr,
//! nl and pl (50,000 articles), indexed once through `kb::index::build`, then ~5,000 typed
//! prefixes timed one by one through `kb::search::search` with [`Mode::Suggest`], and the
//! corresponding finished queries with [`Mode::Search`].
//!
//! Run with `cargo bench --bench suggest`. Options (others, such as cargo's `--bench`, are
//! ignored):
//!
//! - `--write-corpus DIR`: write the corpus as Markdown articles (`DIR/<lang>/<id>.md`) and the
//!   typed prefixes as `DIR/../prefixes.txt` (`lang<TAB>url-encoded prefix` per line), then exit.
//!   `scripts/load.sh` uses it to load-test `kb serve`.
//! - `--articles N`: articles per language (default 10,000), for quick trials.
//! - `--breakdown`: after the runs, show where suggest time goes: suggest without fallback,
//!   latency by length of the word being typed, and what the query words expand to (as
//!   `kb::search::explain` reports the library's parse).
//!
//! The corpus is deterministic. Each language's vocabulary is the words of the sample help center
//! in `articles/<lang>/`, most frequent first, followed by generated pseudo-words (syllables
//! typical of the language, and inflections of real words) up to 20,000 words; text draws words
//! from it with a Zipf–Mandelbrot distribution, so term frequencies look like real text.
//! Translations share ids; 10 % of the en articles exist only in en. Queries are 2–5 words of a
//! random article's title or text (10 % of them with a typo), typed up to 40–90 % of their
//! characters, in the article's language.

/// The allocator `kb` itself runs on (src/main.rs), so that the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kb::analysis::{namespaced, Analysis, LangTag};
use kb::article::Article;
use kb::index::{self, BuildOptions, OpenIndex};
use kb::search::{self, ExplainRequest, Mode, SearchRequest};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use tantivy::schema::Term;
use tantivy::Searcher;

/// The languages of the corpus; the first is the default language.
const LANGS: [&str; 5] = ["en", "de", "fr", "nl", "pl"];
/// Articles per language, unless `--articles` says otherwise.
const ARTICLES_PER_LANG: usize = 10_000;
/// Share of the default-language ids that other languages translate (the rest are en-only).
const TRANSLATABLE_SHARE: f64 = 0.9;
/// Share of another language's articles that are translations (the rest exist only there).
const TRANSLATED_SHARE: f64 = 0.85;
/// Words per language vocabulary.
const VOCABULARY_SIZE: usize = 20_000;
/// Longest generated pseudo-word, in characters (real words are mostly shorter).
const PSEUDO_WORD_MAX_CHARS: usize = 12;
/// Zipf–Mandelbrot exponent: frequency of rank r ∝ 1 / (r + shift)^exponent.
const ZIPF_EXPONENT: f64 = 1.0;
/// Zipf–Mandelbrot rank shift (flattens the head, as in real text).
const ZIPF_SHIFT: f64 = 2.7;
/// Most frequent words (function words, mostly) left out of titles and headings.
const TITLE_SKIPPED_RANKS: usize = 40;
/// Share of queries with a typing error (a letter wrong, missing, doubled or swapped).
const TYPO_SHARE: f64 = 0.1;
/// Typed prefixes timed per run.
const QUERIES: usize = 5_000;
/// Queries run before timing.
const WARMUP: usize = 500;
/// Suggestions asked for, as the suggest API does by default.
const SUGGEST_LIMIT: usize = 5;
/// Results asked for by a full search (one page).
const SEARCH_LIMIT: usize = 10;
/// The in-process target for suggest p99.
const TARGET_SUGGEST_P99: Duration = Duration::from_millis(2);
/// Seed of everything random.
const SEED: u64 = 0x6b62_2d62_656e_6368;

/// Command-line options.
struct Options {
    write_corpus: Option<PathBuf>,
    articles_per_lang: usize,
    breakdown: bool,
}

impl Options {
    fn from_args() -> Options {
        let mut options = Options {
            write_corpus: None,
            articles_per_lang: ARTICLES_PER_LANG,
            breakdown: false,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--breakdown" => options.breakdown = true,
                "--write-corpus" => options.write_corpus = args.next().map(PathBuf::from),
                "--articles" => {
                    options.articles_per_lang = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .expect("--articles takes a number")
                }
                _ => {}
            }
        }
        options
    }
}

fn main() {
    let options = Options::from_args();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");

    let started = Instant::now();
    let vocabularies: Vec<Vocabulary> = LANGS
        .iter()
        .enumerate()
        .map(|(n, lang)| Vocabulary::new(lang, &samples.join(lang), &mut Rng::new(SEED ^ n as u64)))
        .collect();
    let corpus = generate_corpus(&vocabularies, options.articles_per_lang);
    let queries = typed_queries(&corpus, QUERIES + WARMUP, &mut Rng::new(SEED ^ 0x5155_4552_5953));
    let words: usize = corpus.iter().map(GeneratedArticle::word_count).sum();
    println!(
        "corpus: {} articles ({}), {} sections, {} words; vocabularies {}; generated in {:.1} s",
        corpus.len(),
        per_lang_counts(&corpus),
        corpus.iter().map(|article| article.sections).sum::<usize>(),
        words,
        vocabularies
            .iter()
            .zip(LANGS)
            .map(|(v, lang)| format!(
                "{lang} {} sample + {} generated",
                v.sample_words,
                v.words.len() - v.sample_words
            ))
            .collect::<Vec<_>>()
            .join(", "),
        started.elapsed().as_secs_f64(),
    );

    if let Some(dir) = options.write_corpus {
        write_corpus(&dir, &corpus, &queries);
        return;
    }

    let articles: Vec<Article> = corpus
        .iter()
        .map(|article| {
            Article::from_parts(&article.id, lang_tag(article.lang), &article.title, &article.body)
        })
        .collect();
    drop(corpus);
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let build_options = BuildOptions {
        default_lang: LangTag::default(),
        analysis: Analysis::PerLanguage,
    };
    let summary =
        index::build(&articles, workspace.path(), &build_options, &mut |_| {}).expect("index build");
    let seconds = summary.elapsed.as_secs_f64();
    println!(
        "build: {} articles, {} section documents in {seconds:.1} s = {:.0} articles/s; index {:.0} MB on disk",
        summary.articles(),
        summary.sections,
        summary.articles() as f64 / seconds,
        folder_size(workspace.path()) as f64 / 1e6,
    );
    drop(articles);
    let index = OpenIndex::open(workspace.path()).expect("open the index");
    println!(
        "index: {} segments",
        index.reader.searcher().segment_readers().len()
    );

    let (suggest, suggest_latencies) = run(&index, &queries, Mode::Suggest, true);
    suggest.print("suggest", SUGGEST_LIMIT);
    let (search, _) = run(&index, &queries, Mode::Search, true);
    search.print("search", SEARCH_LIMIT);
    let p99 = suggest.all.percentile(0.99);
    println!(
        "target: suggest p99 ≤ {} µs in-process: {} ({} µs)",
        TARGET_SUGGEST_P99.as_micros(),
        if p99 <= TARGET_SUGGEST_P99 {
            "met"
        } else {
            "NOT MET"
        },
        p99.as_micros()
    );
    if options.breakdown {
        breakdown(&index, &queries, &suggest_latencies);
    }
}

/// A small, fast, deterministic random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    /// A generator seeded through splitmix64, so that nearby seeds give unrelated streams.
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The sounds pseudo-words of a language are made of.
struct Phonotactics {
    onsets: &'static [&'static str],
    vowels: &'static [&'static str],
    codas: &'static [&'static str],
    /// Endings added to real words to make inflected forms.
    suffixes: &'static [&'static str],
}

fn phonotactics(lang: &str) -> Phonotactics {
    match lang {
        "de" => Phonotactics {
            onsets: &[
                "b", "d", "f", "g", "h", "k", "l", "m", "n", "r", "s", "t", "w", "z", "sch", "st", "pf",
                "kr", "br", "gr", "schw", "sp",
            ],
            vowels: &["a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie", "eu"],
            codas: &[
                "", "", "n", "r", "s", "t", "ch", "nd", "ng", "tz", "rt", "ß", "ck", "lt",
            ],
            suffixes: &["en", "er", "es", "ung", "ungen", "lich", "heit", "te", "ten"],
        },
        "fr" => Phonotactics {
            onsets: &[
                "b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "qu", "gr", "pr",
                "tr", "bl", "cr",
            ],
            vowels: &[
                "a", "e", "i", "o", "u", "é", "è", "ou", "ai", "oi", "eau", "on", "an", "in",
            ],
            codas: &["", "", "", "s", "t", "r", "l", "nt", "x", "c"],
            suffixes: &["s", "e", "es", "er", "ez", "é", "ée", "ment", "tion", "ait"],
        },
        "nl" => Phonotactics {
            onsets: &[
                "b", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "sch", "gr", "kl",
                "st", "sp", "br", "ver",
            ],
            vowels: &[
                "a", "e", "i", "o", "u", "aa", "oo", "ee", "ij", "ui", "oe", "ie", "ou",
            ],
            codas: &["", "n", "r", "s", "t", "k", "l", "cht", "ng", "rd", "nd", "lt"],
            suffixes: &["en", "e", "s", "t", "de", "te", "heid", "ing", "er"],
        },
        "pl" => Phonotactics {
            onsets: &[
                "b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "sz", "cz", "rz", "prz",
                "ż", "ś", "ł", "dz", "ch", "st", "zw",
            ],
            vowels: &["a", "e", "i", "o", "u", "y", "ą", "ę", "ó", "ie", "ia"],
            codas: &["", "", "", "ć", "ń", "ł", "sz", "k", "m", "j", "st", "ch"],
            suffixes: &[
                "a", "y", "ie", "ów", "ami", "ach", "ego", "emu", "ej", "ą", "ę", "om",
            ],
        },
        _ => Phonotactics {
            onsets: &[
                "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "cl", "st",
                "tr", "sh", "ch", "th", "pr", "gr", "sp",
            ],
            vowels: &["a", "e", "i", "o", "u", "ea", "ou", "io", "ee", "ai"],
            codas: &["", "", "n", "r", "s", "t", "l", "nd", "st", "ng", "ck", "rt"],
            suffixes: &["s", "ed", "ing", "er", "ers", "ly", "ment", "ness", "able"],
        },
    }
}

/// The words of one language, most frequent first, with the cumulative Zipf distribution.
struct Vocabulary {
    words: Vec<String>,
    /// How many of the words come from the sample help center.
    sample_words: usize,
    /// `cumulative[r]` = P(rank ≤ r).
    cumulative: Vec<f64>,
}

impl Vocabulary {
    /// The sample words found in `sample_dir` (most frequent first), then pseudo-words.
    fn new(lang: &str, sample_dir: &Path, rng: &mut Rng) -> Vocabulary {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for file in markdown_files(sample_dir) {
            let text = fs::read_to_string(&file).expect("a readable sample article");
            for word in prose_words(strip_front_matter(&text)) {
                *counts.entry(word).or_default() += 1;
            }
        }
        let mut sample: Vec<(String, usize)> = counts.into_iter().collect();
        sample.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut words: Vec<String> = sample.into_iter().map(|(word, _)| word).collect();
        words.truncate(VOCABULARY_SIZE);
        let sample_words = words.len();
        let mut known: HashSet<String> = words.iter().cloned().collect();
        let sounds = phonotactics(lang);
        while words.len() < VOCABULARY_SIZE {
            let word = if sample_words > 0 && rng.chance(0.3) {
                // An inflection of a real content word.
                let stem = &words[rng.between(sample_words.min(50), sample_words - 1)];
                format!("{stem}{}", rng.pick(sounds.suffixes))
            } else {
                let mut word = String::new();
                for _ in 0..*rng.pick(&[1, 2, 2, 2, 3, 3]) {
                    word.push_str(rng.pick::<&str>(sounds.onsets));
                    word.push_str(rng.pick::<&str>(sounds.vowels));
                    if rng.chance(0.3) {
                        word.push_str(rng.pick::<&str>(sounds.codas));
                    }
                }
                word
            };
            let length = word.chars().count();
            if (3..=PSEUDO_WORD_MAX_CHARS).contains(&length) && known.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let mut cumulative: Vec<f64> = (0..words.len())
            .map(|rank| {
                total += 1.0 / (rank as f64 + 1.0 + ZIPF_SHIFT).powf(ZIPF_EXPONENT);
                total
            })
            .collect();
        for value in &mut cumulative {
            *value /= total;
        }
        Vocabulary {
            words,
            sample_words,
            cumulative,
        }
    }

    /// A word drawn with Zipf frequencies.
    fn word(&self, rng: &mut Rng) -> &str {
        let rank = self.cumulative.partition_point(|&p| p < rng.unit());
        &self.words[rank.min(self.words.len() - 1)]
    }

    /// A word drawn with Zipf frequencies among all but the most frequent ones.
    fn content_word(&self, rng: &mut Rng) -> &str {
        loop {
            let rank = self.cumulative.partition_point(|&p| p < rng.unit());
            if rank >= TITLE_SKIPPED_RANKS && rank < self.words.len() {
                return &self.words[rank];
            }
        }
    }
}

/// The `.md` files under `dir`, sorted (so the vocabulary does not depend on directory order).
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn strip_front_matter(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}

/// The lowercased words of Markdown prose, link destinations left out.
fn prose_words(markdown: &str) -> Vec<String> {
    let mut prose = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(start) = rest.find("](") {
        prose.push_str(&rest[..start]);
        rest = rest[start..].find(')').map_or("", |end| &rest[start + end + 1..]);
    }
    prose.push_str(rest);
    prose
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// One generated article.
struct GeneratedArticle {
    id: String,
    lang: &'static str,
    title: String,
    /// Markdown: an introduction, then `##` sections.
    body: String,
    /// Number of `##` sections.
    sections: usize,
}

impl GeneratedArticle {
    fn word_count(&self) -> usize {
        self.title.split_whitespace().count() + self.body.split_whitespace().count()
    }

    /// The article as a file with front matter.
    fn markdown_file(&self) -> String {
        format!("---\ntitle: \"{}\"\n---\n{}", self.title, self.body)
    }
}

/// The ids of each language: en has `0..n`; every other language translates most of the first
/// 90 % of them (the last 10 % exist only in en) and has a few articles of its own.
fn ids_per_language(n: usize) -> Vec<(&'static str, Vec<usize>)> {
    let translatable = ((n as f64 * TRANSLATABLE_SHARE) as usize).max(1);
    let translated = ((n as f64 * TRANSLATED_SHARE) as usize).min(translatable);
    let mut next_local = n;
    LANGS
        .iter()
        .enumerate()
        .map(|(position, &lang)| {
            if position == 0 {
                return (lang, (0..n).collect());
            }
            let mut ids: Vec<usize> = (0..translatable).collect();
            Rng::new(SEED ^ ((position as u64) << 32)).shuffle(&mut ids);
            ids.truncate(translated);
            ids.extend(next_local..next_local + (n - translated));
            next_local += n - translated;
            ids.sort_unstable();
            (lang, ids)
        })
        .collect()
}

fn generate_corpus(vocabularies: &[Vocabulary], per_lang: usize) -> Vec<GeneratedArticle> {
    let mut corpus = Vec::with_capacity(per_lang * LANGS.len());
    for ((lang, ids), vocabulary) in ids_per_language(per_lang).into_iter().zip(vocabularies) {
        for id in ids {
            corpus.push(generate_article(lang, id, vocabulary));
        }
    }
    corpus
}

/// One article; its shape (lengths, number of sections) depends only on `id`, so translations
/// look alike, while its words depend on the language too.
fn generate_article(lang: &'static str, id: usize, vocabulary: &Vocabulary) -> GeneratedArticle {
    let mut shape = Rng::new(SEED ^ id as u64);
    let mut words = Rng::new(SEED ^ id as u64 ^ (lang_number(lang) << 40));
    let title = phrase(vocabulary, &mut words, shape.between(3, 8));
    let mut body = paragraph(vocabulary, &mut words, shape.between(20, 60));
    let sections = shape.between(2, 4);
    for _ in 0..sections {
        let heading = phrase(vocabulary, &mut words, shape.between(2, 6));
        let question = if words.chance(0.2) { "?" } else { "" };
        let _ = write!(body, "\n\n## {heading}{question}\n\n");
        let length = shape.between(40, 120);
        if length > 70 && shape.chance(0.5) {
            let first = length / 2;
            body.push_str(&paragraph(vocabulary, &mut words, first));
            body.push_str("\n\n");
            body.push_str(&paragraph(vocabulary, &mut words, length - first));
        } else {
            body.push_str(&paragraph(vocabulary, &mut words, length));
        }
    }
    body.push('\n');
    GeneratedArticle {
        id: format!("a{id:05}"),
        lang,
        title,
        body,
        sections,
    }
}

fn lang_number(lang: &str) -> u64 {
    LANGS.iter().position(|&known| known == lang).unwrap_or_default() as u64
}

/// A title or heading: `count` content words, the first capitalised.
fn phrase(vocabulary: &Vocabulary, rng: &mut Rng, count: usize) -> String {
    let words: Vec<&str> = (0..count).map(|_| vocabulary.content_word(rng)).collect();
    capitalise(&words.join(" "))
}

/// Sentences of 5–16 Zipf-drawn words, `count` words in all.
fn paragraph(vocabulary: &Vocabulary, rng: &mut Rng, count: usize) -> String {
    let mut text = String::new();
    let mut left = count;
    while left > 0 {
        let length = rng.between(5, 16).min(left);
        left -= length;
        let mut sentence = String::new();
        for n in 0..length {
            if n > 0 {
                sentence.push_str(if n > 2 && n + 2 < length && rng.chance(0.06) {
                    ", "
                } else {
                    " "
                });
            }
            sentence.push_str(vocabulary.word(rng));
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&capitalise(&sentence));
        text.push(if rng.chance(0.1) { '?' } else { '.' });
    }
    text
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn per_lang_counts(corpus: &[GeneratedArticle]) -> String {
    LANGS
        .iter()
        .map(|lang| format!("{lang} {}", corpus.iter().filter(|a| a.lang == *lang).count()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A query as finished and as it is while being typed.
struct TypedQuery {
    lang: &'static str,
    /// 2–5 words from a title or sentence.
    full: String,
    /// `full` cut at 40–90 % of its characters (often mid-word).
    prefix: String,
}

/// `count` queries, each from a random article of the corpus: the start of its title, or 2–5
/// consecutive words of its body, mostly typed in lower case, some with a typo.
fn typed_queries(corpus: &[GeneratedArticle], count: usize, rng: &mut Rng) -> Vec<TypedQuery> {
    (0..count)
        .map(|_| {
            let article = rng.pick(corpus);
            let wanted = rng.between(2, 5);
            let source: Vec<&str> = if rng.chance(0.5) {
                article.title.split_whitespace().collect()
            } else {
                let sentences: Vec<&str> = article
                    .body
                    .split(['.', '?', '\n'])
                    .filter(|s| !s.trim_start().starts_with('#') && s.split_whitespace().count() >= 2)
                    .collect();
                rng.pick(&sentences).split_whitespace().collect()
            };
            let length = wanted.min(source.len());
            let start = rng.below(source.len() - length + 1);
            let mut full = source[start..start + length].join(" ").replace(',', "");
            if rng.chance(0.7) {
                full = full.to_lowercase();
            }
            if rng.chance(TYPO_SHARE) {
                full = with_typo(&full, rng);
            }
            let chars = full.chars().count();
            let keep = ((chars as f64 * (0.4 + 0.5 * rng.unit())).round() as usize).clamp(1, chars);
            let prefix: String = full.chars().take(keep).collect();
            TypedQuery {
                lang: article.lang,
                full,
                prefix,
            }
        })
        .collect()
}

/// `text` with one typing error (a letter replaced, dropped, doubled, or swapped with the next)
/// in one of its words of 5 letters or more, never in the first letter; unchanged if it has none.
fn with_typo(text: &str, rng: &mut Rng) -> String {
    let mut words: Vec<Vec<char>> = text.split(' ').map(|word| word.chars().collect()).collect();
    let long: Vec<usize> = (0..words.len()).filter(|&n| words[n].len() >= 5).collect();
    if long.is_empty() {
        return text.to_string();
    }
    let word = &mut words[*rng.pick(&long)];
    let at = rng.between(1, word.len() - 2);
    match rng.below(4) {
        0 => word[at] = *rng.pick(&['a', 'e', 'i', 'o', 'n', 'r', 's', 't']),
        1 => {
            word.remove(at);
        }
        2 => word.insert(at, word[at]),
        _ => word.swap(at, at + 1),
    }
    let words: Vec<String> = words.into_iter().map(|word| word.into_iter().collect()).collect();
    words.join(" ")
}

/// Writes the articles under `dir/<lang>/` and the prefixes to `dir/../prefixes.txt`.
fn write_corpus(dir: &Path, corpus: &[GeneratedArticle], queries: &[TypedQuery]) {
    for lang in LANGS {
        fs::create_dir_all(dir.join(lang)).expect("create the corpus folder");
    }
    for article in corpus {
        let path = dir.join(article.lang).join(format!("{}.md", article.id));
        fs::write(&path, article.markdown_file()).expect("write an article");
    }
    let mut lines = String::new();
    for query in queries {
        let _ = writeln!(
            lines,
            "{}\t{}",
            query.lang,
            utf8_percent_encode(&query.prefix, NON_ALPHANUMERIC)
        );
    }
    let prefixes = dir.join("..").join("prefixes.txt");
    fs::write(&prefixes, lines).expect("write the prefixes");
    println!(
        "wrote {} articles to {} and {} prefixes to {}",
        corpus.len(),
        dir.display(),
        queries.len(),
        prefixes.display()
    );
}

fn folder_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => folder_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Latencies of one run, overall and per language.
struct Timings {
    all: Latencies,
    by_lang: Vec<(&'static str, Latencies)>,
    /// Queries that found nothing.
    empty: usize,
    /// Hits returned in all.
    hits: usize,
}

impl Timings {
    fn print(&self, name: &str, limit: usize) {
        println!(
            "{name} (limit {limit}, fallback): {} queries after {WARMUP} warm-up, {} without results, {:.2} hits/query",
            self.all.0.len(),
            self.empty,
            self.hits as f64 / self.all.0.len() as f64
        );
        println!("  {:<4} {}", "all", self.all.summary());
        for (lang, latencies) in &self.by_lang {
            println!("  {lang:<4} {}", latencies.summary());
        }
    }
}

/// A sorted sample of durations.
struct Latencies(Vec<Duration>);

impl Latencies {
    fn new(mut samples: Vec<Duration>) -> Latencies {
        samples.sort_unstable();
        Latencies(samples)
    }

    fn percentile(&self, p: f64) -> Duration {
        let rank = ((self.0.len() as f64 * p).ceil() as usize).clamp(1, self.0.len().max(1));
        self.0.get(rank - 1).copied().unwrap_or_default()
    }

    fn summary(&self) -> String {
        let micros = |d: Duration| d.as_secs_f64() * 1e6;
        let mean = self.0.iter().sum::<Duration>().as_secs_f64() * 1e6 / self.0.len().max(1) as f64;
        format!(
            "p50 {:>7.0} µs  p90 {:>7.0} µs  p99 {:>7.0} µs  max {:>7.0} µs  mean {:>7.0} µs  (n={})",
            micros(self.percentile(0.5)),
            micros(self.percentile(0.9)),
            micros(self.percentile(0.99)),
            micros(self.0.last().copied().unwrap_or_default()),
            mean,
            self.0.len()
        )
    }
}

/// Runs the first [`WARMUP`] queries untimed, then times each of the others: the prefix in
/// [`Mode::Suggest`], the full query in [`Mode::Search`]. Returns the timings and each timed
/// query's latency, in order.
fn run(index: &OpenIndex, queries: &[TypedQuery], mode: Mode, fallback: bool) -> (Timings, Vec<Duration>) {
    let (text, limit): (fn(&TypedQuery) -> &str, usize) = match mode {
        Mode::Suggest => (|q| &q.prefix, SUGGEST_LIMIT),
        Mode::Search => (|q| &q.full, SEARCH_LIMIT),
    };
    let mut latencies = Vec::with_capacity(queries.len());
    let mut empty = 0;
    let mut hits = 0;
    for (n, query) in queries.iter().enumerate() {
        let request = SearchRequest {
            query: text(query),
            lang: lang_tag(query.lang),
            limit,
            offset: 0,
            fallback,
            mode,
            headline_bonus: true,
        };
        let started = Instant::now();
        let results = search::search(index, &request).expect("search");
        let elapsed = started.elapsed();
        if n >= WARMUP {
            latencies.push(elapsed);
            empty += usize::from(results.hits.is_empty());
            hits += results.hits.len();
        }
    }
    let timed = &queries[WARMUP.min(queries.len())..];
    let timings = Timings {
        all: Latencies::new(latencies.clone()),
        by_lang: LANGS
            .iter()
            .map(|&lang| {
                let mine = timed
                    .iter()
                    .zip(&latencies)
                    .filter(|(query, _)| query.lang == lang)
                    .map(|(_, &latency)| latency)
                    .collect();
                (lang, Latencies::new(mine))
            })
            .collect(),
        empty,
        hits,
    };
    (timings, latencies)
}

fn lang_tag(lang: &str) -> LangTag {
    LangTag::parse(lang).expect("a supported language")
}

/// Suggest latencies regrouped, and the vocabulary expansion of each query measured on its own.
fn breakdown(index: &OpenIndex, queries: &[TypedQuery], latencies: &[Duration]) {
    let timed = &queries[WARMUP.min(queries.len())..];
    println!("breakdown of suggest:");

    let (native, _) = run(index, queries, Mode::Suggest, false);
    println!("  without fallback  {}", native.all.summary());
    for (lang, latencies) in native.by_lang.iter().filter(|(lang, _)| *lang != LANGS[0]) {
        println!("    {lang:<4}            {}", latencies.summary());
    }

    let searcher = index.reader.searcher();
    let expansions: Vec<Expansion> = timed
        .iter()
        .map(|query| expand(index, &searcher, &query.prefix, &lang_tag(query.lang)))
        .collect();
    // Latencies of a group of queries, with the means of their expansions.
    let group = |name: &str, members: &dyn Fn(&TypedQuery) -> bool| {
        let chosen: Vec<usize> = (0..timed.len()).filter(|&n| members(&timed[n])).collect();
        if chosen.is_empty() {
            return;
        }
        let count = chosen.len() as f64;
        let mean = |value: &dyn Fn(&Expansion) -> f64| {
            chosen.iter().map(|&n| value(&expansions[n])).sum::<f64>() / count
        };
        println!(
            "    {name:<16}{}  | {:>4.1} variants, {:>6.0} postings",
            Latencies::new(chosen.iter().map(|&n| latencies[n]).collect()).summary(),
            mean(&|e| e.variants as f64),
            mean(&|e| e.postings as f64),
        );
    };
    let typed_chars = |prefix: &str| match prefix.chars().last() {
        Some(last) if last.is_alphanumeric() => {
            prefix.rsplit(' ').next().map_or(0, |word| word.chars().count())
        }
        _ => 0,
    };
    println!("  by length of the word being typed (means of the group after the bar):");
    group("ends in a space", &|q| typed_chars(&q.prefix) == 0);
    for chars in 1..=4 {
        let name = format!("{chars} char{}", if chars == 1 { "" } else { "s" });
        group(&name, &|q| typed_chars(&q.prefix) == chars);
    }
    group("5-8 chars", &|q| (5..=8).contains(&typed_chars(&q.prefix)));
    group("9+ chars", &|q| typed_chars(&q.prefix) >= 9);
    println!("  by number of words typed:");
    for words in 1..=5 {
        let name = format!("{words} word{}", if words == 1 { "" } else { "s" });
        group(&name, &|q| q.prefix.split_whitespace().count() == words);
    }

    let mean = |value: &dyn Fn(&Expansion) -> f64| {
        expansions.iter().map(value).sum::<f64>() / expansions.len().max(1) as f64
    };
    println!(
        "  expansion per query in the customer's language (means): {:.1} words -> {:.1} variants \
         ({:.1} completions, {:.1} typo corrections, {:.1} related forms and compound heads); \
         {:.0} postings entries (document frequencies of the variants' stems in `content`)",
        mean(&|e| e.words as f64),
        mean(&|e| e.variants as f64),
        mean(&|e| e.completions as f64),
        mean(&|e| e.corrections as f64),
        mean(&|e| e.other_forms as f64),
        mean(&|e| e.postings as f64),
    );

    let mut order: Vec<usize> = (0..latencies.len()).collect();
    order.sort_by_key(|&n| latencies[n]);
    let slowest = &order[order.len() - order.len().div_ceil(100)..];
    let profile = |set: &[usize]| {
        let count = set.len().max(1) as f64;
        format!(
            "{:.0} µs, {:.1} variants, {:.0} postings entries, last word {:.1} chars",
            set.iter().map(|&n| latencies[n].as_secs_f64() * 1e6).sum::<f64>() / count,
            set.iter().map(|&n| expansions[n].variants as f64).sum::<f64>() / count,
            set.iter().map(|&n| expansions[n].postings as f64).sum::<f64>() / count,
            set.iter()
                .map(|&n| timed[n]
                    .prefix
                    .rsplit(' ')
                    .next()
                    .map_or(0, |w| w.chars().count()) as f64)
                .sum::<f64>()
                / count,
        )
    };
    println!("  all queries, means:      {}", profile(&order));
    println!("  slowest 1 %, means:      {}", profile(slowest));
    println!("  slowest 1 %, examples:");
    for &n in slowest.iter().rev().take(8) {
        let e = &expansions[n];
        println!(
            "    {:>6} µs  {} {:?}: {} variants, {} postings",
            latencies[n].as_micros(),
            timed[n].lang,
            timed[n].prefix,
            e.variants,
            e.postings
        );
    }
}

/// What a typed query expands to in the customer's language, as `kb::search::explain` reports
/// the library's own parse of it.
#[derive(Default)]
struct Expansion {
    /// Distinct words.
    words: usize,
    /// Exact forms and every variant looked up for them.
    variants: usize,
    /// Completions of the word being typed.
    completions: usize,
    /// Typo corrections.
    corrections: usize,
    /// Related forms of long words and heads of compounds.
    other_forms: usize,
    /// Sum of the document frequencies of the variants' stems in `content`.
    postings: u64,
}

/// The expansion of `text` being typed, searched in `lang` (fallback languages left out).
fn expand(index: &OpenIndex, searcher: &Searcher, text: &str, lang: &LangTag) -> Expansion {
    let request = ExplainRequest {
        query: text,
        lang: lang.clone(),
        mode: Mode::Suggest,
        limit: 0,
        id: None,
    };
    let Ok(explanation) = search::explain(index, &request) else {
        return Expansion::default();
    };
    let namespace = index.catalog.analysis.analyzer(lang).namespace(lang);
    let mut expansion = Expansion::default();
    for word in &explanation.words {
        expansion.words += 1;
        expansion.variants += word.expansion.len();
        for variant in &word.expansion {
            match variant.kind {
                "exact" => {}
                "prefix" => expansion.completions += 1,
                "fuzzy" => expansion.corrections += 1,
                _ => expansion.other_forms += 1,
            }
            let term = Term::from_field_text(index.fields.content, &namespaced(namespace, &variant.stem));
            expansion.postings += searcher.doc_freq(&term).unwrap_or(0);
        }
    }
    expansion
}
