//! Analyzers per language: stemming, folding, stop words, CJK segmentation and the fallback for
//! languages without a stemmer. Documents and queries go through the same analyzer, so two texts
//! match exactly when they share terms.

use kb::analysis::{Analysis, AnalyzedToken, LangTag};

fn analyze(lang: &str, text: &str) -> Vec<AnalyzedToken> {
    let tag = LangTag::parse(lang).expect("known language");
    Analysis::PerLanguage.analyzer(&tag).analyze(text)
}

/// The content terms (stop words left out) of `text`.
fn terms(lang: &str, text: &str) -> Vec<String> {
    analyze(lang, text)
        .into_iter()
        .filter(|token| !token.stop_word)
        .map(|token| token.term)
        .collect()
}

fn same_terms(lang: &str, a: &str, b: &str) {
    assert_eq!(
        terms(lang, a),
        terms(lang, b),
        "{lang}: {a:?} and {b:?} should analyse alike"
    );
}

#[test]
fn snowball_languages_conflate_inflections() {
    same_terms("en", "refunds", "refunded");
    same_terms("de", "Rechnungen", "Rechnung");
    same_terms("nl", "terugbetalingen", "terugbetaling");
    same_terms("fr", "factures", "facture");
    same_terms("es", "facturas", "factura");
    same_terms("ru", "платежи", "платежа");
    same_terms("sv", "betalningar", "betalning");
}

#[test]
fn irregular_english_verbs_meet_their_other_forms() {
    for (irregular, regular) in [
        ("I paid twice", "I pay twice"),
        ("forgot my password", "forgetting my password"),
        ("where it came from", "where it comes from"),
        ("stolen cards", "steal cards"),
    ] {
        same_terms("en", irregular, regular);
    }
    // The unstemmed word stays as written, for exact-word bonuses and highlighting.
    assert_eq!(analyze("en", "paid")[0].word, "paid");
}

#[test]
fn irregular_english_plurals_and_greek_nouns_meet_their_other_forms() {
    for (irregular, regular) in [
        ("vaccines for children", "vaccine for a child"),
        ("the criteria", "the criterion"),
        ("when is a diagnosis certain", "when is it diagnosed certain"),
    ] {
        same_terms("en", irregular, regular);
    }
}

#[test]
fn british_and_american_spellings_meet() {
    for (british, american) in [
        ("organise my team", "organize my team"),
        ("authorisation failed", "authorization failed"),
        ("change the colour", "change the color"),
        ("my favourite articles", "my favorite articles"),
        ("the nearest service centre", "the nearest service center"),
        ("analyse the results", "analyze the results"),
        ("renew my licence", "renew my license"),
    ] {
        same_terms("en", british, american);
    }
    // A word that only looks British keeps meeting its derivatives.
    same_terms("en", "advertise", "advertisement");
}

#[test]
fn german_loanword_plurals_meet_their_singular() {
    for (plural, singular) in [
        ("Benutzerkonten verwalten", "Benutzerkonto verwalten"),
        ("Konten", "Konto"),
        ("die Löschung des Kontos", "die Löschung des Konto"),
        ("neue Coronaviren", "neues Coronavirus"),
        ("Risiken", "Risiko"),
        ("Apps und Infos", "App und Info"),
    ] {
        same_terms("de", plural, singular);
    }
    same_terms("nl", "teamleden en kinderen", "teamlid en kind");
    // A word in `-los` is not a plural: "kostenlos" meets "kostenlose", not "kostenlo".
    same_terms("de", "kostenlos", "kostenlose");
}

#[test]
fn folding_makes_accents_and_special_letters_optional() {
    same_terms("de", "Rückerstattung", "ruckerstattung");
    same_terms("de", "Straße", "strasse");
    same_terms("fr", "Paramètres", "parametres");
    same_terms("da", "Søgning", "sogning");
    same_terms("el", "Πληρωμή", "πληρωμη");
}

#[test]
fn vietnamese_keeps_tones_that_distinguish_words() {
    assert_ne!(terms("vi", "mã"), terms("vi", "ma"));
}

#[test]
fn vietnamese_syllables_are_also_paired_into_words() {
    let tokens = analyze("vi", "Thành phố Hà Nội");
    let position = |term: &str| {
        tokens
            .iter()
            .find(|token| token.term == term)
            .map(|token| token.position)
    };
    assert_eq!(position("thành phố"), Some(0));
    assert_eq!(position("phố hà"), Some(1));
    assert_eq!(position("hà nội"), position("hà"));
    assert!(analyze("en", "credit card")
        .iter()
        .all(|token| !token.term.contains(' ')));
}

