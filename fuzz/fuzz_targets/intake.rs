//! Fuzzes the e-mail intake: any bytes as a raw message, as JSON, as text to strip quotes,
//! signatures and courtesy from, and as a subject. The property is that nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kb::mail::parse_raw(data);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = kb::mail::parse_json(&value);
    }
    let text = String::from_utf8_lossy(data);
    let _ = kb::mail::strip_courtesy(&kb::mail::strip_signature(&kb::mail::strip_quotes(&text)));
    let _ = kb::mail::subject_topic(&text);
});
