//! Articles for an automatic e-mail reply. A long text is not a typed query: the query is the
//! subject (weighted up) plus the body's most discriminative words, and a link is returned only
//! when the article covers enough of what the e-mail is about. A wrong link is worse than none.

use std::collections::{HashMap, HashSet};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

use super::headline::Rarity;
use super::language::email_vocabulary_language;
use super::query::analyze_joined;
use super::{search, Mode, SearchError, SearchHit, SearchRequest};
use crate::analysis::{detect_among, AnalyzedToken, Analyzer, LangTag, Language};
use crate::index::OpenIndex;
use crate::mail::{is_question, sentences, strip_courtesy, subject_topic, Email};

/// Links below this confidence are not sent (calibrated in docs/quality.md).
pub const MIN_REPLY_CONFIDENCE: f32 = 0.55;
/// The confidence model's intercept and its weights for [`LinkFeatures`]' headline coverage,
/// headline recall, recall × margin, recall × third margin and runner-up recall (see
/// [`LinkFeatures::confidence`]).
const CONFIDENCE_BIAS: f32 = -2.44;
const CONFIDENCE_WEIGHTS: [f32; 5] = [1.84, -1.14, 4.81, 2.21, 2.36];
/// Subject words count this much more than body words.
const SUBJECT_WEIGHT: f32 = 2.0;
/// Body words kept for the query, the most discriminative first.
const SALIENT_BODY_WORDS: usize = 12;
/// E-mails of at most this many words are searched as they are.
const SHORT_EMAIL_WORDS: usize = 40;
/// Candidates below a link whose headlines its runner-up recall looks at.
const RUNNERS_UP: usize = 2;
/// Candidates looked at per link wanted.
const CANDIDATES_PER_LINK: usize = 3;
/// Words kept as an unanswered e-mail's topic.
const TOPIC_WORDS: usize = 6;
/// Words the help center knows that a sentence of the e-mail needs to be asked on its own: with
/// one, 30 % of the shared parser-fixture e-mails got a link; with two, 1.9 % at the shipped
/// confidence, as without sentences asked alone (docs/quality.md). A short German or French
/// question holds only two besides its function words ("Wie kann ich meine Daten exportieren?").
const MIN_SENTENCE_WORDS: usize = 2;
/// Words (numbers and lone letters aside) that an e-mail needs to be linked at all: a lone word ("Test", "body",
/// "Testing.") names a topic but asks nothing, while "What is COVID-19?" asks with one word of
/// content.
const MIN_EMAIL_WORDS: usize = 2;
/// Sentences of one e-mail asked on their own, at most (each is a search).
const MAX_SENTENCES_ASKED: usize = 8;
/// Words the index has never seen count this much (typos, names, off-topic vocabulary).
const UNKNOWN_WORD_WEIGHT: f32 = 0.5;

/// What to find links for.
#[derive(Debug, Clone)]
pub struct ReplyRequest<'a> {
    /// The e-mail's subject.
    pub subject: &'a str,
    /// The e-mail's new text (quotes and signature already removed).
    pub text: &'a str,
    /// The language to answer in.
    pub lang: LangTag,
    /// Most links returned.
    pub max_links: usize,
    /// Least confidence for a link.
    pub min_confidence: f32,
}

impl ReplyRequest<'_> {
    /// The request for what the e-mail asks: the topic of its subject ([`subject_topic`]) and
    /// `question`, its text without courtesy ([`strip_courtesy`]).
    fn asking<'t>(&'t self, question: &'t str) -> ReplyRequest<'t> {
        ReplyRequest {
            subject: subject_topic(self.subject),
            text: question,
            ..self.clone()
        }
    }
}

/// A confident link for the reply.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyLink {
    /// The matched article.
    #[serde(flatten)]
    pub hit: SearchHit,
    /// 0–1: the estimated probability that the link answers the e-mail
    /// ([`LinkFeatures::confidence`]).
    pub confidence: f32,
    /// What the confidence was computed from.
    #[serde(skip)]
    pub features: LinkFeatures,
}

