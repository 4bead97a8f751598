//! Fuzzes an article file: any bytes as a Markdown file with front matter, parsed and checked as
//! `kb check` would, rendered to sanitized HTML, and analysed for the index. Nothing may panic,
//! and every diagnostic must point inside the file.
#![no_main]

use kb::analysis::{Analysis, LangTag};
use kb::article::{load_bytes, render_html, ArticlesByPath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let default_lang = LangTag::default();
    let loaded = load_bytes("en/fuzz/article.md", data, &default_lang);
    let lines = data.split(|byte| *byte == b'\n').count();
    for diagnostic in &loaded.diagnostics {
        assert!(diagnostic.line >= 1 && diagnostic.line <= lines + 1, "{diagnostic}");
    }
    for article in &loaded.articles {
        let html = render_html(article, &ArticlesByPath::new());
        assert!(!html.contains("<script"), "{html}");
        let analyzer = Analysis::PerLanguage.analyzer(&article.lang);
        let _ = analyzer.analyze(&article.plain_text());
    }
});
