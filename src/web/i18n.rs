//! The words of the pages themselves (buttons, notices, headings), in each language the sample
//! help center is written in. Other languages get English, as their articles fall back to the
//! default language.

/// The page texts of one language. `{}` marks where a value goes.
pub(super) struct Ui {
    pub(super) help_center: &'static str,
    pub(super) search_label: &'static str,
    pub(super) search_placeholder: &'static str,
    pub(super) search_button: &'static str,
    /// "{n} suggestions", read out by screen readers.
    pub(super) suggestions_count: &'static str,
    pub(super) home: &'static str,
    pub(super) also_in: &'static str,
    /// "… not available in {language} …".
    pub(super) fallback_notice: &'static str,
    pub(super) fallback_badge: &'static str,
    pub(super) updated: &'static str,
    pub(super) helpful_question: &'static str,
    pub(super) yes: &'static str,
    pub(super) no: &'static str,
    pub(super) thanks: &'static str,
    /// "Results for “{query}”".
    pub(super) results_for: &'static str,
    /// "{n} results".
    pub(super) results_count: &'static str,
    pub(super) no_results: &'static str,
    pub(super) previous: &'static str,
    pub(super) next: &'static str,
    pub(super) not_found_title: &'static str,
    pub(super) not_found_text: &'static str,
    pub(super) other_languages: &'static str,
}

impl Ui {
    /// The texts for language `code`, English when kb has none for it.
    pub(super) fn of(code: &str) -> &'static Ui {
        match code {
            "nl" => &NL,
            "de" => &DE,
            "fr" => &FR,
            "es" => &ES,
            "pl" => &PL,
            "ja" => &JA,
            _ => &EN,
        }
    }
}

/// `template` with its `{}` replaced by `value`.
pub(super) fn fill(template: &str, value: &str) -> String {
    template.replacen("{}", value, 1)
}

static EN: Ui = Ui {
    help_center: "Help center",
    search_label: "Search the help center",
    search_placeholder: "Ask a question or type a few words…",
    search_button: "Search",
    suggestions_count: "{} suggestions",
    home: "Home",
    also_in: "Also in:",
    fallback_notice: "This article is not available in {} yet. You are reading the original version.",
    fallback_badge: "not translated",
    updated: "Updated",
    helpful_question: "Was this article helpful?",
    yes: "Yes",
    no: "No",
    thanks: "Thank you for your feedback!",
    results_for: "Results for “{}”",
    results_count: "{} results",
    no_results: "No articles match your search. Try other or fewer words.",
    previous: "Previous",
    next: "Next",
    not_found_title: "Page not found",
    not_found_text: "We could not find this page. It may have moved, or the link is mistyped.",
    other_languages: "Other languages",
};

static NL: Ui = Ui {
    help_center: "Helpcentrum",
    search_label: "Zoek in het helpcentrum",
    search_placeholder: "Stel een vraag of typ een paar woorden…",
    search_button: "Zoeken",
    suggestions_count: "{} suggesties",
    home: "Home",
    also_in: "Ook in:",
    fallback_notice: "Dit artikel is nog niet beschikbaar in het {}. U leest de oorspronkelijke versie.",
    fallback_badge: "niet vertaald",
    updated: "Bijgewerkt",
    helpful_question: "Was dit artikel nuttig?",
    yes: "Ja",
    no: "Nee",
    thanks: "Bedankt voor uw feedback!",
    results_for: "Resultaten voor “{}”",
    results_count: "{} resultaten",
    no_results: "Geen artikelen gevonden. Probeer andere of minder woorden.",
    previous: "Vorige",
    next: "Volgende",
    not_found_title: "Pagina niet gevonden",
    not_found_text: "We konden deze pagina niet vinden. Misschien is ze verplaatst of klopt de link niet.",
    other_languages: "Andere talen",
};

static DE: Ui = Ui {
    help_center: "Hilfe-Center",
    search_label: "Im Hilfe-Center suchen",
    search_placeholder: "Stellen Sie eine Frage oder tippen Sie ein paar Wörter…",
    search_button: "Suchen",
    suggestions_count: "{} Vorschläge",
    home: "Startseite",
    also_in: "Auch auf:",
    fallback_notice: "Diesen Artikel gibt es noch nicht auf {}. Sie lesen die Originalfassung.",
    fallback_badge: "nicht übersetzt",
    updated: "Aktualisiert",
    helpful_question: "War dieser Artikel hilfreich?",
    yes: "Ja",
    no: "Nein",
    thanks: "Danke für Ihr Feedback!",
    results_for: "Ergebnisse für „{}“",
    results_count: "{} Ergebnisse",
    no_results: "Keine passenden Artikel. Versuchen Sie andere oder weniger Wörter.",
    previous: "Zurück",
    next: "Weiter",
    not_found_title: "Seite nicht gefunden",
    not_found_text: "Diese Seite gibt es nicht. Vielleicht wurde sie verschoben, oder der Link ist falsch.",
    other_languages: "Andere Sprachen",
};

