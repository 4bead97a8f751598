//! Separable verbs: German and Dutch write a verb's prefix apart, at the end of its clause. "Wie
//! setze ich mein Passwort zurück?" asks how to `zurücksetzen`, "Hoe stel ik 2FA in?" how to
//! `instellen`: the words a help article uses. Searched apart, `setze` and `zurück` find other
//! things (`zurück` finds "Geld zurück", refunds).

use super::{AnalyzedToken, Analyzer};

/// German verb particles that stand alone at the end of a clause, folded as analysis folds
/// German words (`zurück` → `zuruck`), so that they compare with tokens as they are.
const GERMAN_PARTICLES: &[&str] = &[
    "ab", "an", "auf", "aus", "bei", "bereit", "dar", "durch", "ein", "fest", "fort", "frei", "her", "herab",
    "heraus", "herein", "herunter", "hin", "hinaus", "hinein", "hinzu", "hoch", "los", "mit", "nach",
    "nieder", "rauf", "raus", "rein", "runter", "statt", "teil", "um", "vor", "voran", "voraus", "vorbei",
    "weg", "weiter", "wieder", "zu", "zurecht", "zuruck", "zusammen",
];

/// Dutch verb particles that stand alone at the end of a clause.
const DUTCH_PARTICLES: &[&str] = &[
    "aan", "af", "bij", "binnen", "dicht", "door", "in", "klaar", "kwijt", "langs", "los", "mee", "na",
    "neer", "om", "op", "open", "over", "rond", "samen", "tegen", "terug", "toe", "uit", "vast", "voor",
    "vrij", "weg",
];

/// Characters that end a clause.
const CLAUSE_ENDS: &[char] = &['.', ',', ';', ':', '!', '?', '\n', '(', ')'];

/// The separable-verb particles of the language `code`; none for other languages.
fn particles(code: &str) -> &'static [&'static str] {
    match code {
        "de" => GERMAN_PARTICLES,
        "nl" => DUTCH_PARTICLES,
        _ => &[],
    }
}

impl Analyzer {
    /// Joins each particle that ends a clause of `tokens` (this analyzer's tokens of `text`) to
    /// the verb it was split from: the first word before it in the clause that, with the particle
    /// in front, makes a stem `known` accepts (`zurück` + `setze` → `zurucksetz`, the stem of
    /// `zurücksetzen`, where the help center uses that word). The verb's token takes the joined
    /// word and stem; the particle's becomes a stop word, since alone it says nothing. A
    /// verb is tried as its infinitive may stem ([`infinitives`]). When `typing`, the last token
    /// is still being typed: as a particle it joins its verb but its own token stays as it was,
    /// since it may yet grow into another word. Returns the positions in `tokens` of the verbs joined.
    pub fn join_separable_verbs(
        &self,
        text: &str,
        tokens: &mut [AnalyzedToken],
        typing: bool,
        known: impl Fn(&str) -> bool,
    ) -> Vec<usize> {
        let mut verbs = Vec::new();
        let Some(language) = self.language() else {
            return verbs;
        };
        let particles = particles(language.code);
        if particles.is_empty() {
            return verbs;
        }
        let gap_ends_clause =
            |from: usize, to: usize| text.get(from..to).is_some_and(|gap| gap.contains(CLAUSE_ENDS));
        for particle in 1..tokens.len() {
            // A particle being typed may still grow into another word ("zurück" →
            // "zurückgeben"): it joins its verb but stays the word being typed, as it was.
            let being_typed = typing && particle + 1 == tokens.len();
            let ends_clause = tokens
                .get(particle + 1)
                .is_none_or(|next| gap_ends_clause(tokens[particle].end, next.start));
            let word = &tokens[particle].word;
            if !ends_clause || tokens[particle].ngram || !particles.contains(&word.as_str()) {
                continue;
            }
            let mut start = particle;
            while start > 0 && !gap_ends_clause(tokens[start - 1].end, tokens[start].start) {
                start -= 1;
            }
            let joined = (start..particle).find_map(|verb| {
                infinitives(&tokens[verb].word)
                    .into_iter()
                    .find_map(|infinitive| {
                        let joined = format!("{word}{infinitive}");
                        let stem = self.analyze(&joined).into_iter().next()?.term;
                        known(&stem).then_some((verb, joined, stem))
                    })
            });
            if let Some((verb, joined, stem)) = joined {
                tokens[verb].word = joined;
                tokens[verb].term = stem;
                tokens[verb].stop_word = false;
                if !being_typed {
                    tokens[particle].stop_word = true;
                }
                verbs.push(verb);
            }
        }
        verbs
    }
}

