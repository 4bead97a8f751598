//! A bounded nudge from what customers did: an article that the customers of a language click
//! and find helpful rises a little in that language's results, one they vote down sinks a
//! little. The factor stays within 1 ± [`MAX_BOOST`], grows slowly with evidence, and applies only
//! in languages with at least [`MIN_EVIDENCE`] of it, so relevance always dominates.

use std::collections::HashMap;

use super::SearchHit;

/// The largest change of a score: ±10 %.
pub const MAX_BOOST: f32 = 0.1;
/// Evidence (decayed clicks and votes) at which an article gets half of [`MAX_BOOST`].
pub const HALF_BOOST_EVIDENCE: f32 = 10.0;
/// Evidence a language needs in all before any of its articles is nudged.
pub const MIN_EVIDENCE: f32 = 30.0;
/// Extra results fetched so that a nudge can lift an article into the list.
pub const EXTRA_CANDIDATES: usize = 5;

/// Evidence about one article from the customers of one language: positive for clicks and
/// helpful votes, negative for unhelpful ones.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Signal {
    /// The customers' language.
    pub lang: String,
    /// Article id.
    pub id: String,
    /// How much (already decayed by age).
    pub weight: f32,
}

/// The evidence per language and article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Boosts {
    per_lang: HashMap<String, HashMap<String, f32>>,
}

impl Boosts {
    /// The boosts of `signals`; languages with too little evidence are left out.
    pub fn new(signals: impl IntoIterator<Item = Signal>) -> Boosts {
        let mut per_lang: HashMap<String, HashMap<String, f32>> = HashMap::new();
        for signal in signals {
            *per_lang
                .entry(signal.lang)
                .or_default()
                .entry(signal.id)
                .or_default() += signal.weight;
        }
        per_lang
            .retain(|_, articles| articles.values().map(|weight| weight.abs()).sum::<f32>() >= MIN_EVIDENCE);
        Boosts { per_lang }
    }

    /// Whether no language has enough evidence.
    pub fn is_empty(&self) -> bool {
        self.per_lang.is_empty()
    }

    /// The score factor of article `id` for customers of `lang`: 1 without evidence, towards
    /// 1 ± [`MAX_BOOST`] with much.
    pub fn factor(&self, lang: &str, id: &str) -> f32 {
        let evidence = self
            .per_lang
            .get(lang)
            .and_then(|articles| articles.get(id))
            .copied()
            .unwrap_or_default();
        1.0 + MAX_BOOST * evidence / (evidence.abs() + HALF_BOOST_EVIDENCE)
    }

    /// Applies the factors of `lang` to `hits` and sorts them again, best first (ties keep their
    /// order).
    pub fn rerank(&self, lang: &str, hits: &mut [SearchHit]) {
        if !self.per_lang.contains_key(lang) {
            return;
        }
        for hit in hits.iter_mut() {
            hit.score *= self.factor(lang, &hit.id);
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(lang: &str, id: &str, weight: f32) -> Signal {
        Signal {
            lang: lang.into(),
            id: id.into(),
            weight,
        }
    }

    #[test]
    fn factors_are_bounded_and_need_enough_evidence_per_language() {
        let boosts = Boosts::new([
            signal("en", "popular", 1_000.0),
            signal("en", "disliked", -20.0),
            signal("nl", "popular", 5.0),
        ]);
        let popular = boosts.factor("en", "popular");
        assert!(popular > 1.09 && popular < 1.0 + MAX_BOOST, "{popular}");
        let disliked = boosts.factor("en", "disliked");
        assert!(disliked < 1.0 && disliked > 1.0 - MAX_BOOST, "{disliked}");
        assert_eq!(boosts.factor("en", "unknown"), 1.0);
        assert_eq!(boosts.factor("nl", "popular"), 1.0, "too little evidence in nl");
        assert!(Boosts::new([]).is_empty());
    }
}
