//! A query that matches a fixed set of sections ([`SectionSet`]), at no score: what a fallback
//! search is restricted to, so that tantivy scores the customer's words only on the sections it
//! may offer.

use std::sync::Arc;

use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError};

use crate::index::SectionSet;

/// Matches the sections of a [`SectionSet`], each with score 0.
#[derive(Clone)]
pub(super) struct SectionsQuery {
    sections: Arc<SectionSet>,
}

impl SectionsQuery {
    /// The query for `sections`.
    pub(super) fn new(sections: Arc<SectionSet>) -> Self {
        SectionsQuery { sections }
    }
}

impl std::fmt::Debug for SectionsQuery {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SectionsQuery")
    }
}

impl Query for SectionsQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for SectionsQuery {
    fn scorer(&self, reader: &SegmentReader, _: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.sections.in_segment(reader.segment_id()) {
            Some(docs) => Box::new(ConstScorer::new(BitSetDocSet::from(docs.clone()), 0.0)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "section {doc} is not in the set"
            )));
        }
        Ok(Explanation::new("SectionsQuery", 0.0))
    }
}
