//! Search over a built fixture help center in eight languages: each query is answered in its own
//! language, deep-linked to the section that answers it, with default-language fallback.

use std::sync::OnceLock;

use kb::index::OpenIndex;
use kb::search::{Mode, SearchHit};

use crate::common::{copy_sample_articles, hits_in_mode, search_hits, stdout, Tree};

const FILES: &[(&str, &str)] = &[
    ("en/billing/refunds.md", "---\ntitle: Refunds\ntags: [money back]\n---\nWe refund unused subscription time.\n\n## How long does a refund take?\nRefunds reach your card within five working days.\n\n## Refunds for yearly plans\nYearly plans are refunded pro rata.\n"),
    ("en/billing/payment-methods.md", "---\ntitle: Payment methods\n---\nPay by credit card, PayPal or SEPA direct debit.\n\n## Change your card\nOpen Settings, then Billing, and enter the new card.\n"),
    ("en/account/reset-password.md", "---\ntitle: Reset your password\n---\nForgot your password? Use the reset link on the sign-in page.\n\n## The reset e-mail does not arrive\nCheck your spam folder.\n"),
    ("en/integrations/zapier.md", "---\ntitle: Connect Zapier\n---\nZapier sends new invoices to thousands of apps.\n\n## Create a zap\nPick Tallybook as the trigger app.\n"),
    ("de/billing/refunds.md", "---\ntitle: Rückerstattungen\n---\nWir erstatten ungenutzte Abonnementzeit.\n\n## Wie lange dauert eine Rückerstattung?\nDie Erstattung ist nach fünf Werktagen auf Ihrer Karte.\n"),
    ("de/account/reset-password.md", "---\ntitle: Passwort zurücksetzen\n---\nPasswort vergessen? Nutzen Sie den Link auf der Anmeldeseite.\n"),
    ("fr/billing/refunds.md", "---\ntitle: Remboursements\n---\nNous remboursons la période non utilisée.\n\n## Combien de temps prend un remboursement ?\nCinq jours ouvrés.\n"),
    ("nl/billing/refunds.md", "---\ntitle: Terugbetalingen\n---\nWe betalen ongebruikte abonnementstijd terug.\n\n## Hoe lang duurt een terugbetaling?\nVijf werkdagen.\n"),
    ("es/billing/payment-methods.md", "---\ntitle: Métodos de pago\n---\nPuedes pagar con tarjeta de crédito o PayPal.\n\n## Cambiar la tarjeta\nAbre Configuración y luego Facturación.\n"),
    ("pl/billing/payment-methods.md", "---\ntitle: Metody płatności\n---\nMożesz płacić kartą kredytową lub przez PayPal.\n\n## Zmiana karty płatniczej\nOtwórz Ustawienia, a potem Płatności.\n"),
    ("ja/billing/refunds.md", "---\ntitle: 返金について\n---\n未使用の期間分を返金します。\n\n## 返金にかかる日数\n返金は五営業日以内にカードに戻ります。\n"),
    ("ru/billing/refunds.md", "---\ntitle: Возврат платежей\n---\nМы возвращаем деньги за неиспользованный период подписки.\n\n## Сколько длится возврат?\nДеньги вернутся на карту в течение пяти рабочих дней.\n"),
];

/// The fixture help center, built once for all tests of this module.
fn index() -> &'static OpenIndex {
    static INDEX: OnceLock<(Tree, OpenIndex)> = OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let tree = Tree::with(FILES);
        let output = tree.kb(&["build"]);
        assert!(output.status.success(), "{output:?}");
        let index = OpenIndex::open(&tree.index()).expect("index opens");
        (tree, index)
    });
    index
}

fn hits(query: &str, lang: &str) -> Vec<SearchHit> {
    search_hits(index(), query, lang)
}

fn top(query: &str, lang: &str) -> SearchHit {
    hits(query, lang)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no result for {query:?} in {lang}"))
}

#[test]
fn each_language_finds_its_own_article_with_inflected_queries() {
    for (query, lang, id) in [
        ("refunded", "en", "billing/refunds"),
        ("Rückerstattung", "de", "billing/refunds"),
        ("remboursement", "fr", "billing/refunds"),
        ("terugbetaling", "nl", "billing/refunds"),
        ("tarjetas", "es", "billing/payment-methods"),
        ("płatność kartą", "pl", "billing/payment-methods"),
        ("返金", "ja", "billing/refunds"),
        ("возвраты", "ru", "billing/refunds"),
    ] {
        let hit = top(query, lang);
        assert_eq!(
            (hit.id.as_str(), hit.lang.as_str(), hit.fallback),
            (id, lang, false),
            "{query:?} in {lang}"
        );
    }
}

