//! Irregular forms mapped to a base form before stemming, where Snowball leaves them apart.
//!
//! - English verbs: Snowball stems `paying`, `pays` and `pay` alike but leaves `paid`, `forgot`
//!   and `came` as they are, and these are the words customers write ("I paid twice", "I forgot
//!   my password", "where did it come from" / "where it came from"). Forms that are mostly other
//!   words are left out (`left`, `saw`, `shot`, `stuck`, `born`, `lay`, `ground`, `wound`,
//!   `rose`, `bound`).
//! - English nouns with irregular plurals (`children`, `feet`, `criteria`), and the Greek `-sis`
//!   nouns, mapped to a form whose stem meets their plural and verb (`diagnosis` → `diagnose`,
//!   so that "diagnosis", "diagnoses" and "diagnosed" meet).
//! - German plurals of Latin and Greek loanwords (`Konten`, `Viren`, `Risiken`, `Zentren`), also
//!   as the head of a compound (`Benutzerkonten`, `Coronaviren`, `Testzentren`), and plurals in
//!   `-s` of words ending in a vowel (`Apps`, `Infos`, `Handys`, `Kameras`), whose `s` Snowball
//!   keeps.
//! - German nouns in `-ung` and Latin nouns in `-ation`, `-ektion`, `-uktion`, to a form that
//!   stems as their verb (`Impfung` and `impfen`, `Isolation` and `isolieren`, `Infektion` and
//!   `infizieren`), but those whose verb means something else (`Zeitung`, `Rechnung`,
//!   `Generation`); and the participles of the verbs in `-ieren` (`isoliert`), which Snowball
//!   keeps apart from the infinitive.
//! - Dutch Latin plurals, `kinderen`, `leden`, `steden`, and `fotos` written for `foto's`; Latin
//!   nouns in `-atie`, `-ectie` and the third person and participles of the verbs in `-eren`, to
//!   a form that stems as the verb (`synchronisatie`, `gesynchroniseerd` and `synchroniseren`).
//!
//! No crate offers lemma tables this small; these are written by hand.

use std::borrow::Cow;

use super::spelling::american;