static FR: Ui = Ui {
    help_center: "Centre d’aide",
    search_label: "Rechercher dans le centre d’aide",
    search_placeholder: "Posez une question ou tapez quelques mots…",
    search_button: "Rechercher",
    suggestions_count: "{} suggestions",
    home: "Accueil",
    also_in: "Aussi en :",
    fallback_notice: "Cet article n’est pas encore disponible en {}. Vous lisez la version originale.",
    fallback_badge: "non traduit",
    updated: "Mis à jour",
    helpful_question: "Cet article vous a-t-il aidé ?",
    yes: "Oui",
    no: "Non",
    thanks: "Merci pour votre avis !",
    results_for: "Résultats pour « {} »",
    results_count: "{} résultats",
    no_results: "Aucun article ne correspond. Essayez d’autres mots, ou moins de mots.",
    previous: "Précédent",
    next: "Suivant",
    not_found_title: "Page introuvable",
    not_found_text: "Cette page n’existe pas. Elle a peut-être été déplacée, ou le lien est erroné.",
    other_languages: "Autres langues",
};

static ES: Ui = Ui {
    help_center: "Centro de ayuda",
    search_label: "Buscar en el centro de ayuda",
    search_placeholder: "Haz una pregunta o escribe unas palabras…",
    search_button: "Buscar",
    suggestions_count: "{} sugerencias",
    home: "Inicio",
    also_in: "También en:",
    fallback_notice: "Este artículo aún no está disponible en {}. Estás leyendo la versión original.",
    fallback_badge: "sin traducir",
    updated: "Actualizado",
    helpful_question: "¿Te ha resultado útil este artículo?",
    yes: "Sí",
    no: "No",
    thanks: "¡Gracias por tu opinión!",
    results_for: "Resultados para «{}»",
    results_count: "{} resultados",
    no_results: "Ningún artículo coincide. Prueba con otras palabras o con menos.",
    previous: "Anterior",
    next: "Siguiente",
    not_found_title: "Página no encontrada",
    not_found_text: "No encontramos esta página. Puede que se haya movido o que el enlace esté mal escrito.",
    other_languages: "Otros idiomas",
};

static PL: Ui = Ui {
    help_center: "Centrum pomocy",
    search_label: "Szukaj w centrum pomocy",
    search_placeholder: "Zadaj pytanie lub wpisz kilka słów…",
    search_button: "Szukaj",
    suggestions_count: "Podpowiedzi: {}",
    home: "Strona główna",
    also_in: "Także w językach:",
    fallback_notice: "Ten artykuł nie jest jeszcze dostępny w języku: {}. Czytasz wersję oryginalną.",
    fallback_badge: "bez tłumaczenia",
    updated: "Zaktualizowano",
    helpful_question: "Czy ten artykuł był pomocny?",
    yes: "Tak",
    no: "Nie",
    thanks: "Dziękujemy za opinię!",
    results_for: "Wyniki dla „{}”",
    results_count: "Wyniki: {}",
    no_results: "Brak pasujących artykułów. Spróbuj innych lub mniej słów.",
    previous: "Poprzednia",
    next: "Następna",
    not_found_title: "Nie znaleziono strony",
    not_found_text: "Nie znaleźliśmy tej strony. Mogła zostać przeniesiona albo link jest błędny.",
    other_languages: "Inne języki",
};

static JA: Ui = Ui {
    help_center: "ヘルプセンター",
    search_label: "ヘルプセンターを検索",
    search_placeholder: "質問やキーワードを入力してください…",
    search_button: "検索",
    suggestions_count: "候補 {} 件",
    home: "ホーム",
    also_in: "他の言語:",
    fallback_notice: "この記事はまだ{}に翻訳されていません。原文を表示しています。",
    fallback_badge: "未翻訳",
    updated: "更新日",
    helpful_question: "この記事は役に立ちましたか?",
    yes: "はい",
    no: "いいえ",
    thanks: "ご意見ありがとうございます。",
    results_for: "「{}」の検索結果",
    results_count: "{} 件",
    no_results: "該当する記事はありません。別の言葉や少ない言葉でお試しください。",
    previous: "前へ",
    next: "次へ",
    not_found_title: "ページが見つかりません",
    not_found_text:
        "お探しのページは見つかりませんでした。移動したか、リンクが間違っている可能性があります。",
    other_languages: "他の言語",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_without_texts_read_english_and_templates_fill() {
        assert_eq!(Ui::of("sv").yes, "Yes");
        assert_eq!(Ui::of("de").yes, "Ja");
        assert_eq!(
            fill(Ui::of("fr").results_for, "remboursement"),
            "Résultats pour « remboursement »"
        );
    }
}