#[test]
fn results_deep_link_to_the_section_that_answers() {
    let hit = top("wie lange dauert die Erstattung", "de");
    assert_eq!(
        hit.anchor.as_deref(),
        Some("wie-lange-dauert-eine-rückerstattung")
    );
    assert_eq!(
        hit.url,
        "/de/articles/billing/refunds#wie-lange-dauert-eine-rückerstattung"
    );
    assert_eq!(
        hit.section.as_deref(),
        Some("Wie lange dauert eine Rückerstattung?")
    );

    let hit = top("yearly plan refund", "en");
    assert_eq!(hit.anchor.as_deref(), Some("refunds-for-yearly-plans"));
}

#[test]
fn a_match_on_the_whole_article_links_without_anchor() {
    let hit = top("Zapier", "en");
    assert_eq!(hit.id, "integrations/zapier");
    assert_eq!((hit.section, hit.anchor), (None, None));
    assert_eq!(hit.url, "/en/articles/integrations/zapier");
}

#[test]
fn missing_translations_fall_back_to_the_default_language_marked_as_such() {
    let hit = top("zapier", "nl");
    assert_eq!(
        (hit.id.as_str(), hit.lang.as_str(), hit.fallback),
        ("integrations/zapier", "en", true)
    );
    assert!(
        hit.url.starts_with("/nl/articles/integrations/zapier"),
        "{}",
        hit.url
    );
    // An article that exists in the language is never replaced by its default-language version.
    assert!(hits("refund", "nl")
        .iter()
        .all(|h| h.id != "billing/refunds" || h.lang.as_str() == "nl"));
}

#[test]
fn regional_languages_fall_back_to_their_base_language_first() {
    let hit = top("Passwort vergessen", "de-AT");
    assert_eq!(
        (hit.id.as_str(), hit.lang.as_str(), hit.fallback),
        ("account/reset-password", "de", true)
    );
    assert!(hit.url.starts_with("/de-AT/articles/"), "{}", hit.url);
}

#[test]
fn native_results_rank_above_fallback_results_of_similar_relevance() {
    // The Dutch article matches "terugbetaling"; the English payment methods article (fallback)
    // matches "kaart" no better than the Dutch one, so the native article leads.
    let results = hits("terugbetaling kaart", "nl");
    assert_eq!(results[0].lang.as_str(), "nl");
}

