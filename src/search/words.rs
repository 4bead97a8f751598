//! The words of a query scored in one pass over their postings: the sum over the words of each
//! word's best variant (plus a share of its other variants), a variant scoring the sum of its
//! terms over the weighted fields, plus an optional bonus query (the phrase).
//!
//! tantivy expresses the same score as nested queries (a union of words, each a maximum over
//! variants, each a union over fields), and runs each level as its own buffered union behind
//! dynamic dispatch, with a window buffer allocated per level: for a typed query of 40 terms,
//! the largest part of a request's time. This scorer reads every term's postings into one shared
//! window of documents and combines the levels there, with the same arithmetic in the same order,
//! so the scores are those of the nested queries. Its term cursors also score the fetched
//! sections' remaining words (`Rescoring` in the parent module).
//!
//! A fallback language's search scores only the sections it may offer ([`SectionSet`]): the
//! scorer skips the others as it reads the postings, which costs a bit test per posting, where
//! intersecting with the set made every window of postings be scored before the set was asked.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::directory::OwnedBytes;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    BitSet, DocId, DocSet, InvertedIndexReader, Score, SegmentReader, TantivyError, Term, TERMINATED,
};

use crate::index::{term_info, SectionSet};

use super::query::VARIANT_TIE_BREAKER;

/// The terms that one variant of a word is looked up as (one per weighted field), with their
/// boosts.
pub(super) type VariantTerms = Vec<(Term, f32)>;

/// The terms of one query word.
#[derive(Debug, Clone)]
pub(super) struct WordTerms {
    /// Per variant, its terms.
    pub variants: Vec<VariantTerms>,
    /// Whether every variant is weighted by the rarity of the word's most common variant (per
    /// field) rather than its own: for the word being typed, whose variants are guesses at one
    /// word, so that a rare exact form (`cov` of "SARS-CoV") does not outweigh the common word
    /// the customer is typing (`covid`) by its rarity alone. The kinds' weights still rank exact
    /// above prefix.
    pub shared_rarity: bool,
}

/// Documents combined at a time: as tantivy's buffered union.
const WINDOW: usize = 4096;
/// 64-bit words of a window's bitsets.
const WINDOW_WORDS: usize = WINDOW / 64;
/// Documents of a full block of postings.
const COMPRESSION_BLOCK_SIZE: usize = 128;
/// Postings from which a term's scores at frequency 1 are tabulated ([`TermCursor::tabulate`]):
/// a table costs 256 divisions.
const TABULATED_POSTINGS: u32 = 1024;
/// Windows of finished scorers a thread keeps for its next ones, at most.
const MAX_SPARE_WINDOWS: usize = 4;

thread_local! {
    /// Windows of the thread's finished scorers, all zeros again: zeroing a new one (66 KB) for
    /// every segment a query's words are scored in was a twelfth of a search in a small help
    /// center.
    static SPARE_WINDOWS: RefCell<Vec<Box<Window>>> = const { RefCell::new(Vec::new()) };
}

/// A query's words, each the best of its variants (see the module documentation).
#[derive(Debug)]
pub(super) struct WordsQuery {
    /// Per word, its terms.
    words: Vec<WordTerms>,
    /// Scored on the documents it matches, added to the words' score.
    bonus: Option<Box<dyn Query>>,
    /// The only sections it matches, when not all.
    only: Option<Arc<SectionSet>>,
}

impl WordsQuery {
    /// The query of `words`, plus `bonus`, matching only the sections of `only` when given.
    pub(super) fn new(
        words: Vec<WordTerms>,
        bonus: Option<Box<dyn Query>>,
        only: Option<Arc<SectionSet>>,
    ) -> Self {
        WordsQuery { words, bonus, only }
    }
}

impl Clone for WordsQuery {
    fn clone(&self) -> Self {
        WordsQuery {
            words: self.words.clone(),
            bonus: self.bonus.as_ref().map(|bonus| bonus.box_clone()),
            only: self.only.clone(),
        }
    }
}

impl Query for WordsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let statistics = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider, ..
            } => Some(statistics_provider),
            EnableScoring::Disabled { .. } => None,
        };
        let words = self
            .words
            .iter()
            .map(|word| weigh_word(statistics, word))
            .collect::<tantivy::Result<_>>()?;
        let bonus = self
            .bonus
            .as_ref()
            .map(|bonus| bonus.weight(enable_scoring))
            .transpose()?;
        Ok(Box::new(WordsWeight {
            words,
            bonus,
            only: self.only.clone(),
        }))
    }
}

