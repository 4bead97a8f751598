//! Splits text into words, and runs of CJK/Thai script (written without spaces) into
//! overlapping character bigrams, with each Han ideograph also on its own (a word or a word's
//! root in Chinese and Japanese), stacked at the position of the bigram it begins, and Thai
//! trigrams stacked on their bigrams.
//!
//! Hand-written rather than built on UAX #29 word breaking: that splits ideographs into single
//! characters and keeps Thai runs whole, and we need both as bigram runs, plus apostrophes as
//! separators (`l'homme`, `don't`) so that elided articles fall out as stop words.

use unicode_normalization::char::is_combining_mark;

/// A piece of the source text that becomes one token, with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The text of the segment, borrowed from the input.
    pub text: &'a str,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// Whether the segment is a character bigram (or lone character) from a script without spaces.
    pub is_ngram: bool,
    /// Whether the segment shares the position of the one before it: a bigram stacked on the
    /// ideograph it begins with, a Thai trigram on the bigram, a pair of syllables on its first.
    pub stacked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    /// Part of a space-delimited word.
    Word,
    /// A script written without spaces: segmented into bigrams.
    Unspaced,
    /// Whitespace, punctuation, symbols.
    Separator,
}

/// Han ideographs (Chinese characters, Japanese kanji): each one is a word or a word's root, so
/// it is indexed on its own too, below the bigram it begins.
pub(super) fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F
    )
}

/// Thai letters: Thai words run longer than two letters, so a Thai run also gets trigrams,
/// stacked on the bigrams they begin with (typed prefixes of xquad th 0.885 → 0.895).
fn is_thai(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0E7F)
}

/// Scripts written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF        // Thai, Lao
        | 0x1000..=0x109F      // Myanmar
        | 0x1780..=0x17FF      // Khmer
        | 0x1100..=0x11FF      // Hangul Jamo
        | 0x2E80..=0x2FDF      // CJK radicals
        | 0x3005..=0x3007      // 々 〆 〇
        | 0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3130..=0x318F      // Hangul compatibility Jamo
        | 0x31F0..=0x31FF      // Katakana phonetic extensions
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xAC00..=0xD7AF      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFF66..=0xFF9F      // Halfwidth Katakana
        | 0x20000..=0x2FA1F    // CJK extensions B–F, compatibility supplement
    )
}

