//! The question in an e-mail's new text. Courtesy is not the question: the greeting ("Hi
//! team,"), the closing with the name under it ("Best regards, / Maria") and pleasantries ("I
//! hope you are well.", "Thanks in advance for your help!"), in en, nl, de, fr and es. Their words
//! would otherwise be searched as if they were the question ("help", "hope", "well"), and a
//! courteous e-mail would find fewer answers than a curt one.

use std::sync::LazyLock;

use regex::Regex;

/// Reply and forward markers that open a subject: "Re:", "Fwd:", "AW:", "WG:", "TR:", "RV:",
/// "SV:", "VS:", "VB:", "Antw:", "Doorst:", "Odp:", "PD:", "Ответ:", "回复：", "転送:", repeated or
/// numbered ("Re[2]:").
static REPLY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"(?i)^\s*(?:(?:re|fw|fwd|aw|wg|tr|rv|sv|vs|vb|antw|doorst|r|rif|enc|odp|pd|ynt|ответ|пересл|回复|答复|转发|転送)(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    )
});

/// A subject that names no topic: "Question", "Help!", "Support request", "Frage", "Anfrage",
/// "Demande d'aide", "Vraag", "Consulta", "Pytanie", "お問い合わせ".
static GENERIC_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"(?xi)^[\s\W]*(?:(?:
            a|an|my|quick|short|small|urgent|important|general|new|one|another|some|
            question|questions|help|problem|problems|issue|issues|support|request|inquiry|enquiry|hello|hi|hey|info|contact|form|please|
            kurze|eine|frage|fragen|anfrage|hilfe|problem|bitte|dringend|hallo|kontakt|kontaktformular|
            petite|une|demande|d'aide|d’aide|aide|problème|bonjour|urgent|
            korte|een|vraag|vragen|hulp|probleem|verzoek|
            una|pregunta|preguntas|ayuda|consulta|solicitud|problema|hola|urgente|
            pytanie|pytania|pomoc|prośba|zapytanie|problem|pilne|dzień|dobry|
            質問|ご質問|問い合わせ|お問い合わせ|問合せ|お問合せ|ヘルプ|至急
        )[\s\W]*)*$",
    )
});

/// What of `subject` tells the topic: without "Re:"/"Fwd:" markers in the usual languages, and
/// empty when it names none ("Question", "Hilfe", "Demande d'aide"), since a subject's words
/// weigh double in the search.
pub fn subject_topic(subject: &str) -> &str {
    let subject = match REPLY_PREFIX.find(subject) {
        Some(prefix) => &subject[prefix.end()..],
        None => subject,
    };
    if GENERIC_SUBJECT.is_match(subject) {
        ""
    } else {
        subject.trim()
    }
}

/// Most words of a line under a closing (a name, a role, a company).
const MAX_SIGNATURE_LINE_WORDS: usize = 8;
/// Most non-empty lines (name, role, company, phone) under a closing.
const MAX_LINES_UNDER_CLOSING: usize = 4;

/// Opening words of a greeting.
const GREETING: &str = r"hi|hello|hey|dear|good\s+(?:morning|afternoon|evening|day)|greetings|hallo|hoi|guten\s+(?:tag|morgen|abend)|liebe[rs]?|sehr\s+geehrte[rs]?|moin|servus|bonjour|bonsoir|salut|cher|chère|chers|madame|monsieur|hola|buen(?:os|as)\s+(?:días|dias|tardes|noches)|estimad[oa]s?|querid[oa]s?|beste|geachte|goede(?:morgen|middag|navond)|dag";

/// A line that is only a greeting: "Hi,", "Dear support team,", "Sehr geehrte Damen und Herren,"
/// (the greeting word and at most four more).
static GREETING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)^\s*(?:{GREETING})\b(?:\s+[\w'’.-]+){{0,4}}\s*[,:!]?\s*$"
    ))
});

/// A greeting that opens a line the question follows on: "Hi, how do I …", "Hallo! Wie …".
static GREETING_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| super::constant_pattern(format!(r"(?i)^\s*(?:{GREETING})\b[^,!.?:\n]{{0,40}}[,!:]\s+")));

/// A line that closes the e-mail: "Thanks,", "Best regards", "Mit freundlichen Grüßen, Jan" (the
/// formula and at most two more words, such as a name).
static CLOSING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)^\s*(?:{CLOSING})(?:\s*/\s*(?:{CLOSING}))?[\s,.!:;。！，、-]*(?:[\w'’.-]+[\s,.!]*){{0,2}}$"
    ))
});