/// Per variant of `word`, its terms with their BM25 weights times their boosts (see
/// [`WordTerms::shared_rarity`]); weights scoring 0 without statistics.
pub(super) fn weigh_word(
    statistics: Option<&dyn Bm25StatisticsProvider>,
    word: &WordTerms,
) -> tantivy::Result<Vec<Vec<(Term, Bm25Weight)>>> {
    let Some(statistics) = statistics else {
        let none = Bm25Weight::for_one_term_without_explain(0, 1, 1.0).boost_by(0.0);
        return Ok(word
            .variants
            .iter()
            .map(|terms| {
                terms
                    .iter()
                    .map(|(term, _)| (term.clone(), none.clone()))
                    .collect()
            })
            .collect());
    };
    // Per field, the document frequency that its terms are weighted by.
    let mut shared: Vec<(Field, u64)> = Vec::new();
    if word.shared_rarity {
        for (term, _) in word.variants.iter().flatten() {
            let frequency = statistics.doc_freq(term)?;
            match shared.iter_mut().find(|(field, _)| *field == term.field()) {
                Some((_, most)) => *most = (*most).max(frequency),
                None => shared.push((term.field(), frequency)),
            }
        }
    }
    let documents = statistics.total_num_docs()?;
    let weigh = |term: &Term, boost: f32| -> tantivy::Result<(Term, Bm25Weight)> {
        let frequency = match shared.iter().find(|(field, _)| *field == term.field()) {
            Some((_, frequency)) => *frequency,
            None => statistics.doc_freq(term)?,
        };
        let average_length = statistics.total_num_tokens(term.field())? as Score / documents as Score;
        let weight = bm25_weight(frequency, documents, average_length);
        Ok((term.clone(), weight.boost_by(boost)))
    };
    word.variants
        .iter()
        .map(|terms| terms.iter().map(|(term, boost)| weigh(term, *boost)).collect())
        .collect()
}

/// Most BM25 weights a thread remembers ([`bm25_weight`], 1 KB each); past it, it starts over.
const MAX_REMEMBERED_WEIGHTS: usize = 512;

thread_local! {
    /// [`bm25_weight`] by its arguments (the average's bits).
    static REMEMBERED_WEIGHTS: RefCell<FxHashMap<(u64, u64, u32), Bm25Weight>> =
        RefCell::new(FxHashMap::default());
}

/// tantivy's BM25 weight of a term in `frequency` of `documents` whose field averages
/// `average_length` tokens, remembered by the thread: computing one fills a table of 256 length
/// factors, and a request weighs 40 to 100 terms whose frequencies and fields repeat.
fn bm25_weight(frequency: u64, documents: u64, average_length: Score) -> Bm25Weight {
    let key = (frequency, documents, average_length.to_bits());
    REMEMBERED_WEIGHTS.with_borrow_mut(|remembered| {
        if let Some(weight) = remembered.get(&key) {
            return weight.clone();
        }
        if remembered.len() >= MAX_REMEMBERED_WEIGHTS {
            remembered.clear();
        }
        let weight = Bm25Weight::for_one_term_without_explain(frequency, documents, average_length);
        remembered.insert(key, weight.clone());
        weight
    })
}

/// [`WordsQuery`] with its terms' weights.
struct WordsWeight {
    words: Vec<Vec<Vec<(Term, Bm25Weight)>>>,
    bonus: Option<Box<dyn Weight>>,
    only: Option<Arc<SectionSet>>,
}

impl Weight for WordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.words_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    /// As tantivy's, without a dynamic call per matched document: a typed query's words match
    /// tens of thousands of sections of a large help center.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if let Some(mut scorer) = self.words_scorer(reader, 1.0)? {
            scorer.for_each_above(threshold, callback);
        }
        Ok(())
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match the query's words"
            )));
        }
        Ok(Explanation::new(
            "sum of the words' best variants (the search explanation details them)",
            scorer.score(),
        ))
    }
}