/// What a link's confidence is computed from (written to `kb eval --mode reply` run files).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct LinkFeatures {
    /// Share of the e-mail's weighted salient words that the headline (article title and the
    /// linked section's heading) contains.
    pub headline_coverage: f32,
    /// Share of the headline's words, each weighted by inverse document frequency, that the
    /// e-mail contains; stop words (question words) count too, at their own low weight.
    pub headline_recall: f32,
    /// The best headline recall among the next [`RUNNERS_UP`] candidates (each its best
    /// headline): how much the e-mail asks of the help center's other questions. An e-mail on
    /// the help center's subject asks some of several; an off-topic one, which may still share a
    /// word or two with one headline, asks next to nothing of the others.
    pub runner_up_recall: f32,
    /// 1 − next score / this score: 0 when tied with the next candidate, 1 when last. For an
    /// article in the customer's language, the next one in it (fallback articles' scores are
    /// placed relative to the best native one, not measured against it).
    pub margin: f32,
    /// 1 − score of the third candidate below / this score: how far it stands out from the
    /// rest even when a near-duplicate article follows it closely.
    pub margin_third: f32,
}

impl LinkFeatures {
    /// The probability that the link answers the e-mail: a logistic model fitted once on the
    /// covid-jhu and covid-deepset dev e-mails (answerable, no-answer, off-topic and the shared
    /// parser-fixture messages pooled; label: the link is a judged-relevant article) by
    /// `scripts/calibrate_reply.py --fit`.
    /// The margins count in proportion to the headline recall: standing out among the candidates
    /// means little when the e-mail asks about none of the headline (a "Hello world" that only a
    /// few articles match at all).
    pub fn confidence(&self) -> f32 {
        let z = CONFIDENCE_BIAS
            + CONFIDENCE_WEIGHTS[0] * self.headline_coverage
            + CONFIDENCE_WEIGHTS[1] * self.headline_recall
            + self.headline_recall
                * (CONFIDENCE_WEIGHTS[2] * self.margin + CONFIDENCE_WEIGHTS[3] * self.margin_third)
            + CONFIDENCE_WEIGHTS[4] * self.runner_up_recall;
        1.0 / (1.0 + (-z).exp())
    }
}

/// A word of the e-mail with how much it tells.
#[derive(Debug, Clone)]
struct Salient {
    word: String,
    term: String,
    weight: f32,
    /// Whether the help center's own text uses the word.
    known: bool,
}

/// Links for an e-mail, most confident first; empty when nothing is relevant enough. The
/// e-mail's greeting, closing and pleasantries are not searched ([`strip_courtesy`]), nor a
/// subject's "Re:" or a subject that names no topic ([`subject_topic`]). A question wrapped in
/// context ("Several of my colleagues asked me about this.") is found too: each sentence that
/// holds at least [`MIN_SENTENCE_WORDS`] words the help center knows is also asked on its own
/// (with the subject), and the links whose first is the most confident win.
pub fn reply_links(index: &OpenIndex, request: &ReplyRequest<'_>) -> Result<Vec<ReplyLink>, SearchError> {
    let question = strip_courtesy(request.text);
    let mut best = links_asking(index, &request.asking(&question))?;
    let sentences = sentences(&question);
    if sentences.len() < 2 {
        return Ok(best);
    }
    let analyzer = index.catalog.analysis.analyzer(&request.lang);
    let telling = sentences.into_iter().filter(|sentence| {
        let alone = ReplyRequest {
            subject: "",
            text: sentence,
            ..request.clone()
        };
        let known = salient_words(index, analyzer, &alone)
            .iter()
            .filter(|word| word.known)
            .count();
        known >= MIN_SENTENCE_WORDS
    });
    let first_confidence = |links: &[ReplyLink]| links.first().map_or(0.0, |link| link.confidence);
    // The first link of each sentence that asks ("…?"): the answer to each question.
    let mut answers: Vec<ReplyLink> = Vec::new();
    for sentence in telling.take(MAX_SENTENCES_ASKED) {
        let links = links_asking(index, &request.asking(sentence))?;
        if let (true, Some(first)) = (is_question(sentence), links.first()) {
            answers.push(first.clone());
        }
        if first_confidence(&links) > first_confidence(&best) {
            best = links;
        }
    }
    Ok(with_each_questions_answer(best, answers, request.max_links))
}