fn classify(c: char, previous: CharClass) -> CharClass {
    if c.is_ascii() {
        // No ASCII character is of a script without spaces, a mark or a joiner.
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    if is_unspaced_script(c) {
        CharClass::Unspaced
    } else if is_combining_mark(c) || c == '\u{200C}' || c == '\u{200D}' {
        // Marks and joiners belong to whatever they follow.
        match previous {
            CharClass::Separator => CharClass::Word,
            other => other,
        }
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

/// Splits `text` into word segments and bigram segments, in text order.
pub fn segment(text: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut run_start = 0;
    let mut run_class = CharClass::Separator;
    for (index, c) in text.char_indices() {
        let class = classify(c, run_class);
        if class != run_class {
            push_run(text, run_start, index, run_class, &mut segments);
            run_start = index;
            run_class = class;
        }
    }
    push_run(text, run_start, text.len(), run_class, &mut segments);
    segments
}

/// `segments` of `text` with each two neighbouring words one space apart also as one word,
/// stacked on the first: for a language that writes each syllable apart, where most words are
/// two syllables (Vietnamese `thành phố`, "city"; xquad vi 0.962 → 0.967, typed prefixes 0.854 →
/// 0.871).
pub(super) fn with_syllable_pairs<'a>(text: &'a str, segments: Vec<Segment<'a>>) -> Vec<Segment<'a>> {
    let mut paired = Vec::with_capacity(segments.len() * 2);
    for (index, first) in segments.iter().enumerate() {
        paired.push(*first);
        let Some(second) = segments.get(index + 1) else {
            continue;
        };
        let one_space = first.end < second.start && text.get(first.end..second.start) == Some(" ");
        if one_space && !first.is_ngram && !second.is_ngram {
            paired.push(Segment {
                text: &text[first.start..second.end],
                start: first.start,
                end: second.end,
                is_ngram: false,
                stacked: true,
            });
        }
    }
    paired
}

fn push_run<'a>(text: &'a str, start: usize, end: usize, class: CharClass, out: &mut Vec<Segment<'a>>) {
    match class {
        CharClass::Separator => {}
        CharClass::Word => out.push(Segment {
            text: &text[start..end],
            start,
            end,
            is_ngram: false,
            stacked: false,
        }),
        CharClass::Unspaced => {
            // Character boundaries of the run, combining marks kept with their base character.
            let run = &text[start..end];
            let mut bounds: Vec<usize> = run
                .char_indices()
                .filter(|&(_, c)| !is_combining_mark(c))
                .map(|(i, _)| start + i)
                .collect();
            bounds.push(end);
            if bounds.len() <= 2 {
                out.push(Segment {
                    text: run,
                    start,
                    end,
                    is_ngram: true,
                    stacked: false,
                });
                return;
            }
            for (index, window) in bounds.windows(2).enumerate() {
                let ideograph = text[window[0]..].chars().next().is_some_and(is_ideograph);
                if ideograph {
                    out.push(Segment {
                        text: &text[window[0]..window[1]],
                        start: window[0],
                        end: window[1],
                        is_ngram: true,
                        stacked: false,
                    });
                }
                if let Some(&bigram_end) = bounds.get(index + 2) {
                    out.push(Segment {
                        text: &text[window[0]..bigram_end],
                        start: window[0],
                        end: bigram_end,
                        is_ngram: true,
                        stacked: ideograph,
                    });
                }
                let thai = text[window[0]..].chars().next().is_some_and(is_thai);
                if let Some(&trigram_end) = bounds.get(index + 3).filter(|_| thai) {
                    out.push(Segment {
                        text: &text[window[0]..trigram_end],
                        start: window[0],
                        end: trigram_end,
                        is_ngram: true,
                        stacked: true,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<&str> {
        segment(input).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn words_split_on_punctuation_and_apostrophes() {
        assert_eq!(
            texts("L'homme, don't — e-mail 2FA!"),
            ["L", "homme", "don", "t", "e", "mail", "2FA"]
        );
    }

    #[test]
    fn cjk_runs_become_bigrams_with_each_ideograph_stacked_below_its_own() {
        assert_eq!(
            texts("東京都に住む"),
            ["東", "東京", "京", "京都", "都", "都に", "に住", "住", "住む"]
        );
        assert_eq!(texts("返金 v2"), ["返", "返金", "金", "v2"]);
        assert_eq!(texts("猫"), ["猫"]);
        assert_eq!(texts("ありがとう"), ["あり", "りが", "がと", "とう"]);
        let stacked: Vec<bool> = segment("返金").iter().map(|s| s.stacked).collect();
        assert_eq!(stacked, [false, true, false]);
    }

    #[test]
    fn thai_runs_get_trigrams_stacked_on_their_bigrams() {
        assert_eq!(
            texts("การเงิน"),
            ["กา", "การ", "าร", "ารเ", "รเ", "รเงิ", "เงิ", "เงิน", "งิน"]
        );
        let stacked: Vec<bool> = segment("การเงิน").iter().map(|s| s.stacked).collect();
        assert_eq!(
            stacked,
            [false, true, false, true, false, true, false, true, false]
        );
    }

    #[test]
    fn syllables_one_space_apart_are_paired_and_stacked_on_the_first() {
        let text = "thành phố, Hà Nội";
        let paired: Vec<(&str, bool)> = with_syllable_pairs(text, segment(text))
            .iter()
            .map(|segment| (segment.text, segment.stacked))
            .collect();
        assert_eq!(
            paired,
            [
                ("thành", false),
                ("thành phố", true),
                ("phố", false),
                ("Hà", false),
                ("Hà Nội", true),
                ("Nội", false)
            ]
        );
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Zahlung: 返金する";
        for s in segment(text) {
            assert_eq!(&text[s.start..s.end], s.text);
        }
    }

    #[test]
    fn combining_marks_stay_in_the_word() {
        // Devanagari virama and vowel signs are marks.
        assert_eq!(texts("हिन्दी भाषा"), ["हिन्दी", "भाषा"]);
        // Decomposed e + combining acute.
        assert_eq!(texts("cafe\u{301} noir"), ["cafe\u{301}", "noir"]);
    }
}