impl WordsWeight {
    /// The scorer in `reader`'s segment; `None` when `only` holds none of its sections.
    fn words_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Option<WordsScorer>> {
        let only = match &self.only {
            None => None,
            Some(sections) => match sections.in_segment(reader.segment_id()) {
                Some(docs) => Some(docs.clone()),
                None => return Ok(None),
            },
        };
        let mut fields = SegmentFields::new(reader);
        let mut words = Vec::with_capacity(self.words.len());
        for variants in &self.words {
            let mut cursors: Vec<Vec<TermCursor>> = variants
                .iter()
                .map(|terms| TermCursor::open_all(&mut fields, terms, boost))
                .collect::<tantivy::Result<_>>()?;
            cursors.iter_mut().flatten().for_each(TermCursor::tabulate);
            words.push(cursors);
        }
        let bonus = match &self.bonus {
            Some(bonus) => Some(bonus.scorer(reader, boost)?),
            None => None,
        };
        Ok(Some(WordsScorer::new(words, bonus, only, reader.max_doc())))
    }
}

/// A segment's inverted index and field lengths per field, each opened once for the many terms
/// of a query (opening one looks it up in the segment's shared tables).
pub(super) struct SegmentFields<'r> {
    reader: &'r SegmentReader,
    opened: Vec<(Field, Arc<InvertedIndexReader>, FieldLengths)>,
}

impl<'r> SegmentFields<'r> {
    /// The fields of `reader`'s segment, none opened yet.
    pub(super) fn new(reader: &'r SegmentReader) -> SegmentFields<'r> {
        SegmentFields {
            reader,
            opened: Vec::new(),
        }
    }

    /// The inverted index and field lengths of `field`.
    fn get(&mut self, field: Field) -> tantivy::Result<(&InvertedIndexReader, &FieldLengths)> {
        let position = match self.opened.iter().position(|(opened, _, _)| *opened == field) {
            Some(position) => position,
            None => {
                let inverted = self.reader.inverted_index(field)?;
                let lengths = match self.reader.fieldnorms_readers().get_inner_file().open_read(field) {
                    Some(file) => FieldLengths::Coded(file.read_bytes()?),
                    None => FieldLengths::Constant(FieldNormReader::fieldnorm_to_id(1)),
                };
                self.opened.push((field, inverted, lengths));
                self.opened.len() - 1
            }
        };
        let (_, inverted, lengths) = &self.opened[position];
        Ok((inverted, lengths))
    }
}

/// A field's length per document of a segment, coded in a byte as BM25 weighs it: tantivy's
/// `FieldNormReader`, with the bytes at hand, so that a loop over postings indexes them without
/// asking which kind it has at each posting.
#[derive(Clone)]
enum FieldLengths {
    /// One byte per document.
    Coded(OwnedBytes),
    /// The same length for every document (a field without lengths).
    Constant(u8),
}

impl FieldLengths {
    /// The length of the field in `doc`.
    fn of(&self, doc: DocId) -> u8 {
        match self {
            FieldLengths::Coded(lengths) => lengths.as_slice()[doc as usize],
            FieldLengths::Constant(length) => *length,
        }
    }
}

/// One term's postings in a segment, with what scores them. The postings are read a block of
/// 128 documents at a time ([`Window::add_postings`] runs through a block's arrays), where
/// tantivy's `SegmentPostings` reads them one at a time.
pub(super) struct TermCursor {
    postings: BlockSegmentPostings,
    /// The current document's place in the block: past its end when the postings are done.
    place: usize,
    lengths: FieldLengths,
    weight: Bm25Weight,
    /// Per field length, the score at term frequency 1, for a term of many postings
    /// ([`TermCursor::tabulate`]).
    once: Option<Box<[Score; 256]>>,
}

impl TermCursor {
    /// The cursor of `term` in `reader`, at its first document; `None` when the segment lacks it.
    pub(super) fn open(
        reader: &SegmentReader,
        term: &Term,
        weight: &Bm25Weight,
        boost: Score,
    ) -> tantivy::Result<Option<TermCursor>> {
        TermCursor::open_in(&mut SegmentFields::new(reader), term, weight, boost)
    }

    /// [`TermCursor::open`] in the segment of `fields`.
    fn open_in(
        fields: &mut SegmentFields,
        term: &Term,
        weight: &Bm25Weight,
        boost: Score,
    ) -> tantivy::Result<Option<TermCursor>> {
        let Some(info) = term_info(fields.reader, term)? else {
            return Ok(None);
        };
        let (inverted, lengths) = fields.get(term.field())?;
        let postings = inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        let weight = if boost == 1.0 {
            weight.clone()
        } else {
            weight.boost_by(boost)
        };
        Ok(Some(TermCursor {
            postings,
            place: 0,
            lengths: lengths.clone(),
            weight,
            once: None,
        }))
    }