/// `links` (the most confident first), then the answer to each other question the e-mail asks
/// when its article is not linked yet: "How do I reset my password? And how can I export my
/// data?" asks two things. The further links most confident first, at most `max_links` in all.
fn with_each_questions_answer(
    mut links: Vec<ReplyLink>,
    answers: Vec<ReplyLink>,
    max_links: usize,
) -> Vec<ReplyLink> {
    if links.is_empty() {
        return links;
    }
    for answer in answers {
        if !links.iter().any(|link| link.hit.id == answer.hit.id) {
            links.push(answer);
        }
    }
    links[1..].sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    links.truncate(max_links);
    links
}

/// [`reply_links`] for the question as `request` asks it.
fn links_asking(index: &OpenIndex, request: &ReplyRequest<'_>) -> Result<Vec<ReplyLink>, SearchError> {
    let analyzer = index.catalog.analysis.analyzer(&request.lang);
    let words = salient_words(index, analyzer, request);
    let namespace = analyzer.namespace(&request.lang);
    let email_tokens = analyze_joined(
        index,
        analyzer,
        namespace,
        &format!("{}\n{}", request.subject, request.text),
    );
    let asked = email_tokens.iter().filter(|token| is_word(token)).count();
    if words.is_empty() || asked < MIN_EMAIL_WORDS || request.max_links == 0 {
        return Ok(Vec::new());
    }
    // A short e-mail is a question as it stands (its question words help); a long one is cut
    // down to the subject and its most discriminative words.
    let query = if request.text.split_whitespace().count() <= SHORT_EMAIL_WORDS {
        format!("{}\n{}", request.subject, request.text)
    } else {
        let words: Vec<&str> = words.iter().map(|word| word.word.as_str()).collect();
        format!("{}\n{}", request.subject, words.join(" "))
    };
    let search_request = SearchRequest {
        query: &query,
        lang: request.lang.clone(),
        // Every link needs the three candidates below it for its margins.
        limit: request.max_links * CANDIDATES_PER_LINK + 3,
        offset: 0,
        fallback: true,
        mode: Mode::Search,
        headline_bonus: true,
    };
    let total: f32 = words.iter().map(|word| word.weight).sum();
    let email_terms: HashSet<String> = email_tokens.into_iter().map(|token| token.term).collect();
    // In the default language's articles, which a fallback offers where the e-mail's language
    // has none, the e-mail's words also count as their learned translations ("supprimer mon
    // compte": "delete", "account").
    let translations: Vec<Vec<String>> = words
        .iter()
        .map(|word| {
            analyzer.language().map_or_else(Vec::new, |language| {
                index
                    .lexicon
                    .translations(language.code, &word.term)
                    .iter()
                    .map(|translation| translation.stem.clone())
                    .collect()
            })
        })
        .collect();
    let translated_terms: HashSet<String> = email_terms
        .iter()
        .chain(translations.iter().flatten())
        .cloned()
        .collect();
    let hits = search(index, &search_request)?.hits;
    let rarity = Rarity::new(index);
    // Per candidate that a link or its runner-up recall looks at, each headline's coverage and
    // recall: the title with the linked section's heading, then the questions the writer says
    // the article answers (the one that makes the link most confident counts).
    let headlines = hits
        .iter()
        .take(request.max_links + RUNNERS_UP)
        .map(|hit| {
            // A translation shown for the version the e-mail's words found (English words in an
            // e-mail that says it is German) is measured by that version's headline.
            let found = hit
                .found_in
                .as_ref()
                .and_then(|lang| index.catalog.get(lang, &hit.id));
            let (lang, title) = match found {
                Some(found) => {
                    let heading = found
                        .sections
                        .get(hit.scored_section)
                        .and_then(|section| section.heading);
                    (
                        &found.lang,
                        format!("{}\n{}", found.title, heading.unwrap_or_default()),
                    )
                }
                None => (
                    &hit.lang,
                    format!("{}\n{}", hit.title, hit.section.as_deref().unwrap_or_default()),
                ),
            };
            let hit_analyzer = index.catalog.analysis.analyzer(lang);
            let hit_namespace = hit_analyzer.namespace(lang);
            let foreign = hit_namespace != namespace && hit_namespace == index.lexicon.target;
            let (also, terms) = if foreign {
                (&translations[..], &translated_terms)
            } else {
                (&[][..], &email_terms)
            };
            let questions = index
                .catalog
                .get(lang, &hit.id)
                .map_or(&[][..], |entry| &entry.questions[..]);
            std::iter::once(title.as_str())
                .chain(questions.iter().map(|question| &**question))
                .map(|text| {
                    let headline = analyze_joined(index, hit_analyzer, hit_namespace, text);
                    let held = held(&headline, &words, also);
                    let coverage = if total > 0.0 {
                        held.iter().map(|&position| words[position].weight).sum::<f32>() / total
                    } else {
                        0.0
                    };
                    let recall = recall(&rarity, hit_namespace, &headline, terms)?;
                    Ok((coverage, recall, held))
                })
                .collect::<Result<Vec<_>, SearchError>>()
        })
        .collect::<Result<Vec<_>, SearchError>>()?;
    let best_recall = |position: usize| {
        headlines.get(position).map_or(0.0, |alternatives| {
            alternatives
                .iter()
                .map(|(_, recall, _)| *recall)
                .fold(0.0, f32::max)
        })
    };
    let mut links = Vec::new();
    // The e-mail's words (positions in `words`) that the links' headlines hold.
    let mut answered: HashSet<usize> = HashSet::new();
    // The links are among the first `max_links` candidates, each confident on its own, and
    // there are none when the best candidate is not confident: a lower one that stands out
    // from those below it is still not what the e-mail asks (the confidence was fitted on
    // first candidates).
    for (position, (hit, alternatives)) in hits.iter().zip(&headlines).enumerate().take(request.max_links) {
        // How clearly it beats the candidate `below` places down: 1 when none is left. An
        // article in the customer's language is compared with the others in it only: the best
        // fallback article's score is set to a fixed share of the best native one's (search's
        // FALLBACK_WEIGHT), which says nothing about how clearly that one answers.
        let margin = |below: usize| {
            hits.iter()
                .skip(position + 1)
                .filter(|next| hit.fallback || !next.fallback)
                .nth(below - 1)
                .filter(|_| hit.score > 0.0)
                .map_or(1.0, |next| 1.0 - next.score / hit.score)
        };
        let runner_up = (1..=RUNNERS_UP)
            .map(|below| best_recall(position + below))
            .fold(0.0, f32::max);
        let mut features = LinkFeatures::default();
        let mut answers: &[usize] = &[];
        for (alternative, (headline_coverage, headline_recall, held)) in alternatives.iter().enumerate() {
            let (headline_coverage, headline_recall) = (*headline_coverage, *headline_recall);
            let candidate = LinkFeatures {
                headline_coverage,
                headline_recall,
                runner_up_recall: runner_up,
                margin: margin(1),
                margin_third: margin(3),
            };
            // A writer's question counts only when it holds some of the e-mail's own words, not
            // just its question words ("wie … ich mein").
            if alternative == 0
                || (candidate.headline_coverage > 0.0 && candidate.confidence() > features.confidence())
            {
                features = candidate;
                answers = held;
            }
        }
        let confidence = features.confidence();
        // A further link's headline must hold some of the e-mail's own words that no earlier
        // link's headline holds: the question words alone ("How do I reset my password?" against
        // "How do I request a refund?") do not say that it answers too, nor a word the earlier
        // links answer already ("I have a problem with my account": "Contact support", then not
        // "Delete your account"). (For the first link the rule cost covid-jhu 3 % of its linked
        // e-mails, most of them rightly linked: its confidence was fitted on first links.)
        let telling = position == 0 || answers.iter().any(|word| !answered.contains(word));
        if confidence >= request.min_confidence && telling {
            answered.extend(answers.iter().copied());
            links.push(ReplyLink {
                hit: hit.clone(),
                confidence,
                features,
            });
        } else if position == 0 {
            break;
        }
    }
    Ok(links)
}

