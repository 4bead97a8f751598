//! Fuzzes the e-mail intake: any bytes as a raw message, as JSON, as text to strip quotes,
//! signatures and courtesy from, to cut into sentences and to tell the language of (as an
//! e-mail and as a typed query), and as a subject. The property is that nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kb::mail::parse_raw(data);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = kb::mail::parse_json(&value);
    }
    let text = String::from_utf8_lossy(data);
    let question = kb::mail::strip_courtesy(&kb::mail::strip_signature(&kb::mail::strip_quotes(&text), &text));
    let _ = kb::mail::sentences(&question);
    let languages: Vec<_> = kb::analysis::LANGUAGES.iter().take(usize::from(data.first().copied().unwrap_or(0) % 8)).collect();
    let _ = kb::analysis::detect_among(&text, &languages);
    let _ = kb::analysis::detect_query(&text, &languages);
    let _ = kb::mail::subject_topic(&text);
});