    /// The cursors of those of `terms` that the segment of `fields` holds, each scored by its
    /// weight times `boost`.
    pub(super) fn open_all(
        fields: &mut SegmentFields,
        terms: &[(Term, Bm25Weight)],
        boost: Score,
    ) -> tantivy::Result<Vec<TermCursor>> {
        let mut cursors = Vec::with_capacity(terms.len());
        for (term, weight) in terms {
            cursors.extend(TermCursor::open_in(fields, term, weight, boost)?);
        }
        Ok(cursors)
    }

    /// The document the cursor is on; `TERMINATED` when done.
    fn doc(&self) -> DocId {
        self.postings
            .docs()
            .get(self.place)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first document at or after `target` (never back), and returns it.
    pub(super) fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.place = self.postings.seek(target);
        }
        self.doc()
    }

    /// Tabulates the term's scores at frequency 1 (the same computation, so the same scores)
    /// when it has [`TABULATED_POSTINGS`] or more: most postings hold a term once, and a table
    /// look-up replaces a division for each of them.
    fn tabulate(&mut self) {
        if self.postings.doc_freq() >= TABULATED_POSTINGS {
            let weight = &self.weight;
            self.once = Some(Box::new(std::array::from_fn(|length| {
                weight.score(length as u8, 1)
            })));
        }
    }

    /// The term's score in the document the cursor is on.
    pub(super) fn score(&self) -> Score {
        self.score_of(self.doc(), self.postings.freq(self.place))
    }

    /// The term's score in `doc`, which holds it `frequency` times.
    fn score_of(&self, doc: DocId, frequency: u32) -> Score {
        score_at(
            &self.weight,
            self.once.as_deref(),
            self.lengths.of(doc),
            frequency,
        )
    }
}

/// A term's score by `weight` in a field of `length` that holds it `frequency` times, looked up
/// in `once` at frequency 1 when tabulated ([`TermCursor::tabulate`]).
fn score_at(weight: &Bm25Weight, once: Option<&[Score; 256]>, length: u8, frequency: u32) -> Score {
    match once {
        Some(once) if frequency == 1 => once[usize::from(length)],
        _ => weight.score(length, frequency),
    }
}

/// A word's score from the best and the sum of its variants' scores: the best plus a share of
/// the others, as tantivy's disjunction-max query combines them.
fn word_of_variants(best: Score, sum: Score) -> Score {
    best + (sum - best) * VARIANT_TIE_BREAKER
}

/// The score of one word in `doc`, from the cursors of its variants' terms, sought to `doc`;
/// `None` if it does not match. Unless `scored`, the first match is enough and the score is 0.
/// The one-document counterpart of [`Window::add_word`], for the sections a search fetched.
pub(super) fn word_score(variants: &mut [Vec<TermCursor>], doc: DocId, scored: bool) -> Option<Score> {
    let mut matched = false;
    let (mut best, mut sum) = (0.0, 0.0);
    for terms in variants.iter_mut() {
        let mut variant = 0.0;
        for cursor in terms.iter_mut() {
            if cursor.seek(doc) != doc {
                continue;
            }
            if !scored {
                return Some(0.0);
            }
            matched = true;
            variant += cursor.score();
        }
        best = Score::max(best, variant);
        sum += variant;
    }
    matched.then(|| word_of_variants(best, sum))
}

/// Scores of a window of documents, as the levels of the query combine them.
struct Window {
    /// First document of the window.
    start: DocId,
    /// The score of each document so far.
    total: [Score; WINDOW],
    /// Documents matched, not yet returned.
    matched: [u64; WINDOW_WORDS],
    /// Per document, the variant being read.
    variant: [Score; WINDOW],
    variant_docs: [u64; WINDOW_WORDS],
    /// Per document, the best and the sum of the word's variants read so far.
    best: [Score; WINDOW],
    sum: [Score; WINDOW],
    word_docs: [u64; WINDOW_WORDS],
    /// The `matched` word being returned from.
    bucket: usize,
}

impl Window {
    /// A window of zeros: a spare one of the thread's, else a new one.
    fn new() -> Box<Window> {
        if let Some(spare) = SPARE_WINDOWS.with_borrow_mut(Vec::pop) {
            return spare;
        }
        Box::new(Window {
            start: 0,
            total: [0.0; WINDOW],
            matched: [0; WINDOW_WORDS],
            variant: [0.0; WINDOW],
            variant_docs: [0; WINDOW_WORDS],
            best: [0.0; WINDOW],
            sum: [0.0; WINDOW],
            word_docs: [0; WINDOW_WORDS],
            bucket: WINDOW_WORDS,
        })
    }