/// The formulas that close an e-mail, in the languages whose forms are cut. "Med venlig hilsen
/// / Kind regards" gives two.
const CLOSING: &str = r"(?x:
    thanks|thank\s+you|thx|ty|many\s+thanks|cheers|regards|best|sincerely|yours|
    (?:best|kind|warm|warmest|many)\s+(?:regards|wishes)|all\s+the\s+best|
    mit\s+freundlichen\s+grüßen|freundliche\s+grüße|(?:viele|liebe|beste|herzliche|schöne)\s+grüße|grüße|gruß|lg|mfg|danke|vielen\s+dank|
    cordialement|bien\s+(?:à\s+vous|cordialement)|merci|bonne\s+(?:journée|soirée)|salutations|sincères\s+salutations|
    met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|groet(?:en|jes)?|alvast\s+bedankt|bedankt|dank\s+(?:je|u)(?:\s+wel)?|
    saludos(?:\s+cordiales)?|un\s+saludo|gracias|muchas\s+gracias|atentamente|cordialmente|
    (?:med\s+)?venlig(?:st)?\s+hilsen|(?:med\s+)?vennlig\s+hilsen|(?:med\s+)?vänliga\s+hälsningar|(?:bästa\s+)?hälsningar|mvh|
    (?:cordiali|distinti)\s+saluti|saluti|grazie(?:\s+mille)?|atenciosamente|cumprimentos|obrigad[oa]|
    pozdrawiam|z\s+poważaniem|dziękuję|(?:ystävällisin\s+)?terveisin|s\s+pozdravem|с\s+уважением|спасибо|
    abraços?|saygılarımla|teşekkürler|üdvözlettel|köszönettel|cu\s+stimă|με\s+εκτίμηση|з\s+повагою|děkuji|
    (?:よろしく|宜しく)お願い(?:いた|致)?します|よろしくお願い申し上げます|谢谢|謝謝|此致敬礼|祝好|감사합니다|고맙습니다
)";

/// A line that signs with a dash and a name: "-Abhishek Kona", "— Jane".
static DASHED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(r"^\s*[-–—]\s?\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,2}\s*$")
});

/// A name and a role on one line, as a signature opens ("Jim Smith | Enrollment Manager", "Jim P.
/// Smith | XYZ Corp"): two or three capitalised words, maybe a middle initial, then a bar and a
/// word ("Order Number | 12345" is no signature).
static NAME_AND_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"^\s*\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}\.)?(?:\s+\p{Lu}[\p{L}'’-]+){1,2}\s+\|\s+\p{L}",
    )
});

