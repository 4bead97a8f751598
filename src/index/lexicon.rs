//! Word translations into the default language, learned from the help center's own translated
//! articles. A customer whose language lacks an article can only find the default-language
//! version through the words the two languages share (names, numbers, cognates such as
//! `exportar` and `export`); "supprimer mon compte" shares no word with "Delete your account".
//! But the help center already says how its words
//! translate: every article written in both languages pairs its titles and sections. kb learns
//! from those pairs which default-language words stand for each word of another language (IBM
//! Model 1, the word-alignment model of statistical translation, fitted by a few rounds of EM),
//! and a fallback search looks the customer's words up as their translations too.
//!
//! Written by hand: no crate learns a bilingual lexicon from aligned texts (the aligners are
//! command-line programs over files of sentences). The lexicon is learned at a full build and
//! stored in the generation; an in-place update keeps the one of the last full build.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::IndexError;
use crate::analysis::{Analysis, AnalyzedToken, LangTag};
use crate::article::Article;

/// The file of a generation that holds its lexicon.
const LEXICON_FILE: &str = "lexicon.json";

/// Translated articles per language that the lexicon learns from (the first by id): enough for
/// the words a help center uses again and again, few enough to keep a large build's time and
/// memory small.
const MAX_ARTICLES_PER_LANGUAGE: usize = 300;
/// Distinct words of one aligned unit (a title or a section) that the model pairs, the first
/// ones: the pairs of a unit grow as the square of its words.
const MAX_UNIT_WORDS: usize = 200;
/// Word pairs (cells of the units' source × target tables) that the model learns from per
/// language, titles first: what bounds the learning's time (about half a second a language at
/// this bound). xquad's 120 translated paragraphs of a language take 800,000.
const MAX_CELLS: usize = 1_000_000;
/// Rounds of EM: the probabilities of the frequent pairs settle within five.
const EM_ROUNDS: usize = 5;
/// Least probability of a translation kept: a word seen once beside many unexplained words
/// spreads its probability thin over them and keeps none.
const MIN_PROBABILITY: f32 = 0.1;
/// Least probability of the word given its translation, the other way round: a rare word that soaks
/// up the unexplained words beside it is given by none of them.
const MIN_BACKWARD_PROBABILITY: f32 = 0.02;
/// Translations kept per word, the most probable: a second one cost a fifth more suggest time
/// in the benchmark for little (docs/quality.md).
const MAX_TRANSLATIONS: usize = 1;

/// A word of the default language that a word of another language translates to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    /// Its stem (the index term, without namespace).
    pub stem: String,
    /// The folded word it was seen as.
    pub word: String,
}

/// Translations into the default language's namespace, per namespace and stem of the other
/// languages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lexicon {
    /// The namespace the translations are words of (the default language's).
    pub target: String,
    translations: HashMap<String, HashMap<String, Vec<Translation>>>,
}

impl Lexicon {
    /// The default-language words that the stem `stem` of the namespace `namespace` translates
    /// to, the most probable first; none for a word never learned.
    pub fn translations(&self, namespace: &str, stem: &str) -> &[Translation] {
        self.translations
            .get(namespace)
            .and_then(|words| words.get(stem))
            .map_or(&[], Vec::as_slice)
    }