/// What an e-mail is about, for the content-gap report: its [`TOPIC_WORDS`] most telling words
/// that the help center's own text uses, lower-cased — never the sender's name or address
/// (`sender`), nor any word kb has not seen.
pub fn email_topic(index: &OpenIndex, request: &ReplyRequest<'_>, sender: &str) -> Vec<String> {
    let sender: HashSet<String> = sender
        .split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(str::to_lowercase)
        .collect();
    let question = strip_courtesy(request.text);
    let request = &request.asking(&question);
    let analyzer = index.catalog.analysis.analyzer(&request.lang);
    let mut words: Vec<Salient> = salient_words(index, analyzer, request)
        .into_iter()
        .filter(|word| word.known && !sender.contains(&word.word.to_lowercase()))
        .collect();
    words.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
    words
        .into_iter()
        .take(TOPIC_WORDS)
        .map(|word| word.word.to_lowercase())
        .collect()
}

/// Whether a token carries content (a word, not a stop word, not Japanese grammar).
fn content_token(token: &AnalyzedToken) -> bool {
    !token.stop_word && is_word(token) && !is_hiragana_ngram(token)
}

/// Whether a token is characters of Japanese with hiragana among them (`まし`, `金を`, `求さ`):
/// particles, endings and auxiliaries, alone or stuck to the word before them, which make up
/// most bigrams of a polite e-mail ("返金をお願いできますか") and would drown its topic. The
/// topic is written in kanji and katakana (`返金`, `パスワード`), whose bigrams and lone
/// ideographs stay. (Hiragana-only characters as stop words in search too cost jsquad 0.002
/// nDCG@10: a typed question is short, and its grammar helps place it.)
fn is_hiragana_ngram(token: &AnalyzedToken) -> bool {
    token.ngram && token.word.chars().any(|c| ('\u{3041}'..='\u{309f}').contains(&c))
}