    /// Reads the postings of `word`'s variants below the window's end, and adds the word's
    /// score to the documents it matches (of `only`, when given).
    fn add_word(&mut self, word: &mut [Vec<TermCursor>], end: DocId, only: Option<&BitSet>) {
        if let [terms] = word {
            // One variant: its best and its sum are its score, which `word_of_variants` returns
            // unchanged.
            self.add_variant(terms, end, only);
            drain(&mut self.variant_docs, |delta| {
                self.total[delta] += std::mem::take(&mut self.variant[delta]);
                set(&mut self.matched, delta);
            });
            return;
        }
        for terms in word.iter_mut() {
            self.add_variant(terms, end, only);
            drain(&mut self.variant_docs, |delta| {
                let score = std::mem::take(&mut self.variant[delta]);
                self.best[delta] = self.best[delta].max(score);
                self.sum[delta] += score;
                set(&mut self.word_docs, delta);
            });
        }
        drain(&mut self.word_docs, |delta| {
            let best = std::mem::take(&mut self.best[delta]);
            let sum = std::mem::take(&mut self.sum[delta]);
            self.total[delta] += word_of_variants(best, sum);
            set(&mut self.matched, delta);
        });
    }

    /// Reads the postings of a variant's `terms` below the window's end, and adds their scores
    /// to the variant's (of the documents of `only`, when given).
    fn add_variant(&mut self, terms: &mut [TermCursor], end: DocId, only: Option<&BitSet>) {
        for cursor in terms {
            let TermCursor {
                postings,
                place,
                lengths,
                weight,
                once,
            } = cursor;
            let once = once.as_deref();
            // One loop for each kind of field lengths, rather than a choice at each posting.
            match lengths {
                FieldLengths::Coded(lengths) => {
                    let lengths = lengths.as_slice();
                    self.add_postings(postings, place, end, only, |doc, frequency| {
                        score_at(weight, once, lengths[doc as usize], frequency)
                    });
                }
                FieldLengths::Constant(length) => {
                    self.add_postings(postings, place, end, only, |_, frequency| {
                        score_at(weight, once, *length, frequency)
                    });
                }
            }
        }
    }

    /// Reads `postings` from `place` in their block up to the window's end, and adds the score
    /// of each document (of `only`, when given) to the variant's.
    fn add_postings(
        &mut self,
        postings: &mut BlockSegmentPostings,
        place: &mut usize,
        end: DocId,
        only: Option<&BitSet>,
        score: impl Fn(DocId, u32) -> Score,
    ) {
        loop {
            let docs = postings.docs();
            let first = (*place).min(docs.len());
            let mut read = first;
            for &doc in &docs[first..] {
                if doc >= end {
                    break;
                }
                if only.is_none_or(|only| only.contains(doc)) {
                    let delta = (doc - self.start) as usize;
                    self.variant[delta] += score(doc, postings.freq(read));
                    set(&mut self.variant_docs, delta);
                }
                read += 1;
            }
            *place = read;
            // Stopped at the window's end, or done with the last block.
            if read < docs.len() || docs.len() < COMPRESSION_BLOCK_SIZE {
                return;
            }
            postings.advance();
            *place = 0;
        }
    }

    /// Adds the bonus scorer's scores below the window's end (to the documents of `only`, when
    /// given).
    fn add_bonus(&mut self, bonus: &mut dyn Scorer, end: DocId, only: Option<&BitSet>) {
        while bonus.doc() < end {
            let doc = bonus.doc();
            if only.is_none_or(|only| only.contains(doc)) {
                let delta = (doc - self.start) as usize;
                self.total[delta] += bonus.score();
                set(&mut self.matched, delta);
            }
            bonus.advance();
        }
    }

    /// The next matched document's position in the window and its score, forgotten here.
    fn pop(&mut self) -> Option<(usize, Score)> {
        while self.bucket < WINDOW_WORDS {
            let bits = self.matched[self.bucket];
            if bits != 0 {
                let delta = self.bucket * 64 + bits.trailing_zeros() as usize;
                self.matched[self.bucket] = bits & (bits - 1);
                return Some((delta, std::mem::take(&mut self.total[delta])));
            }
            self.bucket += 1;
        }
        None
    }

