//! Fuzzes the suggest and search path: any text as a query, in any language kb knows, against a
//! small multilingual index built once, its language told without one, and the same text as an
//! e-mail asking for reply links.
//! Nothing may panic, and highlighted titles and snippets must never carry markup other than
//! `<mark>`.
#![no_main]

use std::sync::OnceLock;

use kb::analysis::{Analysis, LangTag, LANGUAGES};
use kb::article::Article;
use kb::index::{self, BuildOptions, OpenIndex};
use kb::search::{query_language, reply_links, search, Mode, ReplyRequest, SearchRequest};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static OpenIndex {
    static INDEX: OnceLock<(tempfile::TempDir, OpenIndex)> = OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let parse = |code: &str| LangTag::parse(code).expect("known language");
        let articles = [
            Article::from_parts("billing/refunds", parse("en"), "Refunds <b>fast</b>", "We refund unused time.\n\n## How long?\nFive days."),
            Article::from_parts("billing/refunds", parse("de"), "Rückerstattungen", "Wir erstatten ungenutzte Zeit."),
            Article::from_parts("billing/refunds", parse("ja"), "返金について", "未使用の期間分を返金します。"),
            Article::from_parts("billing/refunds", parse("vi"), "Hoàn tiền", "Chúng tôi hoàn lại thời gian chưa sử dụng."),
            Article::from_parts("account/password", parse("en"), "Reset your password", "Use the reset link."),
            Article::from_parts("account/password", parse("pl"), "Resetowanie hasła", "Użyj linku, aby zresetować hasło."),
            Article::from_parts("account/password", parse("de"), "Passwort zurücksetzen", "Sie können Ihr Passwort jederzeit zurücksetzen."),
            Article::from_parts("account/password", parse("nl"), "Je wachtwoord instellen", "Stel je wachtwoord in of log in."),
        ];
        let options = BuildOptions {
            default_lang: LangTag::default(),
            analysis: Analysis::PerLanguage,
        };
        index::build(&articles, dir.path(), &options, &mut |_| {}).expect("build");
        let index = OpenIndex::open(dir.path()).expect("open");
        (dir, index)
    });
    index
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, query)) = data.split_first() else {
        return;
    };
    let lang = LangTag::of(&LANGUAGES[(selector & 0x3f) as usize % LANGUAGES.len()]);
    let mode = if selector & 0x80 == 0 { Mode::Suggest } else { Mode::Search };
    let headline_bonus = selector & 0x40 == 0;
    let query = String::from_utf8_lossy(query);
    // The language of a query that names none: the help center's vocabulary may tell it.
    let _ = query_language(index(), &query);
    let request = SearchRequest {
        query: &query,
        lang: lang.clone(),
        limit: 5,
        offset: 0,
        fallback: true,
        mode,
        headline_bonus,
    };
    let results = search(index(), &request).expect("search");
    for hit in &results.hits {
        for html in [&hit.title_html, &hit.snippet_html] {
            let without_marks = html.replace("<mark>", "").replace("</mark>", "");
            assert!(!without_marks.contains('<'), "{html}");
        }
    }
    let email = ReplyRequest {
        subject: "",
        text: &query,
        lang,
        max_links: 3,
        min_confidence: 0.0,
    };
    reply_links(index(), &email).expect("reply links");
});