/// Whether a token is a word: not a lone letter or a number.
fn is_word(token: &AnalyzedToken) -> bool {
    !((!token.ngram && token.word.chars().count() < 2) || token.word.chars().all(char::is_numeric))
}

/// The subject's content words and the body's most discriminative ones, weighted by inverse
/// document frequency in the language (and the subject weight).
fn salient_words(index: &OpenIndex, analyzer: &Analyzer, request: &ReplyRequest<'_>) -> Vec<Salient> {
    let rarity = Rarity::new(index);
    let namespace = analyzer.namespace(&request.lang);
    // Words the index has never seen count [`UNKNOWN_WORD_WEIGHT`] of what a word found once
    // would (typos, names, off-topic vocabulary); a failed lookup counts as never seen.
    let idf = |term: &str| {
        let frequency = rarity.frequency(namespace, term).unwrap_or_default();
        let weight = rarity.idf(namespace, frequency);
        if frequency == 0 {
            (weight * UNKNOWN_WORD_WEIGHT, false)
        } else {
            (weight, true)
        }
    };
    let mut by_term: HashMap<String, (Salient, bool)> = HashMap::new();
    for (text, from_subject) in [(request.subject, true), (request.text, false)] {
        for token in analyze_joined(index, analyzer, namespace, text) {
            if !content_token(&token) {
                continue;
            }
            let (weight, known) = idf(&token.term);
            let weight = weight * if from_subject { SUBJECT_WEIGHT } else { 1.0 };
            let word = text.get(token.start..token.end).unwrap_or_default().to_string();
            let entry = by_term.entry(token.term.clone()).or_insert_with(|| {
                (
                    Salient {
                        word,
                        term: token.term.clone(),
                        weight,
                        known,
                    },
                    from_subject,
                )
            });
            entry.0.weight = entry.0.weight.max(weight);
            entry.1 |= from_subject;
        }
    }
    let (mut subject, mut body): (Vec<_>, Vec<_>) =
        by_term.into_values().partition(|(_, from_subject)| *from_subject);
    body.sort_by(|a, b| {
        b.0.weight
            .total_cmp(&a.0.weight)
            .then_with(|| a.0.term.cmp(&b.0.term))
    });
    body.truncate(SALIENT_BODY_WORDS);
    subject.append(&mut body);
    subject.into_iter().map(|(word, _)| word).collect()
}

