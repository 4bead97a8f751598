//! British English spellings mapped to American ones before stemming, so that a customer who
//! writes "organise", "colour" or "centre" finds articles that say "organize", "color" and
//! "center", and the other way round. Snowball stems the two spellings apart (`organis` /
//! `organiz`, `authoris` / `author`). No crate does this; the rules are the regular patterns of
//! British spelling (`-ise`, `-yse`, `-our`, `-tre`, `-ence`, `-ogue`, `ae`/`oe` in medical
//! words), written by hand with the words that only look like them.

use std::borrow::Cow;

/// Endings of the `-ise` verbs and their derivatives, which American writes with `z`.
const ISE_ENDINGS: &[&str] = &[
    "isations",
    "isational",
    "isation",
    "isers",
    "ising",
    "iser",
    "ised",
    "ises",
    "isable",
    "ise",
];

/// Endings of the `-yse` verbs (`analyse`, `paralyse`), which American writes with `z`.
const YSE_ENDINGS: &[&str] = &["ysers", "yser", "yses", "ysed", "ysing", "yse"];

/// Words in `-ise` that American spells the same (`advertise`, `exercise`, `promise`), given as
/// their `-ise` form; words whose letter before `ise` is one of [`NATIVE_ISE_AFTER`] need no
/// entry.
const NATIVE_ISE: &[&str] = &[
    "advertise",
    "anise",
    "arise",
    "chastise",
    "circumcise",
    "compromise",
    "concise",
    "demise",
    "enfranchise",
    "excise",
    "exercise",
    "expertise",
    "franchise",
    "incise",
    "merchandise",
    "mortise",
    "paradise",
    "practise",
    "precise",
    "premise",
    "promise",
    "sunrise",
    "surmise",
    "treatise",
    "uprise",
];

/// Letters before `ise` after which no American `-ize` exists (`otherwise`, `advise`, `cruise`,
/// `noise`, `raise`) and the `pr` of `surprise`, `comprise` and `enterprise`.
const NATIVE_ISE_AFTER: &[&str] = &["w", "v", "u", "o", "a", "pr"];

/// Word parts spelt differently, anywhere in a word (`watercolour`, `kilometres`, `haemoglobin`);
/// the first that a word holds is replaced, so `centred` comes before `centre`.
const PARTS: &[(&str, &str)] = &[
    ("acknowledgement", "acknowledgment"),
    ("aluminium", "aluminum"),
    ("anaesthe", "anesthe"),
    ("anaemi", "anemi"),
    ("analogue", "analog"),
    ("armour", "armor"),
    ("behaviour", "behavior"),
    ("calibre", "caliber"),
    ("catalogue", "catalog"),
    ("centred", "centered"),
    ("centre", "center"),
    ("clamour", "clamor"),
    ("colour", "color"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("diarrhoea", "diarrhea"),
    ("endeavour", "endeavor"),
    ("enrolment", "enrollment"),
    ("favour", "favor"),
    ("fibre", "fiber"),
    ("flavour", "flavor"),
    ("foetal", "fetal"),
    ("foetus", "fetus"),
    ("fulfilment", "fulfillment"),
    ("gynaecolog", "gynecolog"),
    ("haema", "hema"),
    ("haemo", "hemo"),
    ("harbour", "harbor"),
    ("honour", "honor"),
    ("humour", "humor"),
    ("instalment", "installment"),
    ("jewellery", "jewelry"),
    ("judgement", "judgment"),
    ("labour", "labor"),
    ("leukaemia", "leukemia"),
    ("licence", "license"),
    ("litre", "liter"),
    ("manoeuvr", "maneuver"),
    ("meagre", "meager"),
    ("metre", "meter"),
    ("neighbour", "neighbor"),
    ("odour", "odor"),
    ("oedema", "edema"),
    ("oesophag", "esophag"),
    ("oestrogen", "estrogen"),
    ("offence", "offense"),
    ("orthopaedic", "orthopedic"),
    ("paediatric", "pediatric"),
    ("parlour", "parlor"),
    ("pretence", "pretense"),
    ("rigour", "rigor"),
    ("rumour", "rumor"),
    ("savour", "savor"),
    ("sceptic", "skeptic"),
    ("sombre", "somber"),
    ("spectre", "specter"),
    ("splendour", "splendor"),
    ("theatre", "theater"),
    ("tumour", "tumor"),
    ("valour", "valor"),
    ("vapour", "vapor"),
    ("vigour", "vigor"),
];

/// Whole words spelt differently, where the spelling is also part of other words
/// (`programmer` is American too).
const WORDS: &[(&str, &str)] = &[
    ("ageing", "aging"),
    ("grey", "gray"),
    ("greyed", "grayed"),
    ("greys", "grays"),
    ("programme", "program"),
    ("programmes", "programs"),
];

/// The shortest part before `ise` or `yse` that can be a verb's stem (`real` of `realise`).
const MIN_ISE_STEM_CHARS: usize = 3;

/// The American spelling of `lower`, a lowercased English word, or the word itself.
pub(super) fn american(lower: &str) -> Cow<'_, str> {
    if let Ok(found) = WORDS.binary_search_by(|(british, _)| (*british).cmp(lower)) {
        return Cow::Borrowed(WORDS[found].1);
    }
    for (british, american) in PARTS {
        if lower.contains(british) {
            return Cow::Owned(lower.replacen(british, american, 1));
        }
    }
    if let Some(american) = with_z(lower) {
        return Cow::Owned(american);
    }
    Cow::Borrowed(lower)
}