/// Pleasantries: "I hope you are well", "Thanks in advance", "Any help would be appreciated",
/// "Vielen Dank im Voraus", "Merci d'avance" (an alternation, for [`PLEASANTRY`] and
/// [`TRAILING_PLEASANTRY`]).
const PLEASANTRIES: &str = r"(?x:
            i\s+hope\s+(?:you\s+are|you're|this\s+(?:e-?mail|message)\s+finds\s+you|all\s+is)\s+(?:well|doing\s+well|fine|good)
          | (?:thanks|thank\s+you|many\s+thanks)(?:\s+(?:so|very)\s+much)?(?:\s+(?:in\s+advance|again))?(?:\s+for\s+(?:your|the|any)\s+(?:help|time|support|assistance|reply|answer|quick\s+(?:reply|answer|response)))?
          | (?:any|your)\s+help\s+(?:would\s+be|is)\s+(?:greatly\s+|much\s+|very\s+much\s+)?appreciated
          | (?:please|can\s+you|could\s+you|would\s+you)\s+(?:please\s+)?help(?:\s+me|\s+us)?(?:\s+please)?
          | i\s+look\s+forward\s+to\s+(?:hearing\s+from\s+you|your\s+(?:reply|answer|response))
          | looking\s+forward\s+to\s+(?:hearing\s+from\s+you|your\s+(?:reply|answer|response))
          | ich\s+hoffe,?\s+es\s+geht\s+(?:ihnen|dir|euch)\s+gut
          | (?:vielen\s+)?dank\s+(?:im\s+voraus|für\s+(?:ihre|deine|eure)\s+(?:hilfe|mühe|antwort))
          | danke\s+(?:im\s+voraus|für\s+(?:ihre|deine|eure)\s+(?:hilfe|mühe|antwort))
          | ich\s+freue\s+mich\s+auf\s+(?:ihre|deine|eure)\s+antwort
          | (?:können|könnten)\s+sie\s+mir\s+(?:bitte\s+)?helfen
          | merci\s+(?:d'avance|d’avance|par\s+avance|(?:pour|de)\s+votre\s+(?:aide|réponse))
          | j'espère\s+que\s+vous\s+allez\s+bien|j’espère\s+que\s+vous\s+allez\s+bien
          | dans\s+l'attente\s+de\s+votre\s+réponse|dans\s+l’attente\s+de\s+votre\s+réponse
          | pouvez-vous\s+m'aider|pouvez-vous\s+m’aider
          | alvast\s+bedankt(?:\s+voor\s+(?:uw|je|jullie)\s+hulp)?
          | bedankt\s+voor\s+(?:uw|je|jullie)\s+(?:hulp|antwoord)
          | ik\s+hoop\s+dat\s+(?:het\s+goed\s+met\s+(?:u|je)\s+gaat|alles\s+goed\s+is)
          | (?:kunt\s+u|kun\s+je)\s+mij\s+helpen
          | (?:muchas\s+)?gracias\s+(?:de\s+antemano|por\s+(?:su|tu)\s+(?:ayuda|respuesta))
          | espero\s+que\s+(?:esté|estés|este|estes)\s+bien
          | quedo\s+a\s+la\s+espera\s+de\s+(?:su|tu)\s+respuesta
          | (?:puede|podría|pueden)\s+ayudarme
          | i\s+(?:could\s+not|couldn't|couldn’t|can\s*not|can't|can’t|did\s+not|didn't|didn’t)\s+find\s+(?:anything|any\s+information|an\s+answer|the\s+answer|it)(?:\s+about\s+(?:it|this|that))?\s+(?:on|in)\s+your\s+(?:website|web\s+site|site|help\s+cent(?:er|re)|faq|documentation)
          | ich\s+habe\s+(?:dazu\s+)?(?:auf|in)\s+(?:ihrer|eurer|deiner)\s+(?:webseite|website|homepage|hilfe|faq)\s+nichts\s+(?:dazu\s+)?gefunden
        )";

/// A sentence that is only a pleasantry: "I hope you are well.", "Thanks in advance!",
/// "Any help would be appreciated.", "Vielen Dank im Voraus.", "Merci d'avance."
static PLEASANTRY: LazyLock<Regex> =
    LazyLock::new(|| super::constant_pattern(format!(r"(?i)^\s*{PLEASANTRIES}\W*$")));

/// A pleasantry that ends a sentence it was run into, with no stop before it: "what is corona I
/// could not find anything about it on your website." Taken only when it opens with a capital
/// letter, as a sentence does ([`without_trailing_pleasantry`]).
static TRAILING_PLEASANTRY: LazyLock<Regex> =
    LazyLock::new(|| super::constant_pattern(format!(r"(?i)\s{PLEASANTRIES}\W*$")));

/// Words that announce the question before a colon or a dash: "Quick question:", "I have a
/// question —", "Kurze Frage:", "Petite question :", "Korte vraag:", "Una pregunta:".
static LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"(?xi)^\s*(?:
            (?:(?:a|one|quick|short|small|simple|brief|little)\s+)*question
          | i\s+have\s+a\s+(?:(?:quick|short|small|simple)\s+)?question
          | (?:eine\s+)?(?:kurze\s+)?frage | ich\s+habe\s+(?:da\s+)?eine\s+(?:kurze\s+)?frage
          | (?:une\s+)?(?:petite\s+)?question | j['’]ai\s+une\s+(?:petite\s+)?question
          | (?:een\s+)?(?:korte\s+)?vraag | ik\s+heb\s+een\s+(?:korte\s+)?vraag
          | (?:una\s+)?(?:pequeña\s+|breve\s+)?pregunta | tengo\s+una\s+(?:pequeña\s+|breve\s+)?pregunta
        )\s*[:–—-]\s*",
    )
});

/// `sentence` without the words that announce it ([`LEAD_IN`]).
fn without_lead_in(sentence: &str) -> &str {
    match LEAD_IN.find(sentence) {
        Some(found) => &sentence[found.end()..],
        None => sentence,
    }
}

/// `sentence` without a pleasantry run into its end ([`TRAILING_PLEASANTRY`]).
fn without_trailing_pleasantry(sentence: &str) -> &str {
    match TRAILING_PLEASANTRY.find(sentence) {
        Some(found)
            if sentence[found.start()..]
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_uppercase) =>
        {
            &sentence[..found.start()]
        }
        _ => sentence,
    }
}