/// English (irregular form, base form), sorted by form for binary search.
const ENGLISH: &[(&str, &str)] = &[
    ("analyses", "analyze"),
    ("analysis", "analyze"),
    ("appendices", "appendix"),
    ("ate", "eat"),
    ("bacteria", "bacterium"),
    ("became", "become"),
    ("began", "begin"),
    ("begun", "begin"),
    ("bent", "bend"),
    ("bitten", "bite"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("bought", "buy"),
    ("broke", "break"),
    ("broken", "break"),
    ("brought", "bring"),
    ("built", "build"),
    ("came", "come"),
    ("caught", "catch"),
    ("children", "child"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("crisis", "crises"),
    ("criteria", "criterion"),
    ("dealt", "deal"),
    ("diagnosis", "diagnose"),
    ("drank", "drink"),
    ("drawn", "draw"),
    ("drew", "draw"),
    ("driven", "drive"),
    ("drove", "drive"),
    ("drunk", "drink"),
    ("eaten", "eat"),
    ("emphasis", "emphasize"),
    ("fallen", "fall"),
    ("fed", "feed"),
    ("feet", "foot"),
    ("fell", "fall"),
    ("felt", "feel"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("forbade", "forbid"),
    ("forbidden", "forbid"),
    ("forgave", "forgive"),
    ("forgiven", "forgive"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
    ("fought", "fight"),
    ("found", "find"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("fungi", "fungus"),
    ("gave", "give"),
    ("geese", "goose"),
    ("given", "give"),
    ("gone", "go"),
    ("got", "get"),
    ("gotten", "get"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("halves", "half"),
    ("heard", "hear"),
    ("held", "hold"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("hypothesis", "hypothesize"),
    ("indices", "index"),
    ("kept", "keep"),
    ("knew", "know"),
    ("knives", "knife"),
    ("known", "know"),
    ("led", "lead"),
    ("lent", "lend"),
    ("lost", "lose"),
    ("made", "make"),
    ("matrices", "matrix"),
    ("meant", "mean"),
    ("men", "man"),
    ("met", "meet"),
    ("mice", "mouse"),
    ("misled", "mislead"),
    ("mistaken", "mistake"),
    ("mistook", "mistake"),
    ("nuclei", "nucleus"),
    ("overpaid", "overpay"),
    ("paid", "pay"),
    ("paralysis", "paralyze"),
    ("phenomena", "phenomenon"),
    ("prepaid", "prepay"),
    ("prognosis", "prognose"),
    ("ran", "run"),
    ("rang", "ring"),
    ("rebuilt", "rebuild"),
    ("ridden", "ride"),
    ("rode", "ride"),
    ("said", "say"),
    ("sang", "sing"),
    ("sat", "sit"),
    ("seen", "see"),
    ("sent", "send"),
    ("shaken", "shake"),
    ("shelves", "shelf"),
    ("shook", "shake"),
    ("shown", "show"),
    ("slept", "sleep"),
    ("sold", "sell"),
    ("sought", "seek"),
    ("spent", "spend"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("stimuli", "stimulus"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("stood", "stand"),
    ("sung", "sing"),
    ("swam", "swim"),
    ("synthesis", "synthesize"),
    ("taken", "take"),
    ("taught", "teach"),
    ("teeth", "tooth"),
    ("theses", "thesis"),
    ("thought", "think"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("told", "tell"),
    ("took", "take"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("understood", "understand"),
    ("undid", "undo"),
    ("undone", "undo"),
    ("vertices", "vertex"),
    ("went", "go"),
    ("withdrawn", "withdraw"),
    ("withdrew", "withdraw"),
    ("wives", "wife"),
    ("woke", "wake"),
    ("woken", "wake"),
    ("wolves", "wolf"),
    ("women", "woman"),
    ("won", "win"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("written", "write"),
    ("wrote", "write"),
];

/// Plurals that a language's Snowball stemmer does not reduce to their singular.
struct Plurals {
    /// Plural endings and their singular, sorted, tried at the end of a word so that compounds
    /// meet too (`Benutzerkonten` → `Benutzerkonto`).
    endings: &'static [(&'static str, &'static str)],
    /// Endings before a plural `s` that the stemmer keeps (`Autos`, `Handys`).
    vowel_plurals: &'static [&'static str],
    /// Words in such an ending that are not plurals of a word without the `s` (`kostenlos`).
    native_endings: &'static [&'static str],
}

/// German: plurals of Latin and Greek loanwords, and the `s` plurals of words ending in a vowel
/// (Snowball drops `s` only after a consonant). Endings that end other words are left out
/// (`alben`: `halben`; `daten`: data, not dates; `busse`: `Buße`).
const GERMAN: Plurals = Plurals {
    endings: &[
        ("algorithmen", "algorithmus"),
        ("antibiotika", "antibiotikum"),
        ("dramen", "drama"),
        ("firmen", "firma"),
        ("gymnasien", "gymnasium"),
        ("individuen", "individuum"),
        ("indizes", "index"),
        ("konsortien", "konsortium"),
        ("konten", "konto"),
        ("kontos", "konto"),
        ("kriterien", "kriterium"),
        ("laboratorien", "laboratorium"),
        ("materialien", "material"),
        ("mechanismen", "mechanismus"),
        ("medien", "medium"),
        ("ministerien", "ministerium"),
        ("museen", "museum"),
        ("organismen", "organismus"),
        ("praxen", "praxis"),
        ("prinzipien", "prinzip"),
        ("rhythmen", "rhythmus"),
        ("risiken", "risiko"),
        ("risikos", "risiko"),
        ("salden", "saldo"),
        ("schemata", "schema"),
        ("stadien", "stadium"),
        ("themen", "thema"),
        ("viren", "virus"),
        ("visa", "visum"),
        ("zentren", "zentrum"),
        ("zyklen", "zyklus"),
    ],
    vowel_plurals: &["os", "ys", "ps", "as"],
    native_endings: &["los", "gas", "glas", "gras", "etwas"],
};

/// Dutch: Latin plurals, the plurals in `-eren` and with a changed vowel that help centres use
/// (`kinderen`, `teamleden`, `hoofdsteden`), and `s` plurals written without the apostrophe
/// (`fotos` for `foto's`). Left out: `bladeren` and `goederen`, which are also other words
/// (to leaf through, goods).
const DUTCH: Plurals = Plurals {
    endings: &[
        ("centra", "centrum"),
        ("criteria", "criterium"),
        ("kinderen", "kind"),
        ("leden", "lid"),
        ("musea", "museum"),
        ("steden", "stad"),
    ],
    vowel_plurals: &["os", "ys"],
    native_endings: &["oos"],
};

/// The shortest word whose final `s` is read as a plural.
const MIN_VOWEL_PLURAL_CHARS: usize = 4;

/// The shortest first part of a compound whose plural head is reduced: shorter ones are
/// prefixes of other words (`geleden`, "ago"; `besteden`, "to spend").
const MIN_MODIFIER_CHARS: usize = 4;

/// The form of `lower` (a lowercased word of the language `code`) to stem: its base form when
/// it is an irregular form that Snowball would keep apart from it, else the word itself.
/// English words are respelt in American first (`analyses` → `analyzes`).
pub(super) fn base_form<'a>(code: &str, lower: &'a str) -> Cow<'a, str> {
    match code {
        "en" => {
            let spelled = american(lower);
            match ENGLISH.binary_search_by(|(form, _)| (*form).cmp(&spelled)) {
                Ok(found) => Cow::Borrowed(ENGLISH[found].1),
                Err(_) => spelled,
            }
        }
        "de" => match GERMAN_VERBS.verb(lower) {
            Some(verb) => Cow::Owned(verb),
            None => GERMAN.singular(lower),
        },
        "nl" => match DUTCH_VERBS.verb(lower) {
            Some(verb) => Cow::Owned(verb),
            None => DUTCH.singular(lower),
        },
        _ => Cow::Borrowed(lower),
    }
}

/// Nouns and verb forms of one language that Snowball keeps apart from their verb, each to be
/// stemmed as the verb instead.
struct VerbForms {
    /// (ending, the verb's ending that replaces it), whatever precedes the ending.
    endings: &'static [(&'static str, &'static str)],
    /// (ending, the verb's ending) of participles, which begin with `ge` (dropped).
    participles: &'static [(&'static str, &'static str)],
    /// Nouns whose verb means something else: left as they are, also as the head of a
    /// compound (`Tageszeitung`).
    exceptions: &'static [&'static str],
}

/// German: nouns in `-ung` (`Impfung`, `impfen`), Latin nouns of the verbs in `-ieren`
/// (`Isolation`, `isolieren`; `Infektion`, `infizieren`; `Produktion`, `produzieren`) and these
/// verbs' participles (`isoliert`, `infizierte`), which take no `ge`.
const GERMAN_VERBS: VerbForms = VerbForms {
    endings: &[
        ("ung", "en"),
        ("ungen", "en"),
        ("ation", "ieren"),
        ("ationen", "ieren"),
        ("ikation", "izieren"),
        ("ikationen", "izieren"),
        ("ektion", "izieren"),
        ("ektionen", "izieren"),
        ("uktion", "uzieren"),
        ("uktionen", "uzieren"),
        ("iert", "ieren"),
        ("ierte", "ieren"),
        ("iertem", "ieren"),
        ("ierten", "ieren"),
        ("ierter", "ieren"),
        ("iertes", "ieren"),
    ],
    participles: &[],
    exceptions: &["generation", "meinung", "rechnung", "richtung", "zeitung"],
};

/// Dutch: Latin nouns of the verbs in `-eren` (`synchronisatie`, `synchroniseren`;
/// `infectie`, `infecteren`), the verbs' third person (`synchroniseert`) and participles
/// (`gesynchroniseerd`, `geregistreerde`). A past tense without `ge` is left alone: `verkeerde`
/// is mostly "wrong".
const DUTCH_VERBS: VerbForms = VerbForms {
    endings: &[
        ("atie", "eren"),
        ("aties", "eren"),
        ("ectie", "ecteren"),
        ("ecties", "ecteren"),
        ("eert", "eren"),
    ],
    participles: &[("eerd", "eren"), ("eerde", "eren"), ("eerden", "eren")],
    exceptions: &[],
};

/// The shortest verb stem that a noun or verb form is mapped to: shorter ones are other
/// words (`jung`, `Übung`, `Nation`, `Station`, `vierte`; `natie`, `keert`, `geleerd`).
const MIN_VERB_STEM_CHARS: usize = 3;

impl VerbForms {
    /// The form to stem of a noun or verb form that Snowball keeps apart from its verb: the
    /// verb's stem with the infinitive's ending (`Impfung` → `impfen`; `Lieferungen` →
    /// `lieferen`, which Snowball stems as `liefern`; `Infektionen` and `infiziert` →
    /// `infizieren`; `gesynchroniseerd` → `synchroniseren`). Snowball strips `-ung` only from
    /// longer words (`Bestellung` and `bestellen` meet, `Impfung` and `impfen` do not) and
    /// knows neither the Latin nouns nor these participles, and a customer asks with either
    /// ("Gibt es eine Impfung?", "Kann ich mich impfen lassen?"; "Was bedeutet Isolation?",
    /// "Wie lange muss ich mich isolieren?").
    fn verb(&self, lower: &str) -> Option<String> {
        let participle = lower.strip_prefix("ge").into_iter().flat_map(|rest| {
            self.participles
                .iter()
                .map(move |(ending, verb_ending)| (rest, *ending, *verb_ending))
        });
        let other = self
            .endings
            .iter()
            .map(|(ending, verb_ending)| (lower, *ending, *verb_ending));
        let (stem, verb_ending) = other
            .chain(participle)
            .filter_map(|(word, ending, verb_ending)| Some((word.strip_suffix(ending)?, verb_ending)))
            .min_by_key(|(stem, _)| stem.len())?;
        let noun = lower.strip_suffix("en").unwrap_or(lower);
        let exception = self.exceptions.iter().any(|exception| noun.ends_with(exception));
        if exception || stem.chars().count() < MIN_VERB_STEM_CHARS {
            return None;
        }
        Some(format!("{stem}{verb_ending}"))
    }
}

impl Plurals {
    /// The singular of `lower` when it is one of these plurals, else the word.
    fn singular<'a>(&self, lower: &'a str) -> Cow<'a, str> {
        for (plural, singular) in self.endings {
            if let Some(modifier) = lower.strip_suffix(plural) {
                if modifier.is_empty() || modifier.chars().count() >= MIN_MODIFIER_CHARS {
                    return Cow::Owned(format!("{modifier}{singular}"));
                }
            }
        }
        let vowel_plural = lower.chars().count() >= MIN_VOWEL_PLURAL_CHARS
            && self.vowel_plurals.iter().any(|ending| lower.ends_with(ending))
            && !self.native_endings.iter().any(|ending| lower.ends_with(ending));
        match lower.strip_suffix('s') {
            Some(singular) if vowel_plural => Cow::Borrowed(singular),
            _ => Cow::Borrowed(lower),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{base_form, DUTCH, ENGLISH, GERMAN};

    #[test]
    fn the_table_is_sorted_and_maps_each_form_once() {
        assert!(ENGLISH.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for plurals in [GERMAN, DUTCH] {
            assert!(plurals.endings.windows(2).all(|pair| pair[0].0 < pair[1].0));
        }
    }

    #[test]
    fn german_nouns_in_ung_map_to_their_verb_unless_it_means_something_else() {
        assert_eq!(base_form("de", "impfung"), "impfen");
        assert_eq!(base_form("de", "lieferungen"), "lieferen");
        assert_eq!(base_form("de", "zahlung"), "zahlen");
        for kept in [
            "zeitung",
            "tageszeitungen",
            "meinung",
            "rechnung",
            "jung",
            "übung",
            "ungen",
            "generationen",
            "nation",
            "station",
            "vierte",
        ] {
            assert_eq!(base_form("de", kept), kept);
        }
        assert_eq!(base_form("nl", "impfung"), "impfung");
    }

    #[test]
    fn german_latin_nouns_and_participles_map_to_their_verb() {
        for (form, verb) in [
            ("isolation", "isolieren"),
            ("informationen", "informieren"),
            ("kommunikation", "kommunizieren"),
            ("infektionen", "infizieren"),
            ("desinfektion", "desinfizieren"),
            ("produktion", "produzieren"),
            ("isoliert", "isolieren"),
            ("infizierten", "infizieren"),
            ("registrierte", "registrieren"),
        ] {
            assert_eq!(base_form("de", form), verb, "{form}");
        }
    }

    #[test]
    fn dutch_latin_nouns_and_forms_of_verbs_in_eren_map_to_the_verb() {
        for (form, verb) in [
            ("synchronisatie", "synchroniseren"),
            ("registraties", "registreren"),
            ("infectie", "infecteren"),
            ("synchroniseert", "synchroniseren"),
            ("gesynchroniseerd", "synchroniseren"),
            ("geregistreerde", "registreren"),
        ] {
            assert_eq!(base_form("nl", form), verb, "{form}");
        }
        for kept in ["verkeerd", "verkeerde", "natie", "keert", "geleerd", "betaling"] {
            assert_eq!(base_form("nl", kept), kept);
        }
    }

    #[test]
    fn irregular_forms_map_to_their_base_form_in_their_own_language_only() {
        assert_eq!(base_form("en", "paid"), "pay");
        assert_eq!(base_form("en", "forgot"), "forget");
        assert_eq!(base_form("en", "children"), "child");
        assert_eq!(base_form("en", "diagnosis"), "diagnose");
        assert_eq!(base_form("en", "analyses"), "analyzes");
        assert_eq!(base_form("en", "colours"), "colors");
        assert_eq!(base_form("en", "password"), "password");
        assert_eq!(base_form("en", "left"), "left");
        assert_eq!(base_form("de", "paid"), "paid");
        assert_eq!(base_form("nl", "viren"), "viren");
    }

    #[test]
    fn german_loanword_plurals_meet_their_singular_also_in_compounds() {
        assert_eq!(base_form("de", "konten"), "konto");
        assert_eq!(base_form("de", "benutzerkonten"), "benutzerkonto");
        assert_eq!(base_form("de", "coronaviren"), "coronavirus");
        assert_eq!(base_form("de", "kontos"), "konto");
        assert_eq!(base_form("de", "apps"), "app");
        assert_eq!(base_form("de", "handys"), "handy");
        assert_eq!(base_form("de", "kameras"), "kamera");
        assert_eq!(base_form("de", "konto"), "konto");
    }

    #[test]
    fn dutch_plurals_that_snowball_keeps_meet_their_singular() {
        assert_eq!(base_form("nl", "kinderen"), "kind");
        assert_eq!(base_form("nl", "teamleden"), "teamlid");
        assert_eq!(base_form("nl", "winkelcentra"), "winkelcentrum");
        assert_eq!(base_form("nl", "fotos"), "foto");
        // "geleden" (ago) and "besteden" (to spend) are no compounds of "leden" and "steden".
        for word in ["geleden", "verleden", "besteden", "doos", "virus"] {
            assert_eq!(base_form("nl", word), word);
        }
    }

    #[test]
    fn german_words_that_only_look_like_vowel_plurals_keep_their_s() {
        for word in [
            "kostenlos",
            "erdgas",
            "trinkglas",
            "etwas",
            "preis",
            "haus",
            "das",
            "los",
        ] {
            assert_eq!(base_form("de", word), word);
        }
    }
}