#[test]
fn search_cli_prints_ranked_articles_and_json() {
    let tree = Tree::with(FILES);
    assert!(tree.kb(&["build"]).status.success());
    let text = stdout(&tree.kb(&["search", "Rückerstattung", "--lang", "de"]));
    assert!(text.starts_with(" 1. billing/refunds"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(
        &tree
            .kb(&["search", "返金について", "--json", "--limit", "1"])
            .stdout,
    )
    .expect("json");
    assert_eq!(
        json["lang"], "ja",
        "kana/kanji queries are detected as Japanese: {json}"
    );
    assert_eq!(json["results"][0]["id"], "billing/refunds");
    assert_eq!(json["results"].as_array().map(Vec::len), Some(1));
}

#[cfg(unix)]
#[test]
fn a_reader_that_goes_away_ends_the_cli_quietly() {
    // `kb search … | head`: the pipe is closed before kb writes its results. Rust's runtime
    // ignores SIGPIPE, so `println!` panicked ("failed printing to stdout"); kb now ends as Unix
    // tools do.
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    let tree = Tree::with(FILES);
    assert!(tree.kb(&["build"]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_kb"))
        .args(["search", "refund", "--lang", "en"])
        .current_dir(tree.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kb search");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        output.status.success() || output.status.signal() == Some(13),
        "{:?}: {stderr}",
        output.status
    );
}

#[test]
fn a_german_compound_finds_articles_that_use_its_last_part() {
    // "Passwortlink" is in no article; "Passwort" and "Link" are words of the German articles,
    // and the head of the compound, "Link", is what the answer talks about. "Kartenerstattung"
    // is in none either, so nothing completes it while it is typed; "Karte" is a word of the
    // articles, and the head being typed, "erstat", completes to "erstatten" and "Erstattung".
    for (query, mode, id, mark) in [
        (
            "Passwortlink",
            Mode::Search,
            "account/reset-password",
            "<mark>Link</mark>",
        ),
        (
            "Kartenerstat",
            Mode::Suggest,
            "billing/refunds",
            "<mark>erstatten</mark>",
        ),
    ] {
        let found = hits_in_mode(index(), query, "de", mode);
        let first = found.first().unwrap_or_else(|| panic!("no result for {query:?}"));
        assert_eq!(first.id, id, "{query}");
        assert!(
            first.snippet_html.contains(mark),
            "{query}: {}",
            first.snippet_html
        );
        assert!(
            hits_in_mode(index(), query, "en", mode)
                .iter()
                .all(|hit| hit.lang.as_str() != "de"),
            "English does not split compounds ({query})"
        );
    }
}

#[test]
fn an_untranslated_article_is_found_however_many_translated_ones_match_before_it() {
    // In English, the 50 translated Zapier articles (150 sections) outrank the one article that
    // has no Dutch translation; a Dutch customer must still be offered it, as a fallback. (Two
    // Dutch articles are about Zapier, the others only mention it, so the fallback's place —
    // just below the best native results — is on the first page.)
    let tree = Tree::new();
    for n in 0..50 {
        let body = "Zapier connects Zapier to Zapier.\n\n## Zapier triggers\nZapier, Zapier.\n\n## Zapier actions\nZapier, Zapier.\n";
        tree.write(
            &format!("en/zaps/zap-{n}.md"),
            crate::common::article(&format!("Zapier zap {n}"), body).as_bytes(),
        );
        let dutch = if n < 2 {
            crate::common::article(
                &format!("Zapier koppeling {n}"),
                "Zapier koppelt Zapier aan Zapier.",
            )
        } else {
            crate::common::article(
                &format!("Koppeling {n}"),
                "Deze koppeling stuurt nieuwe facturen, betalingen en klanten naar andere diensten, \
                 zoals Zapier, en houdt de gegevens in beide richtingen bij.",
            )
        };
        tree.write(&format!("nl/zaps/zap-{n}.md"), dutch.as_bytes());
    }
    tree.write(
        "en/zaps/webhooks.md",
        crate::common::article(
            "Webhooks",
            "Webhooks send every new invoice to your own server, and they work with Zapier as well.",
        )
        .as_bytes(),
    );
    let output = tree.kb(&["build"]);
    assert!(output.status.success(), "{output:?}");
    let index = OpenIndex::open(&tree.index()).expect("index opens");
    let hits = search_hits(&index, "zapier", "nl");
    let webhooks = hits
        .iter()
        .find(|hit| hit.id == "zaps/webhooks")
        .unwrap_or_else(|| panic!("the untranslated article is offered: {:?}", ids(&hits)));
    assert!(webhooks.fallback && webhooks.lang.as_str() == "en");
    assert!(hits
        .iter()
        .filter(|hit| !hit.fallback)
        .all(|hit| hit.lang.as_str() == "nl"));
}

#[test]
fn while_typing_a_fallback_language_does_not_fill_in_with_a_short_prefix_alone() {
    // "Rückerstattung" finds the German refunds article; English has nothing for it, and the
    // untranslated "Payment methods" holds only words beginning with "pa". Offering it would
    // answer the two letters, not the customer's word.
    let suggest = |query: &str| hits_in_mode(index(), query, "de", Mode::Suggest);
    let hits = suggest("Rückerstattung pa");
    assert!(ids(&hits).contains(&"billing/refunds"), "{:?}", ids(&hits));
    assert!(hits.iter().all(|hit| !hit.fallback), "{:?}", ids(&hits));
    // Typed on its own, the prefix still finds the English article, as a fallback.
    let hits = suggest("pay");
    assert!(
        hits.iter()
            .any(|hit| hit.id == "billing/payment-methods" && hit.fallback),
        "{:?}",
        ids(&hits)
    );
}

fn ids(hits: &[SearchHit]) -> Vec<&str> {
    hits.iter().map(|hit| hit.id.as_str()).collect()
}

#[test]
fn among_the_best_results_the_one_whose_title_the_query_asks_moves_up() {
    let (_tree, index) = flu_help_center(&[
        (
            "en/flu/children.md",
            "---\ntitle: Are the symptoms different in children?\n---\nChildren show symptoms like adults: the symptoms are milder, and some symptoms, such as a fever, can be absent.\n",
        ),
        ("en/flu/what.md", "---\ntitle: What is the flu?\n---\nAn infection of the nose, throat and lungs.\n"),
        ("en/flu/costs.md", "---\ntitle: What are the costs of a flu test?\n---\nMost insurers pay for the test.\n"),
    ]);
    let first = |headline_bonus: bool| first_hit(&index, "symptoms", headline_bonus);
    // The text alone prefers the article that repeats the word; its title asks about children.
    assert_eq!(first(false), "flu/children");
    assert_eq!(first(true), "flu/symptoms");
    assert_eq!(search_hits(&index, "symptoms", "en")[0].id, "flu/symptoms");
}

#[test]
fn an_emails_first_link_is_ranked_by_its_headline_too() {
    let (_tree, index) = flu_help_center(&[
        (
            "en/flu/children.md",
            "---\ntitle: Are the symptoms different in children?\n---\nChildren show symptoms like adults: the symptoms are milder, and some symptoms, such as a fever, can be absent.\n",
        ),
        ("en/flu/what.md", "---\ntitle: What is the flu?\n---\nAn infection of the nose, throat and lungs.\n"),
        ("en/flu/costs.md", "---\ntitle: What are the costs of a flu test?\n---\nMost insurers pay for the test.\n"),
    ]);
    // As in search, the text alone prefers the article that repeats the word.
    let request = kb::search::ReplyRequest {
        subject: "",
        text: "Which symptoms?",
        lang: kb::analysis::LangTag::parse("en").expect("en"),
        max_links: 3,
        min_confidence: 0.0,
    };
    let links = kb::search::reply_links(&index, &request).expect("reply links");
    let ids: Vec<(&str, f32)> = links
        .iter()
        .map(|link| (link.hit.id.as_str(), link.hit.score))
        .collect();
    assert_eq!(ids.first().map(|link| link.0), Some("flu/symptoms"), "{ids:?}");
}

#[test]
fn among_the_best_results_the_one_whose_title_holds_more_of_the_query_moves_up() {
    let (_tree, index) = flu_help_center(&[
        (
            "en/flu/what.md",
            "---\ntitle: What is influenza?\n---\nInfluenza is an infection of the nose, throat and lungs caused by influenza viruses.\n",
        ),
        (
            "en/flu/spread.md",
            "---\ntitle: How does the flu spread between children at school?\n---\nIt spreads through droplets when people cough or sneeze.\n",
        ),
    ]);
    // "What is influenza?" holds the query's rarest word, and the query asks more of it than of
    // the long title; but that title holds two of the query's three words.
    assert_eq!(first_hit(&index, "how influenza spread", false), "flu/what");
    assert_eq!(first_hit(&index, "how influenza spread", true), "flu/spread");
}

#[test]
fn a_query_word_that_no_article_holds_leaves_the_headline_bonus_alone() {
    let (_tree, index) = flu_help_center(&[]);
    // "2020" is in no article: it can neither tell one headline from another nor make a headline
    // hold less of the query.
    let headline_factors = |query: &str| -> Vec<(String, Vec<String>)> {
        let request = kb::search::ExplainRequest {
            query,
            lang: kb::analysis::LangTag::parse("en").expect("en"),
            mode: Mode::Search,
            limit: 5,
            id: None,
        };
        let explained = kb::search::explain(&index, &request).expect("explain runs");
        explained
            .results
            .into_iter()
            .map(|article| (article.id, article.factors))
            .collect()
    };
    for query in ["flu symptoms", "how long flu", "flu vaccine"] {
        let plain = headline_factors(query);
        assert!(
            plain
                .iter()
                .any(|(_, factors)| factors.iter().any(|factor| factor.contains("headline"))),
            "{query:?} earns a headline bonus: {plain:?}"
        );
        assert_eq!(headline_factors(&format!("{query} 2020")), plain, "{query:?}");
    }
}

#[test]
fn a_fallback_article_gets_no_headline_bonus_for_the_customers_foreign_words() {
    let (_tree, index) = flu_help_center(&[
        (
            "en/flu/tamiflu.md",
            "---\ntitle: Can I take Tamiflu?\n---\nAsk your doctor first.\n",
        ),
        (
            "de/flu/medikamente.md",
            "---\ntitle: Welche Medikamente gibt es gegen Grippe?\n---\nTamiflu hilft manchen Patienten; fragen Sie Ihren Arzt.\n",
        ),
    ]);
    // In English, the German question shares only the name with the English headline: that is
    // chance, not the question, and the German article that answers it stays first.
    let hits = search_hits(&index, "hilft Tamiflu?", "de");
    let order: Vec<(&str, bool)> = hits.iter().map(|hit| (hit.id.as_str(), hit.fallback)).collect();
    assert_eq!(
        order[..2],
        [("flu/medikamente", false), ("flu/tamiflu", true)],
        "{order:?}"
    );
    // Its explanation shows no headline factor either.
    let explained = kb::search::explain(
        &index,
        &kb::search::ExplainRequest {
            query: "hilft Tamiflu?",
            lang: kb::analysis::LangTag::parse("de").expect("de"),
            mode: Mode::Search,
            limit: 2,
            id: None,
        },
    )
    .expect("explain runs");
    let tamiflu = explained
        .results
        .iter()
        .find(|article| article.id == "flu/tamiflu")
        .expect("the English article is explained");
    assert!(
        !tamiflu.factors.iter().any(|factor| factor.contains("headline")),
        "{:?}",
        tamiflu.factors
    );
}

#[test]
fn a_match_only_on_what_every_section_carries_links_the_whole_article() {
    // Tags are indexed with every section: "jab" matches them all alike, and the function words
    // of the query would otherwise pick the section that has the most of them.
    let (_tree, index) = flu_help_center(&[(
        "en/flu/vaccine.md",
        "---\ntitle: Flu vaccine\ntags: [jab]\n---\nOffered every autumn.\n\n\
         ## Who should get it?\n\nIt is for me, for you and for all of us over six months: it is a must.\n",
    )]);
    let hits = search_hits(&index, "is it a jab for me", "en");
    let hit = hits
        .iter()
        .find(|hit| hit.id == "flu/vaccine")
        .expect("the vaccine article");
    assert_eq!(
        (hit.section.as_deref(), hit.anchor.as_deref()),
        (None, None),
        "{hit:?}"
    );
    assert_eq!(hit.url, "/en/articles/flu/vaccine");
    // A word of the section's own text links the section.
    let hits = search_hits(&index, "is the jab a must for me", "en");
    let hit = hits
        .iter()
        .find(|hit| hit.id == "flu/vaccine")
        .expect("the vaccine article");
    assert_eq!(hit.anchor.as_deref(), Some("who-should-get-it"), "{hit:?}");
}

/// A small English help center about the flu, with `articles` (path, file) added, built.
fn flu_help_center(articles: &[(&str, &str)]) -> (Tree, OpenIndex) {
    let mut files = vec![
        (
            "en/flu/symptoms.md",
            "---\ntitle: What are the symptoms of the flu?\n---\nFever and a cough are the usual symptoms.\n",
        ),
        (
            "en/flu/duration.md",
            "---\ntitle: How long does the flu last?\n---\nAbout a week.\n",
        ),
        (
            "en/flu/vaccine.md",
            "---\ntitle: Where can I get a flu vaccine?\n---\nAsk your doctor or a pharmacy.\n",
        ),
        (
            "en/flu/work.md",
            "---\ntitle: Can I go to work with the flu?\n---\nStay at home while you have a fever.\n",
        ),
    ];
    files.extend_from_slice(articles);
    let tree = Tree::with(&files);
    let output = tree.kb(&["build"]);
    assert!(output.status.success(), "{output:?}");
    let index = OpenIndex::open(&tree.index()).expect("index opens");
    (tree, index)
}

/// The first article that full search in English finds for `query`, with or without the
/// headline bonus.
fn first_hit(index: &OpenIndex, query: &str, headline_bonus: bool) -> String {
    page(index, query, 5, headline_bonus).swap_remove(0)
}

/// The ids of a page of `limit` articles that full search in English finds for `query`, with or
/// without the headline bonus.
fn page(index: &OpenIndex, query: &str, limit: usize, headline_bonus: bool) -> Vec<String> {
    let request = kb::search::SearchRequest {
        query,
        lang: kb::analysis::LangTag::parse("en").expect("en"),
        limit,
        offset: 0,
        fallback: false,
        mode: Mode::Search,
        headline_bonus,
    };
    kb::search::search(index, &request)
        .expect("search runs")
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect()
}

#[test]
fn an_answer_just_below_the_page_whose_title_the_query_asks_reaches_it() {
    // Five articles whose text repeats the word outrank the one whose title is that word; their
    // long titles hold it too, among words of their own.
    let mut files: Vec<(String, String)> = ["children", "adults", "elderly", "athletes", "pregnancy"]
        .iter()
        .map(|group| {
            (
                format!("en/flu/{group}.md"),
                format!(
                    "---\ntitle: Symptoms, fevers, coughs, headaches and pains in {group}\n---\nSymptoms in {group}: symptoms vary, the symptoms are milder, and some symptoms can be absent, as symptoms often are.\n"
                ),
            )
        })
        .collect();
    files.push((
        "en/flu/signs.md".to_string(),
        "---\ntitle: Symptoms\n---\nSee a doctor when a fever lasts more than three days.\n".to_string(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let (_tree, index) = flu_help_center(&files);
    let without = page(&index, "symptoms", 6, false);
    assert_eq!(
        without.iter().position(|id| id == "flu/signs"),
        Some(5),
        "{without:?}"
    );
    let with = page(&index, "symptoms", 5, true);
    assert!(with.iter().any(|id| id == "flu/signs"), "{with:?}");
}

#[test]
fn a_last_letter_that_english_drops_as_a_clitic_is_still_the_word_being_typed() {
    // "s" and "t" alone are what is left of "what's" and "don't", dropped from finished text;
    // typed last, they begin a word ("spam"), and the word before them is complete.
    let hits = hits_in_mode(index(), "reset e-mail s", "en", Mode::Suggest);
    let hit = hits.first().expect("a result");
    assert_eq!(hit.id, "account/reset-password");
    assert!(hit.snippet_html.contains("<mark>s</mark>pam"), "{hit:?}");
}

#[test]
fn a_short_word_being_typed_is_looked_up_in_every_article_where_that_is_cheap() {
    // "inv" begins only "invoices" here. In a help center this small its postings are few, so
    // the three letters are looked up in every article, not only in the page of flu articles
    // that the finished word found.
    let questions: Vec<(String, String)> = (0..12)
        .map(|n| {
            (
                format!("en/flu/question-{n}.md"),
                format!("---\ntitle: Flu question {n}\n---\nAnswer {n} about the flu.\n"),
            )
        })
        .collect();
    let mut articles: Vec<(&str, &str)> = questions
        .iter()
        .map(|(path, file)| (path.as_str(), file.as_str()))
        .collect();
    articles.push((
        "en/billing/invoices.md",
        "---\ntitle: Where do I find my invoices?\n---\nInvoices are under Settings, then Billing.\n",
    ));
    let (_tree, index) = flu_help_center(&articles);
    let hits = hits_in_mode(&index, "flu inv", "en", Mode::Suggest);
    assert!(ids(&hits).contains(&"billing/invoices"), "{:?}", ids(&hits));
}

#[test]
fn a_question_the_writer_gives_counts_as_a_headline() {
    // The help center's text is written to "you", so "how", "do" and "i" are rare in it, and the
    // refunds heading holds three of the query's four words. The writer's question on the
    // cancellation article holds all four. (That a question must hold every word asked but the
    // stop words is shown by reply::a_question_wrapped_in_context_links_as_it_would_alone: in
    // the sample help center, "Wie kann ich meine Daten exportieren?" found the account
    // deletion's "was passiert mit meinen daten nach dem löschen".)
    let (_tree, index) = flu_help_center(&[
        (
            "en/billing/refunds.md",
            "---\ntitle: Refunds\n---\nEvery plan comes with a money-back guarantee.\n\n## How do I request a refund?\n\nGo to Billing and click Request refund.\n",
        ),
        (
            "en/billing/cancel.md",
            "---\ntitle: Cancel your subscription\nqueries:\n  - how do I cancel my subscription\n---\nGo to Settings, then Billing, and click Cancel plan. You can cancel at any time.\n\n## What happens after cancelling?\n\nYour invoices stay available.\n",
        ),
    ]);
    for mode in [Mode::Search, Mode::Suggest] {
        let hits = hits_in_mode(&index, "how do I cancel", "en", mode);
        assert_eq!(hits[0].id, "billing/cancel", "{mode:?}: {:?}", ids(&hits));
    }
}

/// The repository's sample help center, built once for the tests of this module that use it.
fn sample_index() -> &'static OpenIndex {
    static INDEX: OnceLock<(Tree, OpenIndex)> = OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let tree = Tree::with(&[]);
        copy_sample_articles(&tree.articles());
        let output = tree.kb(&["build"]);
        assert!(output.status.success(), "{output:?}");
        let index = OpenIndex::open(&tree.index()).expect("index opens");
        (tree, index)
    });
    index
}

#[test]
fn a_separable_verb_typed_up_to_its_particle_finds_its_article() {
    // "hoe zeg ik mijn abonnement op" typed into the Dutch box, no final space: with "op" still
    // the word being typed, "zeg" was not joined to it and found nothing in "Je abonnement
    // opzeggen", and the English "Delete your account", whose text holds the translations the
    // help center teaches for "zeg" and "op" ("cancel", "subscription"), was lifted above it as
    // holding more of the question.
    let hits = hits_in_mode(
        sample_index(),
        "hoe zeg ik mijn abonnement op",
        "nl",
        Mode::Suggest,
    );
    assert_eq!(
        hits.first().map(|hit| hit.id.as_str()),
        Some("billing/cancel-subscription"),
        "{:?}",
        ids(&hits)
    );
}

#[test]
fn a_fallback_is_not_lifted_by_words_that_only_begin_alike() {
    // "Où trouver mes factures ?" on the sample's French page ranked the English "Two-factor
    // authentication" first: "factures" began like its "factor", and in English every word of
    // the French question weighed as the rarest, so that section held half of the question,
    // while the French invoice article held only "factures", common in French. "płacić" (to pay)
    // found "Recurring invoices" by its "placeholder".
    let french = search_hits(sample_index(), "Où trouver mes factures ?", "fr");
    assert_eq!(
        french.first().map(|hit| hit.lang.as_str()),
        Some("fr"),
        "{:?}",
        ids(&french)
    );
    let polish = search_hits(sample_index(), "Czy mogę płacić w bitcoinach?", "pl");
    assert!(
        polish.iter().all(|hit| hit.id != "invoices/recurring-invoices"),
        "{:?}",
        ids(&polish)
    );
}

#[test]
fn a_question_that_the_title_holds_links_the_whole_article() {
    // Every section carries its article's title, so "scan receipt" matched each section of
    // "Scan receipts" alike, and the shortest, "Match receipts with bank transactions", was
    // linked. The title holds the whole question: the article is linked as a whole.
    for (query, lang) in [("scan receipt", "en"), ("Beleg scannen", "de")] {
        let hits = search_hits(sample_index(), query, lang);
        let hit = hits.first().unwrap_or_else(|| panic!("no result for {query:?}"));
        assert_eq!(
            (hit.id.as_str(), hit.section.as_deref(), hit.anchor.as_deref()),
            ("expenses/receipt-scanning", None, None),
            "{query:?}"
        );
    }
    // A question that names a section still links it.
    let hit = search_hits(sample_index(), "yearly plan refund", "en").remove(0);
    assert_eq!(hit.anchor.as_deref(), Some("refunds-for-yearly-plans"));
}

#[test]
fn explain_gives_the_headline_factor_of_the_section_that_scored() {
    // For "how do i chan", Refunds scores on its heading "How do I request a refund?" but is
    // linked as a whole (none of its sections holds the word being typed). Its explanation must
    // show the factor that heading gave it, not the one of the section linked.
    let explained = kb::search::explain(
        sample_index(),
        &kb::search::ExplainRequest {
            query: "how do i chan",
            lang: kb::analysis::LangTag::parse("en").expect("en"),
            mode: Mode::Suggest,
            limit: 1,
            id: Some("billing/refunds"),
        },
    )
    .expect("explain runs");
    let refunds = explained
        .target
        .and_then(|target| target.article)
        .expect("the refunds article is explained");
    assert_eq!(refunds.section, None, "{refunds:?}");
    assert!(
        refunds
            .factors
            .iter()
            .any(|factor| factor.contains("title and section heading")),
        "{refunds:?}"
    );
}

#[test]
fn the_question_words_typed_before_the_topic_do_not_outrank_it() {
    // In the sample help center, "how do I" matched "How do I request a refund?" as a phrase,
    // which lifted Refunds above the articles about changing things once "change" was typed in
    // full. A phrase of stop words names no topic. (While "chan" is still half typed, Refunds
    // stays first on its headline alone: the covid sets' typed prefixes need question words in
    // headlines to count, docs/quality.md.)
    let hits = hits_in_mode(sample_index(), "how do i change", "en", Mode::Suggest);
    assert!(
        hits[0]
            .section
            .as_deref()
            .is_some_and(|heading| heading.starts_with("Change")),
        "{:?}",
        hits.iter().map(|hit| (&hit.id, &hit.section)).collect::<Vec<_>>()
    );
}

#[test]
fn a_long_word_finds_the_forms_of_it_that_the_stemmer_keeps_apart() {
    // Snowball stems "transmitted" to "transmit" and "transmission" to "transmiss"; both begin
    // with "transm".
    let (_tree, index) = flu_help_center(&[(
        "en/flu/spread.md",
        "---\ntitle: How is the flu passed on?\n---\nTransmission happens through droplets.\n",
    )]);
    for mode in [Mode::Search, Mode::Suggest] {
        let hits = hits_in_mode(&index, "transmitted ", "en", mode);
        assert_eq!(
            hits.first().map(|hit| hit.id.as_str()),
            Some("flu/spread"),
            "{mode:?}: {:?}",
            ids(&hits)
        );
        assert!(
            hits[0].snippet_html.contains("<mark>Transmission</mark>"),
            "{}",
            hits[0].snippet_html
        );
    }
}

#[test]
fn a_single_chinese_character_finds_the_texts_that_use_it() {
    // "猫" (cat) is a word of its own; in running text it stands between other characters, where
    // bigrams alone never hold it.
    let tree = Tree::with(&[
        (
            "zh/pets/cats.md",
            "---\ntitle: 宠物\n---\n我们的黑猫很喜欢睡觉。猫粮在厨房里。\n",
        ),
        ("zh/pets/dogs.md", "---\ntitle: 宠物狗\n---\n小狗每天都要散步。\n"),
    ]);
    let output = tree.kb(&["build", "--default-lang", "zh"]);
    assert!(output.status.success(), "{output:?}");
    let index = OpenIndex::open(&tree.index()).expect("index opens");
    let hits = search_hits(&index, "猫", "zh");
    assert_eq!(ids(&hits), ["pets/cats"]);
    assert!(
        hits[0].snippet_html.contains("<mark>猫</mark>"),
        "{}",
        hits[0].snippet_html
    );
    // Where the query has bigrams, they alone are marked: not every use of one of its characters.
    let hits = search_hits(&index, "黑猫", "zh");
    let snippet = &hits[0].snippet_html;
    assert!(
        snippet.contains("<mark>黑猫</mark>很") && snippet.contains("。猫粮"),
        "{snippet}"
    );
}

#[test]
fn a_verb_whose_prefix_stands_at_the_end_of_the_question_finds_the_joined_verb() {
    // Apart, "setze" and "zurück" (or "zeg" and "op") are words of the other article; joined,
    // they are the verb the right one uses.
    let tree = Tree::with(&[
        (
            "de/account/reset-password.md",
            "---\ntitle: Passwort zurücksetzen\n---\nÜber den Link auf der Anmeldeseite können Sie Ihr Passwort zurücksetzen.\n",
        ),
        (
            "de/account/locked.md",
            "---\ntitle: Konto gesperrt\n---\nNach fünf falschen Passwörtern sperren wir das Konto. Setzen Sie sich mit uns in Verbindung, dann geben wir es Ihnen zurück.\n",
        ),
        (
            "nl/billing/cancel-subscription.md",
            "---\ntitle: Je abonnement opzeggen\n---\nJe kunt je abonnement altijd opzeggen in de instellingen.\n",
        ),
        (
            "nl/billing/plans.md",
            "---\ntitle: Abonnementen\n---\nKies een abonnement op de prijspagina. Zeg het ons als je vragen hebt over een abonnement.\n",
        ),
    ]);
    let output = tree.kb(&["build"]);
    assert!(output.status.success(), "{output:?}");
    let index = OpenIndex::open(&tree.index()).expect("index opens");
    for (query, lang, id) in [
        (
            "Wie setze ich mein Passwort zurück?",
            "de",
            "account/reset-password",
        ),
        (
            "Wie setzt man das Passwort zurück",
            "de",
            "account/reset-password",
        ),
        (
            "Hoe zeg ik mijn abonnement op?",
            "nl",
            "billing/cancel-subscription",
        ),
    ] {
        for mode in [Mode::Search, Mode::Suggest] {
            let hits = hits_in_mode(&index, query, lang, mode);
            assert_eq!(
                hits.first().map(|hit| hit.id.as_str()),
                Some(id),
                "{query:?} {mode:?}: {:?}",
                ids(&hits)
            );
        }
    }
}

#[test]
fn the_help_centers_translations_teach_the_customers_words_in_the_default_language() {
    // French has no "Delete your account", whose English holds none of the customer's words
    // ("supprimer", "compte"): the sample's articles that both languages have teach that they
    // are "delete" and "account" in English. (Before, a French article about creating an account
    // came first, or, from the English articles, one about the company profile.)
    for (mode, lang, query, id) in [
        (
            Mode::Search,
            "fr",
            "supprimer mon compte",
            "account/delete-account",
        ),
        (
            Mode::Search,
            "fr",
            "supprimer le compte",
            "account/delete-account",
        ),
        (
            Mode::Suggest,
            "fr",
            "supprimer mon compte",
            "account/delete-account",
        ),
        // "données" is `don` to the French stemmer, which the lexicon knows as "data", and `donne`
        // to the English one: looked up by the English stem, it found no translation, and French
        // articles holding "données" or only stop words ranked above "Export your data".
        (
            Mode::Search,
            "fr",
            "comment exporter mes données",
            "integrations/export-data",
        ),
        (
            Mode::Suggest,
            "fr",
            "comment exporter mes donn",
            "integrations/export-data",
        ),
        // The word being typed stands for the words it completes to in the customer's language
        // ("com…": "compte", whose translation is "account"). Before, "Scan receipts" and "Set up
        // your company profile" (the English "company" completes "comp") came first.
        (Mode::Suggest, "fr", "supprimer mon com", "account/delete-account"),
        (
            Mode::Suggest,
            "fr",
            "supprimer mon comp",
            "account/delete-account",
        ),
    ] {
        let hits = hits_in_mode(sample_index(), query, lang, mode);
        let first = hits
            .first()
            .map(|hit| (hit.id.as_str(), hit.lang.as_str(), hit.fallback));
        assert_eq!(
            first,
            Some((id, "en", true)),
            "{mode:?} {lang} {query}: {:?}",
            ids(&hits)
        );
    }
}

#[test]
fn a_word_only_a_tag_holds_completes_while_typed_and_a_tag_the_query_lies_in_is_a_headline() {
    // The German refunds article is tagged "Rückerstattung" and "doppelt abgebucht", words its
    // text does not use. Before, "rückerst" found nothing (completions came from the text alone),
    // and for "doppelt abge" the articles whose headings hold "abgemeldet" or "abgeschlossen"
    // ranked above it.
    for (query, lang) in [
        ("rückerst", "de"),
        ("doppelt abge", "de"),
        ("geld zurü", "de"),
        ("reimburs", "en"),
        ("charged tw", "en"),
    ] {
        let hits = hits_in_mode(sample_index(), query, lang, Mode::Suggest);
        assert_eq!(
            hits.first().map(|hit| (hit.id.as_str(), hit.lang.as_str())),
            Some(("billing/refunds", lang)),
            "{lang} {query}: {:?}",
            ids(&hits)
        );
    }
}

#[test]
fn a_word_being_typed_finds_its_cognates_in_the_default_language() {
    // French has no "Recurring invoices". Typed in full, "récurrente" was a completion of the
    // French "récurrentes" but no English word begins with it: the French invoice articles,
    // which hold "facture" alone, came first. Its cognates ("recurring") find the English one.
    for query in ["facture récurrente", "factures récurrentes"] {
        let hits = hits_in_mode(sample_index(), query, "fr", Mode::Suggest);
        assert_eq!(
            hits.first()
                .map(|hit| (hit.id.as_str(), hit.lang.as_str(), hit.fallback)),
            Some(("invoices/recurring-invoices", "en", true)),
            "{query}: {:?}",
            ids(&hits)
        );
    }
}