    /// Forgets the matched documents before position `delta`.
    fn skip_to(&mut self, delta: usize) {
        let last = delta.min(WINDOW) / 64;
        while self.bucket < WINDOW_WORDS && self.bucket <= last {
            let below = if self.bucket < last {
                u64::MAX
            } else {
                (1u64 << (delta % 64)) - 1
            };
            let mut skipped = self.matched[self.bucket] & below;
            self.matched[self.bucket] &= !below;
            while skipped != 0 {
                self.total[self.bucket * 64 + skipped.trailing_zeros() as usize] = 0.0;
                skipped &= skipped - 1;
            }
            if self.bucket == last {
                break;
            }
            self.bucket += 1;
        }
    }
}

fn set(bits: &mut [u64; WINDOW_WORDS], delta: usize) {
    bits[delta / 64] |= 1 << (delta % 64);
}

/// Calls `each` with every position set in `bits`, in order, and clears them.
fn drain(bits: &mut [u64; WINDOW_WORDS], mut each: impl FnMut(usize)) {
    for (bucket, word) in bits.iter_mut().enumerate() {
        let mut remaining = std::mem::take(word);
        while remaining != 0 {
            each(bucket * 64 + remaining.trailing_zeros() as usize);
            remaining &= remaining - 1;
        }
    }
}

/// The scorer of [`WordsQuery`] in one segment.
struct WordsScorer {
    words: Vec<Vec<Vec<TermCursor>>>,
    bonus: Option<Box<dyn Scorer>>,
    /// The only documents matched, when not all.
    only: Option<BitSet>,
    /// Given back to the thread's spares when the scorer is dropped.
    window: Option<Box<Window>>,
    doc: DocId,
    score: Score,
    max_doc: u32,
}

impl WordsScorer {
    fn new(
        words: Vec<Vec<Vec<TermCursor>>>,
        bonus: Option<Box<dyn Scorer>>,
        only: Option<BitSet>,
        max_doc: u32,
    ) -> Self {
        let mut scorer = WordsScorer {
            words,
            bonus,
            only,
            window: Some(Window::new()),
            doc: 0,
            score: 0.0,
            max_doc,
        };
        scorer.advance();
        scorer
    }

    fn cursors(&self) -> impl Iterator<Item = &TermCursor> {
        self.words.iter().flatten().flatten()
    }

    /// Scores the next window, from the first document any term or the bonus is on; false when
    /// every one is exhausted.
    fn refill(&mut self) -> bool {
        let first = self
            .cursors()
            .map(TermCursor::doc)
            .chain(self.bonus.as_ref().map(|bonus| bonus.doc()))
            .min()
            .unwrap_or(TERMINATED);
        if first == TERMINATED {
            return false;
        }
        let Some(window) = self.window.as_deref_mut() else {
            return false;
        };
        window.start = first;
        window.bucket = 0;
        let end = first.saturating_add(WINDOW as DocId).min(TERMINATED);
        let only = self.only.as_ref();
        for word in &mut self.words {
            window.add_word(word, end, only);
        }
        if let Some(bonus) = &mut self.bonus {
            window.add_bonus(bonus.as_mut(), end, only);
        }
        true
    }

    /// Calls `callback` with each document from the current one on whose score exceeds the
    /// threshold, which the callback returns anew: tantivy's pruning loop over a scorer.
    fn for_each_above(&mut self, mut threshold: Score, callback: &mut dyn FnMut(DocId, Score) -> Score) {
        if self.doc == TERMINATED {
            return;
        }
        if self.score > threshold {
            threshold = callback(self.doc, self.score);
        }
        while let Some(window) = self.window.as_deref_mut() {
            while let Some((delta, score)) = window.pop() {
                if score > threshold {
                    threshold = callback(window.start + delta as DocId, score);
                }
            }
            if !self.refill() {
                break;
            }
        }
        self.doc = TERMINATED;
    }
}

