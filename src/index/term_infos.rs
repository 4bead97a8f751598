//! Term-dictionary entries of small segments, remembered by the thread. A search looks up 40 to
//! 100 terms, most of them twice (for the BM25 weight and for the postings), and a small help
//! center's customers ask for the same terms again and again; each look-up walks the segment's
//! term dictionary. A segment never changes, so an entry remembered under its segment's id never
//! goes stale, and the thread's own memory needs no lock.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::{Searcher, SegmentReader, Term};

/// Documents of the largest segment whose entries are remembered: a small help center's (the
/// sample's single segment holds 348 sections). A large one's searches spread over more terms
/// than a bounded memory holds.
const MAX_REMEMBERED_SEGMENT_DOCS: u32 = 4096;
/// Entries a thread remembers at most (about 100 bytes each); past it, it starts over.
const MAX_REMEMBERED_TERMS: usize = 8192;

/// Remembered entries per segment, and how many in all.
type Remembered = (FxHashMap<SegmentId, FxHashMap<Term, Option<TermInfo>>>, usize);

thread_local! {
    static REMEMBERED: RefCell<Remembered> = RefCell::new((FxHashMap::default(), 0));
}

/// The entry of `term` in the term dictionary of `reader`'s segment; `None` when the segment
/// lacks the term.
pub fn term_info(reader: &SegmentReader, term: &Term) -> tantivy::Result<Option<TermInfo>> {
    let look_up = || -> tantivy::Result<Option<TermInfo>> {
        Ok(reader.inverted_index(term.field())?.get_term_info(term)?)
    };
    if reader.max_doc() > MAX_REMEMBERED_SEGMENT_DOCS {
        return look_up();
    }
    let segment = reader.segment_id();
    let remembered = REMEMBERED
        .with_borrow(|(segments, _)| segments.get(&segment).and_then(|terms| terms.get(term)).cloned());
    if let Some(info) = remembered {
        return Ok(info);
    }
    let info = look_up()?;
    REMEMBERED.with_borrow_mut(|(segments, count)| {
        if *count >= MAX_REMEMBERED_TERMS {
            segments.clear();
            *count = 0;
        }
        segments
            .entry(segment)
            .or_default()
            .insert(term.clone(), info.clone());
        *count += 1;
    });
    Ok(info)
}

/// The sections of `searcher`'s segments that hold `term` (BM25's document frequency), as
/// tantivy's `Searcher::doc_freq` counts them, from their [`term_info`]: a request weighs 40 to
/// 100 terms, most of them asked for before.
pub fn doc_freq(searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
    let mut frequency = 0;
    for reader in searcher.segment_readers() {
        frequency += term_info(reader, term)?.map_or(0, |info| u64::from(info.doc_freq));
    }
    Ok(frequency)
}