#[test]
fn stop_words_are_flagged_per_language() {
    let flags =
        |lang: &str, text: &str| -> Vec<bool> { analyze(lang, text).iter().map(|t| t.stop_word).collect() };
    assert_eq!(flags("en", "the invoice"), [true, false]);
    assert_eq!(flags("de", "die Rechnung"), [true, false]);
    assert_eq!(flags("fr", "la facture"), [true, false]);
    assert_eq!(flags("nl", "de factuur"), [true, false]);
}

#[test]
fn chinese_and_japanese_are_segmented_into_bigrams_and_ideographs() {
    assert_eq!(
        terms("ja", "返金申請"),
        ["返", "返金", "金", "金申", "申", "申請", "請"]
    );
    assert_eq!(
        terms("zh", "退款政策"),
        ["退", "退款", "款", "款政", "政", "政策", "策"]
    );
    // A word typed alone still shares bigrams with the running text that contains it.
    let text = terms("ja", "パスワードを再設定する");
    for term in terms("ja", "パスワード") {
        assert!(text.contains(&term), "{term} missing from {text:?}");
    }
}

#[test]
fn thai_without_spaces_is_segmented() {
    assert!(terms("th", "การชำระเงิน").len() > 3);
}

#[test]
fn languages_without_stemmer_match_inflected_forms() {
    // Polish has no Snowball stemmer: truncation makes case forms meet.
    same_terms("pl", "płatności", "płatność");
    same_terms("pl", "fakturę", "faktury");
    // Polish endings go before the cut, so short words' case forms meet too.
    same_terms("pl", "wojna", "wojnie");
    same_terms("pl", "kota", "kot");
    same_terms("pl", "nowych", "nowymi");
    // Hindi endings (a light stemmer) go before the cut too.
    same_terms("hi", "लड़कियाँ", "लड़की");
    same_terms("hi", "किताबें", "किताब");
    same_terms("cs", "fakturu", "faktury");
    same_terms("et", "kasutajad", "kasutajale");
}

#[test]
fn tokens_keep_offsets_into_the_original_text() {
    let text = "Die Rückerstattung dauert";
    for token in analyze("de", text) {
        let word = &text[token.start..token.end];
        assert!(
            !word.is_empty() && word.chars().all(char::is_alphanumeric),
            "{word:?}"
        );
    }
}

#[test]
fn no_input_makes_an_analyzer_panic() {
    let nasty = [
        "",
        " ",
        "\u{0}",
        "\u{301}",
        "🙂🙂",
        "a\u{200D}b",
        "ǅ",
        "İstanbul",
        "ﷺ",
        &"x".repeat(10_000),
    ];
    for language in kb::analysis::LANGUAGES {
        let tag = LangTag::of(language);
        for text in nasty {
            let _ = Analysis::PerLanguage.analyzer(&tag).analyze(text);
        }
    }
}

mod properties {
    //! Properties over arbitrary strings, in every language kb knows: no panic, tokens point at
    //! the text they came from, remembered analyses are fresh ones, folding is idempotent.

    use kb::analysis::{fold, fold_keeping_diacritics, Analysis, LangTag, LANGUAGES};
    use proptest::prelude::*;

    /// Any text: arbitrary Unicode, plus runs of the scripts and marks analyzers treat specially.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[a-zA-Zà-ÿ'’ -]{0,40}",
            "[\u{3040}-\u{30ff}\u{4e00}-\u{4e80}\u{ac00}-\u{ac40}\u{0e00}-\u{0e5b} ]{0,30}",
            "[\u{0300}-\u{036f}a-z\u{200b}\u{feff}\u{0600}-\u{06ff}]{0,30}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn analyzing_any_text_in_any_language_never_panics_and_offsets_fit(text in text(), language in 0..LANGUAGES.len()) {
            let lang = LangTag::of(&LANGUAGES[language]);
            for analysis in [Analysis::PerLanguage, Analysis::TantivyDefault] {
                for token in analysis.analyzer(&lang).analyze(&text) {
                    prop_assert!(token.start <= token.end && token.end <= text.len());
                    prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
                    prop_assert!(!token.term.is_empty());
                }
            }
        }

        #[test]
        fn remembered_analysis_equals_fresh_analysis(first in text(), second in text(), language in 0..LANGUAGES.len()) {
            // The build's remembered analyses must give the terms a fresh analysis gives, for
            // words seen before (`first` again) and words new to the thread alike.
            let analyzer = Analysis::PerLanguage.analyzer(&LangTag::of(&LANGUAGES[language]));
            for text in [&first, &second, &first] {
                prop_assert_eq!(analyzer.analyze_remembering(text), analyzer.analyze(text));
            }
        }

        #[test]
        fn folding_is_idempotent(word in text()) {
            let once = fold(&word);
            prop_assert_eq!(fold(&once), once.clone());
            let kept = fold_keeping_diacritics(&word);
            prop_assert_eq!(fold_keeping_diacritics(&kept), kept);
        }
    }
}
