//! Language detection (whatlang), limited to the languages kb knows.

use std::sync::OnceLock;

use whatlang::Detector;

use super::language::{Language, LANGUAGES};
use super::{segment, Analyzer};

/// Fewer letters than this and whatlang's trigram statistics are noise.
const MIN_LETTERS_FOR_CONFIDENCE: usize = 40;

/// A detected language and whether the detection is trustworthy.
#[derive(Debug, Clone, Copy)]
pub struct Detection {
    /// The detected language.
    pub language: &'static Language,
    /// whatlang's confidence, 0–1.
    pub confidence: f64,
    /// Whether the detection is reliable enough to override a declared or default language.
    pub confident: bool,
}

/// Scripts that only one language of the table is written in: even a one-word text in them
/// is unambiguous. (Han characters alone are not: Chinese or Japanese.)
fn language_of_script(c: char) -> Option<&'static str> {
    match c as u32 {
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Some("ja"),
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => Some("ko"),
        0x0E00..=0x0E7F => Some("th"),
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Some("el"),
        0x0590..=0x05FF => Some("he"),
        0x0900..=0x097F => Some("hi"),
        0x0B80..=0x0BFF => Some("ta"),
        _ => None,
    }
}

/// Detects the language of `text` among the languages of the table; `None` when nothing can
/// be told. Kana, hangul and other single-language scripts decide at once; otherwise whatlang
/// decides, confidently only for reliable detections of long enough text.
pub fn detect(text: &str) -> Option<Detection> {
    by_script(text).or_else(|| by_trigrams(text))
}

/// whatlang's detection of `text` among every language of the table, confident only when
/// reliable on long enough text.
fn by_trigrams(text: &str) -> Option<Detection> {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        Detector::with_allowlist(LANGUAGES.iter().map(|language| language.detected_as).collect())
    });
    whatlang(detector, text, |info, letters| {
        info.is_reliable() && letters >= MIN_LETTERS_FOR_CONFIDENCE
    })
}

/// Letters needed before a detection among a help center's own languages is trusted.
const MIN_LETTERS_AMONG_KNOWN: usize = 12;

/// Whether whatlang's detection among a help center's own languages is trusted for an e-mail:
/// with few candidates, shorter text and a lower confidence than [`detect`] asks.
fn trusted_among_known(info: &whatlang::Info, letters: usize) -> bool {
    letters >= MIN_LETTERS_AMONG_KNOWN && (info.is_reliable() || info.confidence() >= 0.5)
}