/// The positions in `words` of the e-mail's words that the analysed text `tokens` holds, as
/// they are or as one of their translations `also` (per position; none when empty).
fn held(tokens: &[AnalyzedToken], words: &[Salient], also: &[Vec<String>]) -> Vec<usize> {
    let present: HashSet<&str> = tokens.iter().map(|token| token.term.as_str()).collect();
    (0..words.len())
        .filter(|&position| {
            present.contains(words[position].term.as_str())
                || also.get(position).is_some_and(|translations| {
                    translations.iter().any(|term| present.contains(term.as_str()))
                })
        })
        .collect()
}

/// The share of the words of the analysed text `tokens`, each weighted by inverse document
/// frequency in the language of `namespace`, that the e-mail (`email_terms`) uses. Stop words
/// count at their own (low) weight: in a question-shaped title, "where" or "why" tells what is
/// asked.
fn recall(
    rarity: &Rarity<'_>,
    namespace: &str,
    tokens: &[AnalyzedToken],
    email_terms: &HashSet<String>,
) -> tantivy::Result<f32> {
    let kept = tokens
        .iter()
        .filter(|token| content_token(token) || token.stop_word)
        .map(|token| token.term.as_str());
    let share = rarity.share(namespace, kept, |term| email_terms.contains(term))?;
    Ok(share.unwrap_or_default())
}

/// A link as the reply shows it: absolute URL.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyLinkOut {
    /// Article id.
    pub id: String,
    /// Language of the linked version.
    pub lang: LangTag,
    /// Article title.
    pub title: String,
    /// Absolute deep link, non-ASCII characters percent-encoded ([`URL_UNSAFE`]).
    pub url: String,
    /// Heading of the linked section.
    pub section: Option<String>,
    /// Search score.
    pub score: f32,
    /// 0–1 confidence (see [`ReplyLink::confidence`]).
    pub confidence: f32,
    /// A default-language version shown because no translation exists.
    pub fallback: bool,
}

/// Everything the mail system needs for the automatic reply.
#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    /// The language answered in.
    pub lang: LangTag,
    /// `param` (the intake's `lang`), `detected` or `default`.
    pub lang_source: &'static str,
    /// Confident links, most relevant first; empty when nothing is relevant enough.
    pub links: Vec<ReplyLinkOut>,
    /// Plain-text fragment to paste into the reply (empty without links).
    pub text: String,
    /// HTML fragment to paste into the reply (empty without links).
    pub html: String,
    /// Without links: what the e-mail is about ([`email_topic`]), for the content-gap report.
    #[serde(skip)]
    pub topic: Vec<String>,
}