    /// Reads the lexicon of the generation folder `generation`; an empty one for a generation
    /// built before lexicons were learned.
    pub(crate) fn read(generation: &Path) -> Result<Lexicon, IndexError> {
        let path = generation.join(LEXICON_FILE);
        match std::fs::read(&path) {
            Ok(json) => serde_json::from_slice(&json).map_err(|error| IndexError::Corrupt {
                path,
                reason: error.to_string(),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Lexicon::default()),
            Err(source) => Err(IndexError::Io { path, source }),
        }
    }

    /// Writes the lexicon into the generation folder `generation`.
    pub(crate) fn write(&self, generation: &Path) -> Result<(), IndexError> {
        super::generation::write_json(generation, LEXICON_FILE, self)
    }

    /// Learns the lexicon from `samples`: the sampled articles' words, paired by id between each
    /// other namespace and the default language's `target`.
    pub(super) fn learn(target: &str, samples: Vec<ArticleSample>) -> Lexicon {
        let mut by_namespace: BTreeMap<&'static str, BTreeMap<String, ArticleSample>> = BTreeMap::new();
        for sample in samples {
            by_namespace
                .entry(sample.namespace)
                .or_default()
                .entry(sample.id.clone())
                .or_insert(sample);
        }
        let Some(targets) = by_namespace.get(target) else {
            return Lexicon::default();
        };
        // Each language on its own core: the builds of large help centers wait for this.
        let translations = by_namespace
            .par_iter()
            .filter(|(namespace, _)| **namespace != target)
            .filter_map(|(namespace, articles)| {
                let pairs: Vec<(&ArticleSample, &ArticleSample)> = articles
                    .iter()
                    .filter_map(|(id, source)| Some((source, targets.get(id)?)))
                    .collect();
                // Titles first: short, and they name what each article is about.
                let titles = pairs
                    .iter()
                    .map(|(source, target)| (source.title.as_slice(), target.title.as_slice()));
                let sections = pairs
                    .iter()
                    .flat_map(|(source, target)| source.aligned_sections(target));
                let mut cells = 0;
                let units: Vec<(&[Word], &[Word])> = titles
                    .chain(sections)
                    .take_while(|(source, target)| {
                        cells += (source.len() + 1) * target.len();
                        cells <= MAX_CELLS
                    })
                    .collect();
                let learned = align(&units);
                (!learned.is_empty()).then(|| (namespace.to_string(), learned))
            })
            .collect();
        Lexicon {
            target: target.to_string(),
            translations,
        }
    }
}

/// Which of `articles` the lexicon learns from (by position): in every namespace but the default
/// language's, the first [`MAX_ARTICLES_PER_LANGUAGE`] ids (in id order) that the default
/// language has too, and their default-language versions. None under the baseline analysis,
/// which has no languages.
pub(super) fn sampled(articles: &[&Article], analysis: Analysis, default_lang: &LangTag) -> Vec<bool> {
    let namespace = |lang: &LangTag| {
        let analyzer = analysis.analyzer(lang);
        analyzer.language().map(|_| analyzer.namespace(lang))
    };
    let Some(target) = namespace(default_lang) else {
        return vec![false; articles.len()];
    };
    let mut ids: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for article in articles {
        if let Some(namespace) = namespace(&article.lang) {
            ids.entry(namespace).or_default().insert(&article.id);
        }
    }
    let empty = BTreeSet::new();
    let target_ids = ids.get(target).unwrap_or(&empty);
    let mut chosen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (namespace, own) in &ids {
        if *namespace == target {
            continue;
        }
        for id in own.intersection(target_ids).take(MAX_ARTICLES_PER_LANGUAGE) {
            chosen.entry(namespace).or_default().insert(id);
            chosen.entry(target).or_default().insert(id);
        }
    }
    articles
        .iter()
        .map(|article| {
            namespace(&article.lang)
                .and_then(|namespace| chosen.get(namespace))
                .is_some_and(|ids| ids.contains(article.id.as_str()))
        })
        .collect()
}

/// A word of a sample: its stem and the folded word it was seen as.
type Word = (String, String);

/// The words of one sampled article, as analysed for the index: its title's, and each
/// section's (heading and text).
#[derive(Debug, Clone)]
pub(super) struct ArticleSample {
    namespace: &'static str,
    id: String,
    title: Vec<Word>,
    sections: Vec<Vec<Word>>,
}

impl ArticleSample {
    /// An empty sample of the article `id` in `namespace`.
    pub(super) fn new(namespace: &'static str, id: &str) -> ArticleSample {
        ArticleSample {
            namespace,
            id: id.to_string(),
            title: Vec::new(),
            sections: Vec::new(),
        }
    }

    /// Adds a section, from the tokens of "title \n heading \n text" of which the first
    /// `title_len` bytes are the title (kept from the first section only).
    pub(super) fn add_section(&mut self, tokens: &[AnalyzedToken], title_len: usize) {
        let (title, section): (Vec<&AnalyzedToken>, Vec<&AnalyzedToken>) =
            tokens.iter().partition(|token| token.start < title_len);
        if self.sections.is_empty() {
            self.title = distinct_words(title);
        }
        self.sections.push(distinct_words(section));
    }