/// Detects the language of `text` among `languages` only (e.g. those a help center has
/// articles in): by script; else a language that is not among them when the text tells it
/// ([`outside`]: a Russian or Swedish e-mail to a help center without either gets the default
/// language's answer, not the closest of its languages'); else by its function words
/// ([`WordVote::of_stop_words`]; where they leave a few languages open, whatlang choosing the one whose
/// function words lead is enough on a dozen letters, however unsure it is: "Wie funktioniert
/// der Coronatest?" is German and Dutch by its function words, German for whatlang at 0.26);
/// else by whatlang among `languages`, which with few candidates trusts shorter text.
pub fn detect_among(text: &str, languages: &[&'static Language]) -> Option<Detection> {
    let agreement_on_enough_letters = |_: &whatlang::Info, letters| letters >= MIN_LETTERS_AMONG_KNOWN;
    by_script(text).or_else(|| {
        let words = lowercase_words(text);
        outside(text, &words, languages).or_else(|| {
            by_stop_words(text, &words, languages, &agreement_on_enough_letters).unwrap_or_else(|| {
                by_script_among(text, languages).or_else(|| {
                    let detector = Detector::with_allowlist(detected_as(languages));
                    whatlang(&detector, text, trusted_among_known)
                })
            })
        })
    })
}

/// whatlang's confidence that a text whose function words point to one language outside a
/// help center's is in that language, below which the function words are not trusted ("Me
/// cobraron dos veces este mes" holds more Portuguese stop words than Spanish ones, and
/// whatlang gives Portuguese 0.02).
const MIN_CONFIDENCE_OUTSIDE: f64 = 0.1;

/// A language of the table that is not among `languages`, when the text tells it: whatlang
/// is confident of it; or the function words of every language with a stop list lead to
/// languages outside `languages` ("você", "minha"; "jag", "inte") and whatlang, choosing among
/// those and `languages`, picks one of them; or the text is in a script none of `languages` is
/// written in (Cyrillic to a help center in Latin-script languages), and one of that script's
/// languages is taken ([`by_script_among`] every language).
/// `words`: the text's [`lowercase_words`].
fn outside(text: &str, words: &[String], languages: &[&'static Language]) -> Option<Detection> {
    let overall = by_trigrams(text)?;
    let lacked = !languages.contains(&overall.language);
    if lacked && overall.confident {
        return Some(overall);
    }
    let known = detected_as(languages);
    by_foreign_function_words(text, words, languages, &known).or_else(|| {
        let foreign_script = whatlang::detect_script(text)
            .is_some_and(|script| !script.langs().iter().any(|lang| known.contains(lang)));
        if !(lacked && foreign_script) {
            return None;
        }
        by_script_among(text, Language::every())
    })
}

/// A language outside `languages` (whatlang's names: `known`) that the function words of
/// every language with a stop list lead to among `words` (the text's), when whatlang agrees.
fn by_foreign_function_words(
    text: &str,
    words: &[String],
    languages: &[&'static Language],
    known: &[whatlang::Lang],
) -> Option<Detection> {
    let (candidates, min_confidence) = match WordVote::of_stop_words(words, with_stop_words()) {
        WordVote::Decided(voted) if !languages.contains(&voted.language) => (
            [known, &[voted.language.detected_as]].concat(),
            MIN_CONFIDENCE_OUTSIDE,
        ),
        WordVote::Among(leading) if !leading.iter().any(|lang| known.contains(lang)) => (leading, 0.0),
        _ => return None,
    };
    let detection = whatlang(&Detector::with_allowlist(candidates), text, |info, _| {
        info.confidence() >= min_confidence
    })?;
    (detection.confident && !languages.contains(&detection.language)).then_some(detection)
}

/// The languages of the table that have a stop list: those whose function words can vote.
fn with_stop_words() -> &'static [&'static Language] {
    static LISTED: OnceLock<Vec<&'static Language>> = OnceLock::new();
    LISTED.get_or_init(|| LANGUAGES.iter().filter(|language| language.stop_words).collect())
}

/// whatlang's names of `languages`.
fn detected_as(languages: &[&'static Language]) -> Vec<whatlang::Lang> {
    languages.iter().map(|language| language.detected_as).collect()
}

/// Detects the language of a query typed into a help center with articles in `languages`: by
/// script, else by its function words among `languages` ("wie kann ich mein passwort"), else as
/// [`detect`] does, which trusts only long text, else by a script that only some of `languages`
/// are written in ([`by_script_among`]). A word that ends the text may be half typed
/// ("symptoms of co", not the Spanish "con"): it does not vote.
pub fn detect_query(text: &str, languages: &[&'static Language]) -> Option<Detection> {
    let typed = text.trim_end_matches(char::is_alphanumeric);
    by_script(text).or_else(|| {
        by_stop_words(text, &lowercase_words(typed), languages, &|_, _| false).unwrap_or_else(|| {
            // A confident detection stands (a long German query to a help center in English and
            // Japanese is German, answered from the fallback); else the script may tell.
            let trigrams = by_trigrams(text);
            match trigrams {
                Some(detection) if detection.confident => trigrams,
                _ => by_script_among(text, languages).or(trigrams),
            }
        })
    })
}

/// whatlang's confidence below which its choice among the languages of one script is no
/// better than the script's most written language: "Свежий прайс-лист" is Ukrainian at 0.016.
const MIN_CONFIDENCE_WITHIN_SCRIPT: f64 = 0.1;

/// One of `languages` when the text's script is written by only some of them: the only one
/// ("password" to a help center in English and Russian), or, outside the Latin script, the one
/// whatlang chooses among them, and when it can hardly tell, the script's most written language
/// (Russian, of Cyrillic): a guess in the text's own script beats a default language in
/// another one. Among several Latin-script languages the script tells nothing. Han ideographs
/// are Japanese too ("返金" to a help center in English and Japanese), which whatlang's script
/// does not list.
fn by_script_among(text: &str, languages: &[&'static Language]) -> Option<Detection> {
    let script = whatlang::detect_script(text)?;
    let writes = |lang: &whatlang::Lang| {
        script.langs().contains(lang)
            || (script == whatlang::Script::Mandarin && *lang == whatlang::Lang::Jpn)
    };
    let written: Vec<whatlang::Lang> = detected_as(languages).into_iter().filter(writes).collect();
    match written[..] {
        [] => None,
        [only] => Some(Detection {
            language: Language::from_detected(only)?,
            confidence: 1.0,
            confident: true,
        }),
        _ if written.len() == languages.len() || script == whatlang::Script::Latin => None,
        _ => {
            let guess = whatlang(&Detector::with_allowlist(written.clone()), text, |_, _| true)?;
            if guess.confidence >= MIN_CONFIDENCE_WITHIN_SCRIPT {
                return Some(guess);
            }
            // whatlang lists a script's languages most written first.
            let most_written = script.langs().iter().find(|lang| written.contains(lang))?;
            Some(Detection {
                language: Language::from_detected(*most_written)?,
                ..guess
            })
        }
    }
}

/// What the function words among `voting` (the [`lowercase_words`] of all or the start of
/// `text`) tell among `languages`;
/// `None` when there is no candidate's stop word (then trigrams alone must tell), `Some(None)`
/// when the function words leave it open and whatlang, choosing among the leaders only, is
/// neither reliable nor `trusted` in choosing the leader.
fn by_stop_words(
    text: &str,
    voting: &[String],
    languages: &[&'static Language],
    trusted: &dyn Fn(&whatlang::Info, usize) -> bool,
) -> Option<Option<Detection>> {
    match WordVote::of_stop_words(voting, languages) {
        WordVote::Decided(detection) => Some(Some(detection)),
        // The function words narrow it down to a few languages: trigrams choose among those
        // only, when reliable, or when `trusted` and they choose the language whose function
        // words lead (two signals agreeing: whatlang calls "How do I change my password?"
        // Polish, whose stop words also hold "do", "i" and "my"); else nothing is told (the
        // caller's default applies).
        WordVote::Among(leading) => {
            let leader = leading.first().copied();
            let detector = Detector::with_allowlist(leading);
            let agreed = |info: &whatlang::Info, letters| {
                info.is_reliable() || (Some(info.lang()) == leader && trusted(info, letters))
            };
            Some(whatlang(&detector, text, agreed).filter(|detection| detection.confident))
        }
        WordVote::Silent => None,
    }
}

/// The words of `text` as the analyzers cut them (whose stop lists are checked the same way),
/// lower-cased: what [`WordVote::of_stop_words`] counts, cut once per text.
fn lowercase_words(text: &str) -> Vec<String> {
    segment(text)
        .iter()
        .filter(|word| !word.is_ngram)
        .map(|word| word.text.to_lowercase())
        .collect()
}

/// Evidence a language needs to be decided by a [`WordVote`]: words weighed by how many
/// candidate languages share them.
const MIN_VOTE_EVIDENCE: f32 = 1.0;
/// How many times the runner-up's evidence the decided language needs.
const VOTE_LEAD: f32 = 2.0;

/// What some words of a text say of its language among some candidates, each word counting
/// 1 / the number of candidates that know it ("in", "de" and "was" tell little). Known as
/// function words ([`WordVote::of_stop_words`]): trigram statistics need far more text than a
/// short question gives ("Wie lange ist die Inkubationszeit?" is no reliable German for
/// whatlang), while a question's function words rarely lie. Or known as words of a help
/// center's own articles (`kb::search::query_language`).
pub enum WordVote {
    /// One language leads clearly.
    Decided(Detection),
    /// These languages share the lead ("ich" and "wie" are Polish and Dutch stop words too).
    Among(Vec<whatlang::Lang>),
    /// No candidate knows any of the words.
    Silent,
}

impl WordVote {
    /// The vote of the function words among `words` (a text's [`lowercase_words`]).
    fn of_stop_words(words: &[String], languages: &[&'static Language]) -> WordVote {
        let analyzers: Vec<&Analyzer> = languages
            .iter()
            .map(|language| Analyzer::for_language(language))
            .collect();
        WordVote::of(words.len(), languages, |word, n| {
            analyzers[n].is_stop_word(&words[word])
        })
    }

    /// The vote of `words` words among `languages`, where `knows(word, n)` tells whether the
    /// `n`th language knows the `word`th word.
    pub fn of(
        words: usize,
        languages: &[&'static Language],
        knows: impl Fn(usize, usize) -> bool,
    ) -> WordVote {
        let mut evidence = vec![0.0_f32; languages.len()];
        let mut listing = Vec::with_capacity(languages.len());
        for word in 0..words {
            listing.clear();
            listing.extend((0..languages.len()).filter(|&n| knows(word, n)));
            for &n in &listing {
                evidence[n] += 1.0 / listing.len() as f32;
            }
        }
        let mut ranked: Vec<usize> = (0..languages.len()).collect();
        ranked.sort_by(|&a, &b| evidence[b].total_cmp(&evidence[a]));
        let Some(&best) = ranked.first().filter(|&&best| evidence[best] > 0.0) else {
            return WordVote::Silent;
        };
        let runner_up = ranked.get(1).map_or(0.0, |&n| evidence[n]);
        if evidence[best] >= MIN_VOTE_EVIDENCE && evidence[best] >= VOTE_LEAD * runner_up {
            return WordVote::Decided(Detection {
                language: languages[best],
                confidence: f64::from(evidence[best] / (evidence[best] + runner_up)),
                confident: true,
            });
        }
        WordVote::Among(
            ranked
                .iter()
                .filter(|&&n| evidence[n] * VOTE_LEAD >= evidence[best])
                .map(|&n| languages[n].detected_as)
                .collect(),
        )
    }
}

/// Han ideographs a text without kana needs to be told Chinese: Japanese sentences write their
/// particles and endings in kana, but a word or two may be kanji alone ("返金", "請求書").
const MIN_IDEOGRAPHS_FOR_CHINESE: usize = 8;

/// Letters only one language of the table writes, and the share of a text's letters they must
/// make, three at least, for the text to be in that language: a short question is, while a name
/// in an e-mail in another language ("Nguyễn Thị Hồng", "Ayşe Yıldız") is a few in a hundred.
struct OwnLetters {
    code: &'static str,
    is_own: fn(char) -> bool,
    min_share: f32,
}

/// [`OwnLetters`] for languages whatlang is unsure of in a short question, which then got the
/// closest of a help center's Latin-script languages.
const OWN_LETTERS: [OwnLetters; 2] = [
    // Vowels with a tone mark on a circumflex, breve or dot (ạ, ầ, ễ, ự: U+1EA0–U+1EF9) and the
    // horned ơ and ư: one in seven letters of the median xquad question; one in twenty of
    // "How can I download my invoices? Thanks, Nguyễn Thị Hồng".
    OwnLetters {
        code: "vi",
        is_own: |c| matches!(c, '\u{1EA0}'..='\u{1EF9}' | 'ơ' | 'Ơ' | 'ư' | 'Ư'),
        min_share: 0.08,
    },
    // Dotless ı, dotted İ and ğ: one in twenty letters of Turkish text.
    OwnLetters {
        code: "tr",
        is_own: |c| matches!(c, 'ı' | 'İ' | 'ğ' | 'Ğ'),
        min_share: 0.04,
    },
];

/// Letters of [`OWN_LETTERS`] a text needs, whatever its length.
const MIN_OWN_LETTERS: usize = 3;

/// A certain detection from a script only one language of the table uses; or from a run of
/// Han ideographs without kana (Chinese: a Chinese e-mail to a help center in Japanese but not
/// Chinese was answered in Japanese); or from letters only one language writes
/// ([`OWN_LETTERS`]).
fn by_script(text: &str) -> Option<Detection> {
    let code = text.chars().find_map(language_of_script).or_else(|| {
        let (mut ideographs, mut letters, mut own) = (0, 0, [0; OWN_LETTERS.len()]);
        for c in text.chars() {
            ideographs += usize::from(segment::is_ideograph(c));
            letters += usize::from(c.is_alphabetic());
            for (count, language) in own.iter_mut().zip(&OWN_LETTERS) {
                *count += usize::from((language.is_own)(c));
            }
        }
        if ideographs >= MIN_IDEOGRAPHS_FOR_CHINESE {
            return Some("zh");
        }
        own.iter().zip(&OWN_LETTERS).find_map(|(&count, language)| {
            (count >= MIN_OWN_LETTERS && count as f32 >= language.min_share * letters as f32)
                .then_some(language.code)
        })
    })?;
    let language = Language::from_code(code)?;
    Some(Detection {
        language,
        confidence: 1.0,
        confident: true,
    })
}

/// whatlang's detection, judged confident by `trust(info, letters in text)`.
fn whatlang(
    detector: &Detector,
    text: &str,
    trust: impl Fn(&whatlang::Info, usize) -> bool,
) -> Option<Detection> {
    let info = detector.detect(text)?;
    let language = Language::from_detected(info.lang())?;
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    Some(Detection {
        language,
        confidence: info.confidence(),
        confident: trust(&info, letters),
    })
}

#[cfg(test)]
mod tests {
    use super::{detect, Language};

    /// The languages of `codes`, as a help center's.
    fn languages(codes: &[&str]) -> Vec<&'static Language> {
        codes
            .iter()
            .filter_map(|code| Language::from_code(code))
            .collect()
    }

    /// The language code of a confident detection.
    fn confident_code(detection: Option<super::Detection>) -> Option<&'static str> {
        detection.filter(|d| d.confident).map(|d| d.language.code)
    }

    #[test]
    fn detects_long_text_confidently() {
        let detection = detect("Wie lange dauert es, bis ich mein Geld zurückbekomme, nachdem ich das Abonnement gekündigt habe?").unwrap();
        assert_eq!(detection.language.code, "de");
        assert!(detection.confident);
    }

    #[test]
    fn kana_and_hangul_are_unambiguous_even_in_one_word() {
        for (text, code) in [
            ("返金について", "ja"),
            ("パスワード", "ja"),
            ("환불", "ko"),
            ("การคืนเงิน", "th"),
        ] {
            let detection = detect(text).unwrap();
            assert_eq!(detection.language.code, code);
            assert!(detection.confident);
        }
        assert!(detect("返金").is_none_or(|d| !d.confident));
        // Han alone: Chinese once a sentence long, among any languages.
        let known = languages(&["en", "ja"]);
        let detection = super::detect_among("请问如何下载PDF格式的发票？谢谢！", &known).unwrap();
        assert_eq!(detection.language.code, "zh");
        assert!(detection.confident);
    }

    #[test]
    fn vietnamese_and_turkish_are_told_by_the_letters_only_they_write() {
        let known = languages(&["en", "es", "fr"]);
        let code = |text| confident_code(super::detect_among(text, &known));
        // whatlang is not confident of these; they were French or English.
        assert_eq!(code("Làm thế nào để đổi mật khẩu?"), Some("vi"));
        assert_eq!(code("Tôi bị trừ tiền hai lần"), Some("vi"));
        assert_eq!(code("Kanarya Adaları kıyıları hangi kıtadadır?"), Some("tr"));
        // A Vietnamese or Turkish name in an English e-mail does not make it Vietnamese or
        // Turkish.
        for text in [
            "How can I download all of my invoices as PDF files? Thanks, Nguyễn Thị Hồng",
            "Hello, my name is Ayşe Yıldız and I cannot log in to my account.",
        ] {
            assert_eq!(code(text), Some("en"), "{text}");
        }
    }

    #[test]
    fn a_text_in_a_script_of_few_of_the_languages_is_in_one_of_them() {
        // Too short for whatlang to be confident, and without a function word: the default
        // language (in another script) before.
        let known = languages(&["en", "ru", "de"]);
        assert_eq!(confident_code(super::detect_query("пароль", &known)), Some("ru"));
        assert_eq!(
            confident_code(super::detect_among("Забыл пароль", &known)),
            Some("ru")
        );
        let known = languages(&["en", "ar"]);
        assert_eq!(
            confident_code(super::detect_query("كلمة المرور", &known)),
            Some("ar")
        );
        // Every language kb knows (what `kb reply --extract` reads an e-mail among): a Cyrillic
        // subject is one of the Cyrillic languages.
        let every = Language::every();
        assert_eq!(
            confident_code(super::detect_among("Алфавит\nВопрос", every)),
            Some("ru")
        );
        // whatlang hardly tells (Ukrainian at 0.016): the script's most written language.
        assert_eq!(
            confident_code(super::detect_among("Свежий прайс-лист", every)),
            Some("ru")
        );
        assert_eq!(
            confident_code(super::detect_among("Де я можу знайти свої рахунки?", every)),
            Some("uk")
        );
        // The same to a help center without a Cyrillic-script language.
        let latin = languages(&["de", "en", "fr"]);
        assert_eq!(
            confident_code(super::detect_among("Свежий прайс-лист", &latin)),
            Some("ru")
        );
        // Han ideographs alone: Japanese to a help center whose only such language it is.
        assert_eq!(
            confident_code(super::detect_query("返金", &languages(&["en", "ja"]))),
            Some("ja")
        );
        // A Latin text to a help center with one Latin-script language is in that language.
        assert_eq!(
            confident_code(super::detect_query("password", &languages(&["en", "ru"]))),
            Some("en")
        );
        // Among several Latin-script languages the script tells nothing: left to the other
        // signals (and the default language).
        let known = languages(&["en", "de", "ru"]);
        assert_eq!(confident_code(super::detect_query("passwort", &known)), None);
        // A confident detection of a language the help center lacks stands.
        let long = "Wie lange dauert es, bis ich mein Geld zurückbekomme, nachdem ich gekündigt habe?";
        assert_eq!(
            confident_code(super::detect_query(long, &languages(&["en", "ja"]))),
            Some("de")
        );
    }

    #[test]
    fn a_short_text_is_confident_among_few_languages() {
        let known = languages(&["en", "de", "nl"]);
        let detection = super::detect_among("Wie lange dauert eine Rückerstattung?", &known).unwrap();
        assert_eq!(detection.language.code, "de");
        assert!(detection.confident);
    }

    #[test]
    fn short_questions_are_told_by_their_function_words() {
        let known = languages(&["de", "en", "es", "fr", "ja", "nl", "pl"]);
        for (text, code) in [
            ("How can I export all of my invoices to a spreadsheet?", "en"),
            // Each of these was no confident detection before function words were counted.
            ("Wie lange ist die Inkubationszeit?", "de"),
            ("Worauf muss ich im Alltag achten?", "de"),
            ("Wo kommt das Virus her?", "de"),
            ("Was kann man tun, wenn man krank ist?", "de"),
            // Function words German shares with Dutch ("wie", "der"; "waren", "die", "in"),
            // and whatlang unsure (0.26, 0.25) but choosing German among the two.
            ("Wie funktioniert der Coronatest?", "de"),
            ("Wer waren die Opfer in der Schlacht?", "de"),
        ] {
            let detection = super::detect_among(text, &known);
            assert_eq!(confident_code(detection), Some(code), "{text}");
        }
        // "was", "er" and "die" are Dutch function words too, and whatlang among the two was
        // not reliable on this sentence (confidence 0.69): it got the default language.
        let detection = super::detect_among(
            "Was forderte Luther, nachdem er die obligatorische Beichte abgelehnt hatte?",
            &known,
        );
        assert_eq!(confident_code(detection), Some("de"));
        // A language the help center lacks is that language, not the closest of the help
        // center's, even where it shares function words with them ("den", "il", "come").
        for (text, code) in [
            (
                "Добрый день. Я не могу войти в свой аккаунт, потому что забыл пароль. Подскажите, пожалуйста, что мне делать?",
                "ru",
            ),
            (
                "Hej! Jag har blivit debiterad två gånger den här månaden. Hur får jag tillbaka pengarna?",
                "sv",
            ),
            (
                "Buongiorno, sono stato addebitato due volte questo mese. Come posso ottenere il rimborso?",
                "it",
            ),
            // Too short for whatlang to be confident over every language: a script none of the
            // help center's languages is written in, or function words of a language outside
            // them (each was the default language or the closest of the help center's before).
            ("Забыл пароль, помогите", "ru"),
            // whatlang's guess over every language is Bulgarian; "как", "мне" and "за" are
            // Russian function words.
            ("Здравствуйте, как мне получить возврат денег за покупку? Спасибо", "ru"),
            ("Você pode me ajudar? Eu esqueci a minha senha.", "pt"),
            ("Hej, jag kan inte ändra mitt lösenord. Hur gör jag?", "sv"),
            ("Unde găsesc facturile mele?", "ro"),
        ] {
            let detection = super::detect_among(text, &known);
            assert_eq!(confident_code(detection), Some(code), "{text}");
        }
        // More Portuguese stop words than Spanish ones ("dos", "este"), but whatlang hardly
        // sees Portuguese in it: not called Portuguese.
        assert!(super::detect_among("Me cobraron dos veces este mes.", &known)
            .is_none_or(|d| !d.confident || d.language.code == "es"));
        // English function words that Polish shares ("do", "i", "my") leave the two open, and
        // whatlang, which calls these lines Polish (confidence 0.62), does not settle it alone.
        let lines: String = (1..=10)
            .map(|n| format!("How do I change my password number {n}?\n"))
            .collect();
        assert!(super::detect_among(&lines, &known).is_none_or(|d| !d.confident || d.language.code == "en"));
        // Function words that English shares with Polish ("do", "my", "to"), and a whatlang
        // that calls the sentence Spanish: nothing told, so the default language applies.
        assert!(
            super::detect_among("How do I export my data to a spreadsheet?", &known)
                .is_none_or(|d| !d.confident || d.language.code == "en")
        );
    }

    #[test]
    fn a_typed_query_is_told_by_its_complete_function_words() {
        let known = languages(&["de", "en", "es", "pl"]);
        let code = |text| confident_code(super::detect_query(text, &known));
        assert_eq!(code("wie kann ich mein pass"), Some("de"));
        assert_eq!(code("how do you spread"), Some("en"));
        // "con" and "sin" are Spanish function words, but here half-typed English words.
        assert_ne!(code("symptoms of coronavirus sin"), Some("es"));
        assert_ne!(code("Is covid con"), Some("es"));
    }

    #[test]
    fn short_text_is_not_confident() {
        assert!(detect("refund card").is_none_or(|d| !d.confident));
    }
}