/// `text` without its greeting, its closing (and the lines under it) and its pleasantries: the
/// question the customer asks. Text that is nothing but courtesy ("Thanks, solved!") becomes
/// empty, as it asks nothing.
pub fn strip_courtesy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = closing_at(&lines).unwrap_or(lines.len());
    let mut kept: Vec<String> = Vec::new();
    let mut opened = false;
    for (index, &line) in lines[..end].iter().enumerate() {
        let mut line = line;
        if !opened && !line.trim().is_empty() {
            opened = true;
            if let Some(found) = GREETING_PREFIX.find(line) {
                line = &line[found.end()..];
            }
            if GREETING_LINE.is_match(line) {
                continue;
            }
        }
        let mut sentences: Vec<&str> = line_sentences(line)
            .filter(|sentence| !PLEASANTRY.is_match(sentence))
            .map(|sentence| without_trailing_pleasantry(without_lead_in(sentence)))
            .collect();
        // "… to invoices? Cheers, Bob": a closing that ends the text on the question's line.
        let last_line = index + 1 == end;
        if last_line
            && sentences.len() > 1
            && sentences.last().is_some_and(|last| CLOSING_LINE.is_match(last))
        {
            sentences.pop();
        }
        kept.push(sentences.join(" "));
    }
    kept.iter()
        .map(|line| line.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Question marks: `?`, the full-width `？` of Chinese and Japanese, the Arabic `؟`.
const QUESTION_MARKS: [char; 3] = ['?', '？', '؟'];

/// Whether `sentence` asks: it ends in a question mark ([`QUESTION_MARKS`]).
pub fn is_question(sentence: &str) -> bool {
    sentence.trim_end().ends_with(QUESTION_MARKS)
}

/// The sentences of `text`, line by line (cut after `.`, `!`, `?`, `…` or `؟` and a space).
pub fn sentences(text: &str) -> Vec<&str> {
    text.lines()
        .flat_map(line_sentences)
        .map(str::trim)
        .filter(|sentence| !sentence.is_empty())
        .collect()
}

/// The line that starts the closing: a short closing formula with at most a few short lines
/// (a name, a company) under it. A "Thanks!" in the middle of the text closes nothing.
fn closing_at(lines: &[&str]) -> Option<usize> {
    let is_closing = |line: &str| CLOSING_LINE.is_match(line) || PLEASANTRY.is_match(line);
    (0..lines.len()).find(|&at| is_closing(lines[at]) && signature_like(&lines[at + 1..]))
}

/// Where the sender signs off below the message: a closing formula ("Best regards,"), a dash
/// and a name ("-Jane Doe") that is no item of a list, a line of dashes ("---", a signature's
/// separator), a name and a role after a blank line ([`NAME_AND_ROLE`]), or the sender's own
/// name opening a line ("Jim P. Smith", `sender` being the From header's name and address),
/// with at most [`MAX_LINES_UNDER_CLOSING`] short lines under it (name, role, company). A
/// closing that is the whole message ("Thanks, solved!") is no sign-off.
pub(super) fn sign_off_at(lines: &[&str], sender: &str) -> Option<usize> {
    let first = lines.iter().position(|line| !line.trim().is_empty())?;
    let name = SenderName::of(sender);
    (first + 1..lines.len()).find(|&at| {
        let line = lines[at];
        let signs = CLOSING_LINE.is_match(line)
            || (DASHED_NAME.is_match(line) && !in_list(lines, at))
            || (DASH_LINE.is_match(line) && one_block(&lines[at + 1..]))
            || (NAME_AND_ROLE.is_match(line) && lines[at - 1].trim().is_empty())
            || name.as_ref().is_some_and(|name| name.opens(line));
        signs && signature_like(&lines[at + 1..])
    })
}

/// A line of dashes only, three or more: a signature's separator when a few short lines follow
/// it as one block and end the message ("---" above "Roman"); text set apart by blank lines is
/// the writer's own, under a divider. Two dashes ("-- ") are the standard separator, cut
/// whatever follows ([`super::strip`]).
static DASH_LINE: LazyLock<Regex> = LazyLock::new(|| super::constant_pattern(r"^\s*-{3,}\s*$"));

/// Whether `lines` are one block: non-empty from the first to the last non-empty one.
fn one_block(lines: &[&str]) -> bool {
    let end = lines
        .iter()
        .rposition(|line| !line.trim().is_empty())
        .map_or(0, |last| last + 1);
    end > 0 && lines[..end].iter().all(|line| !line.trim().is_empty())
}

/// Whether the line at `at` is an item of a list: the nearest non-empty line above or below it
/// opens with a dash or a bullet too ("- Invoicing" under "- Payroll" is no signature).
fn in_list(lines: &[&str], at: usize) -> bool {
    let is_item = |line: &&str| LIST_ITEM.is_match(line);
    let above = lines[..at].iter().rev().find(|line| !line.trim().is_empty());
    let below = lines[at + 1..].iter().find(|line| !line.trim().is_empty());
    above.is_some_and(is_item) || below.is_some_and(is_item)
}

/// A line that opens a list item: a dash or a bullet, then text (not a line of dashes).
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| super::constant_pattern(r"^\s*[-–—*•]\s?[^\s*•–—-]"));