    /// The sections of this article and its translation `target` that say the same: each
    /// section with the one at its position, when both have as many (none otherwise).
    fn aligned_sections<'a>(&'a self, target: &'a ArticleSample) -> Vec<(&'a [Word], &'a [Word])> {
        if self.sections.len() != target.sections.len() {
            return Vec::new();
        }
        self.sections
            .iter()
            .zip(&target.sections)
            .map(|(source, target)| (source.as_slice(), target.as_slice()))
            .collect()
    }
}

/// The distinct content words of `tokens` (stop words left out), the first [`MAX_UNIT_WORDS`].
fn distinct_words(tokens: Vec<&AnalyzedToken>) -> Vec<Word> {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    tokens
        .into_iter()
        .filter(|token| !token.stop_word && seen.insert(&token.term))
        .take(MAX_UNIT_WORDS)
        .map(|token| (token.term.clone(), token.word.clone()))
        .collect()
}

/// The translations that the aligned `units` (source words, target words) teach: per source stem,
/// the target words that IBM Model 1 finds to translate it with a probability of at least
/// [`MIN_PROBABILITY`] and at least half the best one's, and that give the word back, the other
/// way round, with at least [`MIN_BACKWARD_PROBABILITY`] (a rare word otherwise soaks up the
/// unexplained words beside it); the most probable first. A word that translates to itself among
/// them (a name, a shared loanword) has none: the search finds it as it is.
fn align(units: &[(&[Word], &[Word])]) -> HashMap<String, Vec<Translation>> {
    let mut source_words = WordIds::default();
    let mut target_words = WordIds::default();
    let pairs: Vec<(Vec<u32>, Vec<u32>)> = units
        .iter()
        .filter(|(source, target)| !source.is_empty() && !target.is_empty())
        .map(|(source, target)| (source_words.ids(source), target_words.ids(target)))
        .collect();
    let reversed: Vec<(Vec<u32>, Vec<u32>)> = pairs
        .iter()
        .map(|(source, target)| (target.clone(), source.clone()))
        .collect();
    let forward = model_one(&pairs, source_words.words.len());
    let backward = model_one(&reversed, target_words.words.len());
    let mut candidates: FxHashMap<u32, Vec<(f32, u32)>> = FxHashMap::default();
    for (&key, &p) in &forward {
        let (source, target) = (key >> 32, key & u64::from(u32::MAX));
        let back = backward.get(&((target << 32) | source)).copied().unwrap_or(0.0);
        if source != u64::from(NONE) && p >= MIN_PROBABILITY && back >= MIN_BACKWARD_PROBABILITY {
            candidates
                .entry(source as u32)
                .or_default()
                .push((p, target as u32));
        }
    }
    candidates
        .into_iter()
        .filter_map(|(source, mut candidates)| {
            let (stem, _) = source_words.words[source as usize];
            candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let best = candidates.first()?.0;
            let words: Vec<&Word> = candidates
                .iter()
                .take_while(|(p, _)| *p >= best / 2.0)
                .map(|&(_, target)| target_words.words[target as usize])
                .collect();
            if words.iter().any(|(target, _)| target == stem) {
                return None;
            }
            let translations = words
                .into_iter()
                .take(MAX_TRANSLATIONS)
                .map(|(stem, word)| Translation {
                    stem: stem.clone(),
                    word: word.clone(),
                })
                .collect();
            Some((stem.clone(), translations))
        })
        .collect()
}

/// The id of the empty word, which every source unit holds: it explains the target words that
/// no source word translates.
const NONE: u32 = 0;

/// Words numbered as first seen, from 1 ([`NONE`] is 0).
struct WordIds<'a> {
    ids: FxHashMap<&'a str, u32>,
    words: Vec<&'a Word>,
}

impl Default for WordIds<'_> {
    fn default() -> Self {
        static NO_WORD: Word = (String::new(), String::new());
        WordIds {
            ids: FxHashMap::default(),
            words: vec![&NO_WORD],
        }
    }
}

impl<'a> WordIds<'a> {
    /// The ids of `words`.
    fn ids(&mut self, words: &'a [Word]) -> Vec<u32> {
        words
            .iter()
            .map(|word| {
                let next = self.words.len() as u32;
                *self.ids.entry(&word.0).or_insert_with(|| {
                    self.words.push(word);
                    next
                })
            })
            .collect()
    }
}