impl DocSet for WordsScorer {
    fn advance(&mut self) -> DocId {
        while let Some(window) = self.window.as_deref_mut() {
            if let Some((delta, score)) = window.pop() {
                self.doc = window.start + delta as DocId;
                self.score = score;
                return self.doc;
            }
            if !self.refill() {
                break;
            }
        }
        self.doc = TERMINATED;
        TERMINATED
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let Some(window) = self.window.as_deref_mut() else {
            return self.advance();
        };
        let window_end = window.start.saturating_add(WINDOW as DocId);
        if target < window_end {
            window.skip_to((target - window.start) as usize);
            return self.advance();
        }
        // Beyond the window: forget it, and move every term to the target.
        window.skip_to(WINDOW);
        for cursor in self.words.iter_mut().flatten().flatten() {
            cursor.seek(target);
        }
        if let Some(bonus) = &mut self.bonus {
            if bonus.doc() < target {
                bonus.seek(target);
            }
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        let postings: u64 = self
            .cursors()
            .map(|cursor| u64::from(cursor.postings.doc_freq()))
            .sum();
        postings.min(u64::from(self.max_doc)) as u32
    }
}

impl Drop for WordsScorer {
    /// Gives the window back to the thread's spares, its unreturned documents forgotten: all
    /// zeros again (the per-word arrays are emptied as each word is read).
    fn drop(&mut self) {
        if let Some(mut window) = self.window.take() {
            window.skip_to(WINDOW);
            // Not at all while the thread is being torn down.
            let _ = SPARE_WINDOWS.try_with(|spares| {
                let mut spares = spares.borrow_mut();
                if spares.len() < MAX_SPARE_WINDOWS {
                    spares.push(window);
                }
            });
        }
    }
}

impl Scorer for WordsScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use tantivy::collector::TopDocs;
    use tantivy::query::{
        BooleanQuery, BoostQuery, DisjunctionMaxQuery, EnableScoring, Occur, Query, TermQuery,
    };
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, BitSet, Index, Searcher, Term};

    use super::{VariantTerms, WordTerms, WordsQuery, VARIANT_TIE_BREAKER};
    use crate::index::SectionSet;

    const DOCS: u32 = 10_000;

    /// An index whose documents hold words by the divisors of their number: several windows
    /// long, with terms dense and sparse.
    fn searcher() -> (Searcher, tantivy::schema::Field, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 50_000_000).expect("writer");
        for n in 0..DOCS {
            let words = |divisors: &[(u32, &str)]| {
                divisors
                    .iter()
                    .filter(|(divisor, _)| n % divisor == 0)
                    .map(|(_, word)| *word)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            writer
                .add_document(doc!(
                    title => words(&[(3, "alpha"), (7, "beta"), (1000, "rare")]),
                    body => format!("{} filler", words(&[(2, "alpha"), (5, "beta"), (5, "alpha"), (11, "gamma")])),
                ))
                .expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        (searcher, title, body)
    }

    /// The same query as tantivy's nested queries: a union of words, each the best of its
    /// variants, each a union of boosted terms.
    fn nested(words: &[Vec<VariantTerms>], bonus: Option<Box<dyn Query>>) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|variants| {
                let variants: Vec<Box<dyn Query>> = variants
                    .iter()
                    .map(|terms| {
                        let fields: Vec<(Occur, Box<dyn Query>)> = terms
                            .iter()
                            .map(|(term, boost)| {
                                let query = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                                (
                                    Occur::Should,
                                    Box::new(BoostQuery::new(Box::new(query), *boost)) as Box<dyn Query>,
                                )
                            })
                            .collect();
                        Box::new(BooleanQuery::new(fields)) as Box<dyn Query>
                    })
                    .collect();
                let word = DisjunctionMaxQuery::with_tie_breaker(variants, VARIANT_TIE_BREAKER);
                (Occur::Should, Box::new(word) as Box<dyn Query>)
            })
            .collect();
        if let Some(bonus) = bonus {
            clauses.push((Occur::Should, bonus));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn scores(searcher: &Searcher, query: &dyn Query) -> BTreeMap<u32, f32> {
        searcher
            .search(query, &TopDocs::with_limit(DOCS as usize).order_by_score())
            .expect("search")
            .into_iter()
            .map(|(score, address)| (address.doc_id, score))
            .collect()
    }

    /// `words` as a query, each word's variants weighted by their own rarity, matching only the
    /// sections of `only` when given.
    fn words_query(
        words: &[Vec<VariantTerms>],
        bonus: Option<Box<dyn Query>>,
        only: Option<Arc<SectionSet>>,
    ) -> WordsQuery {
        let words = words
            .iter()
            .map(|variants| WordTerms {
                variants: variants.clone(),
                shared_rarity: false,
            })
            .collect();
        WordsQuery::new(words, bonus, only)
    }

    fn restricted(filter: &Term, query: Box<dyn Query>) -> Box<dyn Query> {
        let filter = TermQuery::new(filter.clone(), IndexRecordOption::Basic);
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(filter) as Box<dyn Query>),
            (Occur::Must, query),
        ]))
    }

    #[test]
    fn scores_every_document_as_the_nested_queries_do() {
        let (searcher, title, body) = searcher();
        let term = |field, text: &str| Term::from_field_text(field, text);
        let words: Vec<Vec<VariantTerms>> = vec![
            vec![
                vec![(term(body, "alpha"), 1.0), (term(title, "alpha"), 2.0)],
                vec![(term(body, "beta"), 0.7), (term(title, "beta"), 1.4)],
            ],
            vec![vec![(term(body, "gamma"), 1.0), (term(title, "rare"), 0.5)]],
        ];
        let bonus = || {
            Some(
                Box::new(TermQuery::new(term(title, "beta"), IndexRecordOption::WithFreqs)) as Box<dyn Query>,
            )
        };
        let expected = scores(&searcher, nested(&words, bonus()).as_ref());
        let found = scores(&searcher, &words_query(&words, bonus(), None));
        assert!(expected.len() > 4096, "the documents span several windows");
        assert_eq!(found, expected);

        // Restricted to a set of sections (dense in the first window, sparse after it), the same
        // scores, for the set's documents only.
        let mut set = BitSet::with_max_value(DOCS);
        for doc in (0..100).chain((100..DOCS).step_by(997)) {
            set.insert(doc);
        }
        let segment = searcher.segment_reader(0).segment_id();
        let only = Arc::new(SectionSet::new(vec![(segment, set.clone())]));
        let found = scores(&searcher, &words_query(&words, bonus(), Some(only)));
        let in_set: BTreeMap<u32, f32> = expected
            .iter()
            .filter(|(doc, _)| set.contains(**doc))
            .map(|(&doc, &score)| (doc, score))
            .collect();
        assert!(in_set.len() > 50, "{}", in_set.len());
        assert_eq!(found, in_set);

        // Intersected with a sparse term, the words are sought rather than read in order, within
        // a window and beyond it.
        let sparse = term(title, "rare");
        let expected = scores(&searcher, restricted(&sparse, nested(&words, bonus())).as_ref());
        let found = scores(
            &searcher,
            restricted(&sparse, Box::new(words_query(&words, bonus(), None))).as_ref(),
        );
        assert_eq!(
            found.keys().copied().collect::<Vec<_>>(),
            (0..DOCS).step_by(1000).collect::<Vec<_>>()
        );
        assert_eq!(found, expected);
    }

    #[test]
    fn a_scorer_dropped_midway_gives_back_a_clean_window() {
        let (searcher, title, body) = searcher();
        let query = |word: &str, boost: f32| {
            let terms = vec![
                (Term::from_field_text(body, word), 1.0),
                (Term::from_field_text(title, word), boost),
            ];
            words_query(&[vec![terms]], None, None)
        };
        let (dropped, next) = (query("alpha", 2.0), query("gamma", 3.0));
        let expected = scores(&searcher, &next);
        // A scorer dropped with scored documents left in its window (a search that stops early).
        let weight = dropped
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .expect("weight");
        let mut scorer = weight.scorer(searcher.segment_reader(0), 1.0).expect("scorer");
        scorer.seek(10);
        drop(scorer);
        // The thread's next scorer takes that window: nothing of the first query is left in it.
        assert_eq!(scores(&searcher, &next), expected);
    }

    #[test]
    fn a_query_of_terms_the_segment_lacks_matches_nothing() {
        let (searcher, _, body) = searcher();
        let words = vec![vec![vec![(Term::from_field_text(body, "absent"), 1.0)]]];
        assert!(scores(&searcher, &words_query(&words, None, None)).is_empty());
    }

    #[test]
    fn a_word_of_shared_rarity_weighs_its_variants_by_the_most_common_one() {
        let (searcher, title, _) = searcher();
        // The typed form ("rare": 10 documents) and a completion ("alpha": every third).
        let variants = vec![
            vec![(Term::from_field_text(title, "rare"), 1.0)],
            vec![(Term::from_field_text(title, "alpha"), 0.7)],
        ];
        let ratio = |shared_rarity| {
            let query = WordsQuery::new(
                vec![WordTerms {
                    variants: variants.clone(),
                    shared_rarity,
                }],
                None,
                None,
            );
            let found = scores(&searcher, &query);
            // Documents 1000 and 3 hold one title word each: "rare" and "alpha".
            found[&3] / found[&1000]
        };
        // By its own rarity, the rare form scores far above the common one.
        assert!(ratio(false) < 0.3, "{}", ratio(false));
        // By a shared one, only the kinds' weights tell them apart: the typed form still first.
        assert!((ratio(true) - 0.7).abs() < 1e-4, "{}", ratio(true));
    }
}