/// The first and last word of a sender's name, lower-cased.
struct SenderName {
    first: String,
    last: String,
}

impl SenderName {
    /// The name in a From header's text ("Jim Smith jim@example.com"); `None` without at least
    /// two words of letters (an address alone, "Smith, Jim").
    fn of(sender: &str) -> Option<SenderName> {
        let words: Vec<&str> = sender
            .split_whitespace()
            .filter(|word| {
                word.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\'' | '’'))
            })
            .collect();
        match words.as_slice() {
            [first, .., last] => Some(SenderName {
                first: first.to_lowercase(),
                last: last.to_lowercase(),
            }),
            _ => None,
        }
    }

    /// Whether `line` is a short line that opens with the first name and holds the last name
    /// among its first words ("Jim P. Smith | Enrollment Manager"), not a sentence that names
    /// the sender ("My name is Jim Smith").
    fn opens(&self, line: &str) -> bool {
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
            .filter(|word| !word.is_empty())
            .take(NAME_WORDS)
            .collect();
        // A name is written capitalised: "My user account…" is no signature of "My User".
        let names = |word: &&str, name: &str| {
            word.to_lowercase() == name && word.chars().next().is_some_and(char::is_uppercase)
        };
        words.first().is_some_and(|word| names(word, &self.first))
            && words.iter().skip(1).any(|word| names(word, &self.last))
            && line.split_whitespace().count() <= MAX_SIGNATURE_LINE_WORDS
    }
}

/// Words of a signature line that a sender's name spans at most ("Jim P. Smith").
const NAME_WORDS: usize = 4;

/// Whether `under` (the lines below a closing) could be a signature: at most
/// [`MAX_LINES_UNDER_CLOSING`] non-empty lines, each short and asking nothing.
fn signature_like(under: &[&str]) -> bool {
    let mut under = under.iter().filter(|line| !line.trim().is_empty());
    under
        .by_ref()
        .take(MAX_LINES_UNDER_CLOSING)
        .all(|line| words(line) <= MAX_SIGNATURE_LINE_WORDS && !line.contains(QUESTION_MARKS))
        && under.next().is_none()
}

fn words(line: &str) -> usize {
    line.split_whitespace().count()
}

/// The sentences of a line: cut after `.`, `!`, `?`, `…` or `؟` followed by a space. A Chinese
/// or Japanese line is not cut at `。` or `？`: the topic of a question often stands in the
/// sentence before it ("パスワードを忘れました。リセットの方法は？"), and asked alone, the
/// question names nothing.
fn line_sentences(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut chars = rest.char_indices().peekable();
        let mut cut = rest.len();
        while let Some((_, c)) = chars.next() {
            if let (true, Some(&(next, space))) = (matches!(c, '.' | '!' | '?' | '…' | '؟'), chars.peek())
            {
                if space.is_whitespace() {
                    cut = next;
                    break;
                }
            }
        }
        let (sentence, tail) = rest.split_at(cut);
        rest = tail.trim_start();
        Some(sentence)
    })
}

#[cfg(test)]
mod tests {
    use super::{strip_courtesy, subject_topic};

    #[test]
    fn subjects_lose_reply_markers_and_say_nothing_when_generic() {
        assert_eq!(subject_topic("Re: AW: Refund for my plan"), "Refund for my plan");
        assert_eq!(subject_topic("Fwd[2]: Rechnung fehlt"), "Rechnung fehlt");
        assert_eq!(subject_topic("Odp: PD: Faktura"), "Faktura");
        assert_eq!(subject_topic("回复：退款"), "退款");
        for generic in [
            "Pytanie",
            "お問い合わせ",
            "Question",
            "Help!",
            "Re: Support request",
            "Kurze Frage",
            "Demande d'aide",
            "Vraag",
            "consulta urgente",
            "",
        ] {
            assert_eq!(subject_topic(generic), "", "{generic}");
        }
        assert_eq!(subject_topic("Question about refunds"), "Question about refunds");
        assert_eq!(subject_topic("Resend my invoice"), "Resend my invoice");
    }

