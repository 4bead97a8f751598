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
fn stop_words_are_flagged_per_language() {
    let flags =
        |lang: &str, text: &str| -> Vec<bool> { analyze(lang, text).iter().map(|t| t.stop_word).collect() };
    assert_eq!(flags("en", "the invoice"), [true, false]);
    assert_eq!(flags("de", "die Rechnung"), [true, false]);
    assert_eq!(flags("fr", "la facture"), [true, false]);
    assert_eq!(flags("nl", "de factuur"), [true, false]);
}

#[test]
fn chinese_and_japanese_are_segmented_into_bigrams() {
    assert_eq!(terms("ja", "返金申請"), ["返金", "金申", "申請"]);
    assert_eq!(terms("zh", "退款政策"), ["退款", "款政", "政策"]);
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