/// The forms of a finite verb that its infinitive may stem like: the verb as written (German
/// `setze`, whose stem `setz` is the infinitive's), without a person's `-t` (`setzt`, Dutch
/// `stelt`), and with the infinitive's `-en` added, after a doubled last consonant too (Dutch
/// `stel` → `stellen`, `zeg` → `zeggen`, whose stems keep the double letter).
fn infinitives(verb: &str) -> Vec<String> {
    let mut stems = vec![verb];
    if let Some(stem) = verb.strip_suffix('t').filter(|stem| !stem.is_empty()) {
        stems.push(stem);
    }
    let mut forms = Vec::new();
    for stem in stems {
        forms.push(stem.to_string());
        forms.push(format!("{stem}en"));
        if let Some(last) = stem.chars().last() {
            forms.push(format!("{stem}{last}en"));
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use crate::analysis::{Analysis, LangTag};

    fn joined(lang: &str, text: &str, known: &[&str], typing: bool) -> Vec<(String, bool)> {
        let analyzer = Analysis::PerLanguage.analyzer(&LangTag::parse(lang).expect("a known language"));
        let mut tokens = analyzer.analyze(text);
        let verbs = analyzer.join_separable_verbs(text, &mut tokens, typing, |stem| known.contains(&stem));
        assert!(verbs
            .iter()
            .all(|&verb| known.contains(&tokens[verb].term.as_str())));
        tokens
            .into_iter()
            .map(|token| (token.term, token.stop_word))
            .collect()
    }

    #[test]
    fn a_particle_at_the_end_of_a_clause_joins_its_verb() {
        let tokens = joined(
            "de",
            "Wie setze ich mein Passwort zurück?",
            &["zurucksetz"],
            false,
        );
        assert!(tokens.contains(&("zurucksetz".to_string(), false)), "{tokens:?}");
        assert!(tokens.contains(&("zuruck".to_string(), true)), "{tokens:?}");
        let tokens = joined("de", "Wie setzt man das Passwort zurück?", &["zurucksetz"], false);
        assert!(tokens.contains(&("zurucksetz".to_string(), false)), "{tokens:?}");
        let tokens = joined(
            "de",
            "Wie schalte ich mein Konto frei, und lade ich Belege hoch?",
            &["freischalt", "hochlad"],
            false,
        );
        assert!(tokens.contains(&("freischalt".to_string(), false)), "{tokens:?}");
        assert!(tokens.contains(&("hochlad".to_string(), false)), "{tokens:?}");
        // Dutch stems keep the infinitive's double consonant: `instellen` → `instell`.
        for text in [
            "Hoe stel ik tweestapsverificatie in?",
            "Hoe stelt u tweestapsverificatie in?",
        ] {
            let tokens = joined("nl", text, &["instell"], false);
            assert!(tokens.contains(&("instell".to_string(), false)), "{tokens:?}");
        }
    }

    #[test]
    fn a_particle_being_typed_joins_its_verb_and_stays_the_word_being_typed() {
        // "hoe zeg ik mijn abonnement op", typed: the verb is `opzeggen`, and "op" may still
        // grow into another word ("opnieuw"), so its token stays as analysis made it.
        for (lang, text, verb) in [
            ("nl", "Hoe zeg ik mijn abonnement op", "opzegg"),
            ("de", "Wie setze ich mein Passwort zurück", "zurucksetz"),
        ] {
            let tokens = joined(lang, text, &[verb], true);
            assert!(tokens.contains(&(verb.to_string(), false)), "{tokens:?}");
            assert_eq!(tokens.last(), joined(lang, text, &[], true).last());
        }
    }

    #[test]
    fn nothing_joins_where_the_help_center_lacks_the_verb_or_the_particle_ends_no_clause() {
        let plain = |text: &str| joined("de", text, &[], false);
        // The help center knows both words, but not the verb they make.
        let text = "Wie setze ich mein Passwort zurück?";
        assert_eq!(
            joined("de", text, &["setz", "zuruck", "passwort"], false),
            plain(text)
        );
        // "zurück" ends no clause here: the money comes back, nothing is reset.
        let text = "Ich möchte mein Geld zurück haben.";
        assert_eq!(
            joined("de", text, &["zuruckmocht", "zuruckhab"], false),
            plain(text)
        );
        // English has no separable verbs.
        assert_eq!(
            joined("en", "How do I log in?", &["inlog", "inlogg"], false),
            joined("en", "How do I log in?", &[], false)
        );
    }
}