/// The language of an e-mail: its declared `lang`, else a confident detection among the
/// `languages` the help center has, else what `by_vocabulary` tells of its text (the language
/// whose articles use its words), else `default`. A language outside `languages` that detection
/// tells stands only when `by_vocabulary` tells none. An unsupported declared language is
/// ignored.
pub fn email_language(
    email: &Email,
    languages: &[&'static Language],
    by_vocabulary: impl FnOnce(&str) -> Option<&'static Language>,
    default: &LangTag,
) -> (LangTag, &'static str) {
    if let Some(lang) = email.lang.as_deref().and_then(|code| LangTag::parse(code).ok()) {
        return (lang, "param");
    }
    let text = email.all_text();
    let detected = match detect_among(&text, languages).filter(|detection| detection.confident) {
        // A few function words of another language ("mot" and "de" are Norwegian ones) do not
        // outweigh a help center's own words: "mot de passe oublié" is French.
        Some(detection) if !languages.contains(&detection.language) => {
            by_vocabulary(&text).or(Some(detection.language))
        }
        Some(detection) => Some(detection.language),
        None => by_vocabulary(&text),
    };
    match detected {
        Some(language) => (LangTag::of(language), "detected"),
        None => (default.clone(), "default"),
    }
}

/// Finds the links for `email` and writes the reply fragments; URLs are made absolute with
/// `base_url` (e.g. `https://help.example.com`).
pub fn answer_email(
    index: &OpenIndex,
    email: &Email,
    base_url: &str,
    max_links: usize,
) -> Result<Reply, SearchError> {
    let (lang, lang_source) = email_language(
        email,
        index.catalog.languages(),
        |text| email_vocabulary_language(index, text),
        &index.catalog.default_lang,
    );
    let request = ReplyRequest {
        subject: &email.subject,
        text: &email.text,
        lang: lang.clone(),
        max_links,
        min_confidence: MIN_REPLY_CONFIDENCE,
    };
    let base = base_url.trim_end_matches('/');
    // An automatic reply does not answer what a program sent (RFC 3834).
    let found = if email.automatic {
        Vec::new()
    } else {
        reply_links(index, &request)?
    };
    let links: Vec<ReplyLinkOut> = found
        .into_iter()
        .map(|link| ReplyLinkOut {
            url: format!("{base}{}", utf8_percent_encode(&link.hit.url, URL_UNSAFE)),
            id: link.hit.id,
            lang: link.hit.lang,
            title: link.hit.title,
            section: link.hit.section,
            score: link.hit.score,
            confidence: link.confidence,
            fallback: link.hit.fallback,
        })
        .collect();
    let (text, html) = fragments(&lang, &index.catalog.default_lang, &links);
    let topic = if links.is_empty() && !email.automatic {
        email_topic(index, &request, &email.sender)
    } else {
        Vec::new()
    };
    Ok(Reply {
        lang,
        lang_source,
        links,
        text,
        html,
        topic,
    })
}

/// What a link in an e-mail has percent-encoded besides every non-ASCII byte (the URL
/// standard's fragment set): a plain-text mail client ends a link where a character it does not
/// take in URLs begins, so "#返金を申請する方法" or "#jak-zresetować-hasło" would be cut short.
const URL_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// The intro sentence of a reply with links, per language of the sample help center.
const INTROS: &[(&str, &str)] = &[
    ("en", "These help articles may answer your question:"),
    ("nl", "Deze hulpartikelen beantwoorden je vraag misschien:"),
    ("de", "Diese Hilfeartikel beantworten Ihre Frage vielleicht:"),
    ("fr", "Ces articles d'aide répondent peut-être à votre question :"),
    ("es", "Estos artículos de ayuda pueden responder a tu pregunta:"),
    ("pl", "Te artykuły pomocy mogą odpowiedzieć na Twoje pytanie:"),
    ("ja", "以下のヘルプ記事がご質問の答えになるかもしれません："),
];

fn fragments(lang: &LangTag, default: &LangTag, links: &[ReplyLinkOut]) -> (String, String) {
    if links.is_empty() {
        return (String::new(), String::new());
    }
    let intro_of = |lang: &LangTag| {
        INTROS
            .iter()
            .find(|(code, _)| *code == lang.language().code)
            .map(|(_, intro)| *intro)
    };
    let intro = intro_of(lang)
        .or_else(|| intro_of(default))
        .unwrap_or(INTROS[0].1);
    let mut text = format!("{intro}\n");
    let mut html = format!("<p>{}</p><ul>", escape(intro));
    for link in links {
        let title = match &link.section {
            Some(section) => format!("{} – {section}", link.title),
            None => link.title.clone(),
        };
        // An article the customer's language lacks says which language it is in, by that
        // language's own name, as a language menu does: "Refunds (English)".
        let language = link.lang.language();
        let (note, hreflang) = if link.fallback {
            (
                format!(" ({})", language.native_name),
                format!(" hreflang=\"{0}\" lang=\"{0}\"", escape(link.lang.as_str())),
            )
        } else {
            (String::new(), String::new())
        };
        text.push_str(&format!("- {title}{note}: {}\n", link.url));
        html.push_str(&format!(
            "<li><a href=\"{}\"{hreflang}>{}</a>{}</li>",
            escape(&link.url),
            escape(&title),
            escape(&note)
        ));
    }
    html.push_str("</ul>");
    (text, html)
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::{fragments, LinkFeatures, ReplyLinkOut, MIN_REPLY_CONFIDENCE};
    use crate::analysis::LangTag;

    #[test]
    fn a_link_to_an_article_in_another_language_says_which() {
        let tag = |code: &str| LangTag::parse(code).expect("known language");
        let link = |id: &str, lang: &str, title: &str, fallback: bool| ReplyLinkOut {
            id: id.to_string(),
            lang: tag(lang),
            title: title.to_string(),
            url: format!("https://help.example.com/de/articles/{id}"),
            section: None,
            score: 1.0,
            confidence: 0.9,
            fallback,
        };
        let links = [
            link("billing/refunds", "de", "Erstattungen", false),
            link("expenses/receipt-scanning", "en", "Scan receipts <fast>", true),
        ];
        let (text, html) = fragments(&tag("de"), &tag("en"), &links);
        assert!(text.contains("- Erstattungen: https://"), "{text}");
        assert!(
            text.contains("- Scan receipts <fast> (English): https://"),
            "{text}"
        );
        assert!(html.contains(">Erstattungen</a></li>"), "{html}");
        assert!(
            html.contains("hreflang=\"en\" lang=\"en\">Scan receipts &lt;fast&gt;</a> (English)</li>"),
            "{html}"
        );
    }

    fn features(coverage: f32, recall: f32, margin: f32, margin_third: f32) -> LinkFeatures {
        LinkFeatures {
            headline_coverage: coverage,
            headline_recall: recall,
            runner_up_recall: recall / 2.0,
            margin,
            margin_third,
        }
    }

    #[test]
    fn a_headline_that_is_the_question_and_stands_out_links() {
        assert!(features(1.0, 1.0, 0.3, 0.5).confidence() >= MIN_REPLY_CONFIDENCE);
        assert!(features(0.8, 0.7, 0.2, 0.4).confidence() >= MIN_REPLY_CONFIDENCE);
    }

    #[test]
    fn a_headline_the_email_does_not_ask_about_does_not_link() {
        assert!(features(0.0, 0.0, 1.0, 1.0).confidence() < MIN_REPLY_CONFIDENCE);
        assert!(features(0.1, 0.2, 0.1, 0.2).confidence() < MIN_REPLY_CONFIDENCE);
    }

    #[test]
    fn an_email_that_asks_of_the_other_headlines_too_is_more_confident() {
        let asking = |runner_up_recall| {
            LinkFeatures {
                runner_up_recall,
                ..features(0.6, 0.6, 0.3, 0.4)
            }
            .confidence()
        };
        assert!(asking(0.0) < asking(0.3));
        assert!(asking(0.3) < asking(0.6));
    }

    #[test]
    fn covering_more_of_the_email_or_standing_out_more_is_more_confident() {
        for recall in [0.3, 0.6, 1.0] {
            let mut last = 0.0;
            for step in 0..=4 {
                let share = step as f32 / 4.0;
                let by_coverage = features(share, recall, 0.2, 0.4).confidence();
                let by_margin = features(0.5, recall, share, share).confidence();
                assert!(by_coverage > last, "coverage {share}, recall {recall}");
                assert!(
                    step == 0 || by_margin > features(0.5, recall, share - 0.25, share - 0.25).confidence()
                );
                last = by_coverage;
            }
        }
    }
}