    #[test]
    fn sentences_are_cut_at_their_ends_and_lines() {
        assert_eq!(
            super::sentences("Hi there. Is 2.5 enough? Yes!\nA new line… and more"),
            ["Hi there.", "Is 2.5 enough?", "Yes!", "A new line…", "and more"]
        );
    }

    #[test]
    fn greetings_closings_and_names_go() {
        let mail = "Hi team,\n\nHow does the virus spread?\n\nThanks in advance,\nMaria Smith\nACME Ltd.";
        assert_eq!(strip_courtesy(mail), "How does the virus spread?");
        let mail = "Sehr geehrte Damen und Herren,\n\nwie lange dauert eine Rückerstattung?\n\nMit freundlichen Grüßen\nJan";
        assert_eq!(strip_courtesy(mail), "wie lange dauert eine Rückerstattung?");
        assert_eq!(
            strip_courtesy("Bonjour, comment changer mon mot de passe ?"),
            "comment changer mon mot de passe ?"
        );
        assert_eq!(
            strip_courtesy("Beste,\nHoe vraag ik een terugbetaling aan?\nMet vriendelijke groet,\nPiet"),
            "Hoe vraag ik een terugbetaling aan?"
        );
        assert_eq!(
            strip_courtesy("Hola:\n¿Cómo cambio mi contraseña?\nSaludos,\nAna"),
            "¿Cómo cambio mi contraseña?"
        );
    }

    #[test]
    fn pleasantries_go_and_the_question_stays() {
        let mail = "Hello,\n\nI hope you are well. My card was charged twice. Any help would be appreciated!\n\nBest regards,\nMaria";
        assert_eq!(strip_courtesy(mail), "My card was charged twice.");
        assert_eq!(
            strip_courtesy("Ich hoffe, es geht Ihnen gut. Wo ist meine Rechnung? Vielen Dank im Voraus."),
            "Wo ist meine Rechnung?"
        );
        assert_eq!(
            strip_courtesy("Where is my invoice? I couldn't find anything about it on your website."),
            "Where is my invoice?"
        );
    }

    #[test]
    fn a_pleasantry_run_into_the_question_goes_too() {
        for (mail, question) in [
            (
                "where is my invoice I couldn't find anything about it on your website.",
                "where is my invoice",
            ),
            (
                "wo ist meine Rechnung Vielen Dank im Voraus!",
                "wo ist meine Rechnung",
            ),
            // Only where a new sentence would start, with a capital: the words of a question stay.
            (
                "how can my customers say thank you",
                "how can my customers say thank you",
            ),
        ] {
            assert_eq!(strip_courtesy(mail), question);
        }
    }

    #[test]
    fn words_that_announce_the_question_go() {
        for (mail, question) in [
            (
                "Good morning,\n\nquick question: how do I export my data?\nCheers,\nTom",
                "how do I export my data?",
            ),
            ("Kurze Frage: Wo ist meine Rechnung?", "Wo ist meine Rechnung?"),
            ("I have a question - can I pay by PayPal?", "can I pay by PayPal?"),
            // A question about questions is a question.
            (
                "Where do customers' questions go?",
                "Where do customers' questions go?",
            ),
        ] {
            assert_eq!(strip_courtesy(mail), question);
        }
    }

    #[test]
    fn thanks_that_ask_or_go_on_are_kept() {
        let mail = "Thanks for the answer, but how do I export my data?";
        assert_eq!(strip_courtesy(mail), mail);
        let mail = "Thanks!\nOne more thing: how do I export my data?\nIt is urgent.\nPlease tell me soon.\nReally.\nOK?";
        assert!(strip_courtesy(mail).contains("export my data"));
        assert_eq!(strip_courtesy("Thanks, solved!"), "");
        assert_eq!(
            strip_courtesy("Hi, how do I add my logo to invoices? Cheers, Bob"),
            "how do I add my logo to invoices?"
        );
    }

    #[test]
    fn a_question_that_starts_like_a_greeting_is_kept() {
        assert_eq!(strip_courtesy("Dear app, why do you crash?"), "why do you crash?");
        let mail = "Best way to export my invoices?";
        assert_eq!(strip_courtesy(mail), mail);
    }
}