/// `organise` → `organize`, `analysed` → `analyzed`; `None` for words that are not such verbs.
fn with_z(lower: &str) -> Option<String> {
    let (stem, ending) = ISE_ENDINGS
        .iter()
        .chain(YSE_ENDINGS)
        .find_map(|ending| Some((lower.strip_suffix(ending)?, *ending)))?;
    if stem.chars().count() < MIN_ISE_STEM_CHARS {
        return None;
    }
    let native = ending.starts_with('i')
        && (NATIVE_ISE.contains(&format!("{stem}ise").as_str())
            || NATIVE_ISE_AFTER.iter().any(|letters| stem.ends_with(letters)));
    // The ending's `s`, its second letter, becomes `z`.
    (!native).then(|| format!("{stem}{}z{}", &ending[..1], &ending[2..]))
}

#[cfg(test)]
mod tests {
    use super::{american, WORDS};

    #[test]
    fn the_word_table_is_sorted_for_binary_search() {
        assert!(WORDS.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn british_spellings_become_american() {
        for (british, expected) in [
            ("organise", "organize"),
            ("organisation", "organization"),
            ("authorised", "authorized"),
            ("prioritising", "prioritizing"),
            ("analyse", "analyze"),
            ("paralysed", "paralyzed"),
            ("colour", "color"),
            ("favourite", "favorite"),
            ("unfavourable", "unfavorable"),
            ("centres", "centers"),
            ("centred", "centered"),
            ("kilometres", "kilometers"),
            ("licence", "license"),
            ("catalogue", "catalog"),
            ("haemoglobin", "hemoglobin"),
            ("diarrhoea", "diarrhea"),
            ("programme", "program"),
            ("grey", "gray"),
        ] {
            assert_eq!(american(british), expected, "{british}");
        }
    }

    #[test]
    fn words_that_only_look_british_stay_as_they_are() {
        for word in [
            "advertise",
            "advertising",
            "exercises",
            "promised",
            "precise",
            "otherwise",
            "advised",
            "surprising",
            "enterprise",
            "cruise",
            "noise",
            "raised",
            "rise",
            "wise",
            "hour",
            "your",
            "four",
            "programmer",
            "organize",
            "color",
            "crises",
        ] {
            assert_eq!(american(word), word, "{word}");
        }
    }
}