/// IBM Model 1 fitted by [`EM_ROUNDS`] rounds of EM on `pairs` of (source ids, target ids), with
/// `sources` source words: the probability of each target word given each source word (or
/// [`NONE`]), keyed by `source << 32 | target`.
fn model_one(pairs: &[(Vec<u32>, Vec<u32>)], sources: usize) -> FxHashMap<u64, f32> {
    // Each distinct (source, target) pair gets a slot; each unit, the slots of its cells, target
    // by target, so that the rounds index plain vectors.
    let mut slots: FxHashMap<u64, u32> = FxHashMap::default();
    let mut slot_sources: Vec<u32> = Vec::new();
    let mut units: Vec<(usize, Vec<u32>)> = Vec::with_capacity(pairs.len());
    for (source_ids, target_ids) in pairs {
        let row = source_ids.len() + 1;
        let mut cells = Vec::with_capacity(row * target_ids.len());
        for &target in target_ids {
            for &source in source_ids.iter().chain([&NONE]) {
                let next = slot_sources.len() as u32;
                let slot = *slots
                    .entry((u64::from(source) << 32) | u64::from(target))
                    .or_insert_with(|| {
                        slot_sources.push(source);
                        next
                    });
                cells.push(slot);
            }
        }
        units.push((row, cells));
    }
    let mut probability = vec![1.0f32; slot_sources.len()];
    let mut counts = vec![0.0f32; slot_sources.len()];
    let mut totals = vec![0.0f32; sources];
    for _ in 0..EM_ROUNDS {
        counts.fill(0.0);
        totals.fill(0.0);
        for (row, cells) in &units {
            for target_cells in cells.chunks(*row) {
                let sum: f32 = target_cells.iter().map(|&slot| probability[slot as usize]).sum();
                if sum <= 0.0 {
                    continue;
                }
                for &slot in target_cells {
                    let share = probability[slot as usize] / sum;
                    counts[slot as usize] += share;
                    totals[slot_sources[slot as usize] as usize] += share;
                }
            }
        }
        for (slot, p) in probability.iter_mut().enumerate() {
            let total = totals[slot_sources[slot] as usize];
            *p = if total > 0.0 { counts[slot] / total } else { 0.0 };
        }
    }
    slots
        .into_iter()
        .map(|(pair, slot)| (pair, probability[slot as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    fn sample(lang: &str, id: &str, title: &str, sections: &[&str]) -> ArticleSample {
        let lang = LangTag::parse(lang).unwrap();
        let analyzer = Analyzer::for_language(lang.language());
        let mut sample = ArticleSample::new(analyzer.namespace(&lang), id);
        for section in sections {
            let tokens = analyzer.analyze(&format!("{title}\n\n{section}"));
            sample.add_section(&tokens, title.len());
        }
        sample
    }

    #[test]
    fn words_are_learned_from_translated_articles() {
        let samples = vec![
            sample(
                "en",
                "a",
                "Delete your account",
                &["Delete the account in the settings."],
            ),
            sample(
                "nl",
                "a",
                "Je account verwijderen",
                &["Verwijder het account in de instellingen."],
            ),
            sample(
                "en",
                "b",
                "Delete an invoice",
                &["A sent invoice cannot be deleted."],
            ),
            sample(
                "nl",
                "b",
                "Een factuur verwijderen",
                &["Een verstuurde factuur kan niet worden verwijderd."],
            ),
            sample(
                "en",
                "c",
                "Send an invoice",
                &["Send the invoice by e-mail from the settings."],
            ),
            sample(
                "nl",
                "c",
                "Een factuur versturen",
                &["Verstuur de factuur per e-mail vanuit de instellingen."],
            ),
        ];
        let lexicon = Lexicon::learn("en", samples);
        let stems = |word: &str| {
            let stem =
                &Analyzer::for_language(LangTag::parse("nl").unwrap().language()).analyze(word)[0].term;
            lexicon
                .translations("nl", stem)
                .iter()
                .map(|translation| translation.word.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(stems("verwijderen").first().map(String::as_str), Some("delete"));
        assert_eq!(stems("factuur").first().map(String::as_str), Some("invoice"));
        assert!(
            lexicon.translations("nl", "account").is_empty(),
            "its own translation is left out"
        );
        assert!(lexicon.translations("de", "konto").is_empty());
    }
}
