//! What is not the customer's question: quoted replies and forwarded history ("On … wrote:" and
//! its nl/de/fr/es/it/pt/da/sv forms, any language's attribution with a time and an address,
//! "-----Original Message-----" and its forms, Outlook header blocks, Lotus Notes' "… wrote on
//! …:", `>` lines), and signatures (`-- `, "Sent from my iPhone" and the like, a sign-off with
//! the name under it).

use std::sync::LazyLock;

use regex::Regex;

/// The verbs that end an "On … wrote:" attribution, in the languages whose forms are cut.
const ATTRIBUTION_VERBS: &str =
    r"wrote|schreef|geschreven|schrieb|a\s+écrit|escribió|ha\s+scritto|escreveu|skrev";

/// A sender's address in angle brackets, as attributions and header blocks give it.
const BRACKETED_ADDRESS_PATTERN: &str = r"<[^<>\s]+@[^<>\s]+>";

/// The words an "On … wrote:" attribution opens with, in the languages whose forms are cut.
const ATTRIBUTION_OPENERS: [&str; 9] = ["on", "op", "am", "le", "el", "il", "em", "den", "på"];

/// The dashes around a separator's name ("-----Original Message-----"): hyphen-minus, or the
/// typographic hyphens and dashes that some mailers draw (ProtonMail: U+2010).
const SEPARATOR_DASHES: &str = r"[-‐‑–—]{2,}";

/// Lines that start quoted or forwarded history: everything from them on is dropped.
static QUOTE_START: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?xi)^\s*(?:
            (?:{openers})\s.{{0,200}}?(?:{verbs})(?:\s.{{0,150}})?:\s*$
          | -{{2,}}\s*(?:on\s)?.{{0,200}}?\swrote\s*-{{2,}}\s*$
          | {dashes}\s*(?:original\s+message|reply\s+message|ursprüngliche\s+nachricht|originalnachricht|antwort\s+nachricht|message\s+d'origine|message\s+original|oorspronkelijk\s+bericht|mensaje\s+original|messaggio\s+originale|mensagem\s+original|oprindelig\s+(?:besked|meddelelse)|opprinnelig\s+melding|ursprungligt\s+meddelande|alkuperäinen\s+viesti|oryginalna\s+wiadomość|wiadomość\s+oryginalna|původní\s+zpráva|исходное\s+сообщение|eredeti\s+üzenet|mesaj\s+original|orijinal\s+mesaj|αρχικό\s+μήνυμα|pôvodná\s+správa|元のメッセージ|原始邮件|原始郵件|원본\s*메시지|원래\s*메시지
               |forwarded\s+message|weitergeleitete\s+nachricht|message\s+transféré|doorgestuurd\s+bericht|mensaje\s+reenviado|messaggio\s+inoltrato|mensagem\s+encaminhada|videresendt\s+(?:besked|meddelelse|melding)|vidarebefordrat\s+meddelande|välitetty\s+viesti|wiadomość\s+przekazana|přeposlaná\s+zpráva|пересылаемое\s+сообщение|転送メッセージ|転送されたメッセージ|转发的邮件|轉寄的郵件|전달된\s*메시지)\s*{dashes}
          | (?:begin\s+forwarded\s+message|anfang\s+der\s+weitergeleiteten\s+(?:nachricht|e-mail)|début\s+du\s+message\s+réexpédié|begin\s+doorgestuurd\s+bericht|inicio\s+del\s+mensaje\s+reenviado|inizio\s+messaggio\s+inoltrato|início\s+da\s+mensagem\s+(?:reencaminhada|encaminhada)|vidarebefordrat\s+brev|videresendt\s+(?:besked|meddelelse)|välitetty\s+viesti)\s*:
          | \W{{0,6}}(?:please\s+)?(?:type|write|reply|respond)\s+(?:your\s+(?:reply|response)\s+)?above\s+this\s+line
          | \S.{{0,80}}?\s(?:wrote\s+on|schrieb\s+am|a\s+écrit\s+le|schreef\s+op)\s.{{0,60}}?\d{{1,2}}[:.]\d{{2}}.{{0,30}}:\s*$
        )",
        openers = ATTRIBUTION_OPENERS.join("|"),
        verbs = ATTRIBUTION_VERBS,
        dashes = SEPARATOR_DASHES,
    ))
});

/// An attribution in any language: a line with a time and an address (in angle brackets or
/// bare) that ends in a colon or "wrote" ("30.09.2017, 18.30, "Jo" <jo@example.com>:", "ср, 30
/// апр. 2025 г. в 15:19, Jo <jo@example.com>:", "W dniu 2015-01-07 14:23, jo@example.com pisze:",
/// "在 2016年11月8日，下午2:23，Jo <jo@example.com> 写道："). The time is matched without word
/// boundaries: in Chinese and Japanese it touches the letters around it.
static ADDRESSED_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)^(?:.{{0,160}}\D)?\d{{1,2}}[:.]\d{{2}}(?:\D.{{0,160}})?(?:{BRACKETED_ADDRESS_PATTERN}|\S+@[^<>\s]+\.\w+).{{0,60}}?(?:[:：]|\swrote|写道)\s*$",
    ))
});

/// An attribution without a date: a sender's address in angle brackets and a verb of writing
/// ("Jo Smith <jo@example.com> schrieb:", "Jo <jo@example.com> wrote:").
static UNDATED_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)^.{{0,80}}{BRACKETED_ADDRESS_PATTERN}\s*(?:{ATTRIBUTION_VERBS}|pisze|kirjoitti|написал|написала|写道)\s*[:：]\s*$",
    ))
});

/// A line of underscores: Outlook draws one above the header block of the message replied to;
/// elsewhere it is a writer's own divider.
static UNDERSCORE_LINE: LazyLock<Regex> = LazyLock::new(|| super::constant_pattern(r"^\s*_{10,}\s*$"));

/// Non-blank lines below a line of underscores that a header block or attribution must begin in
/// for the line to end the new text.
const SEPARATED_HISTORY_LINES: usize = 2;

/// Length from which a quoted line may have been wrapped by the mailer, its last words moved to
/// an unquoted line of their own.
const WRAPPED_QUOTE_CHARS: usize = 60;

/// An "On … wrote:" attribution that a mailer appended to the last line of the reply ("reply On
/// Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:"), or after a dash run ("bla--- On …").
static TRAILING_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)(?:\s|-{{2,}})\s*(?:{openers})\s.{{0,200}}?(?:{ATTRIBUTION_VERBS}):\s*$",
        openers = ATTRIBUTION_OPENERS.join("|")
    ))
});

/// [`BRACKETED_ADDRESS_PATTERN`] on its own.
static BRACKETED_ADDRESS: LazyLock<Regex> =
    LazyLock::new(|| super::constant_pattern(BRACKETED_ADDRESS_PATTERN));

/// A year of this or the last century ("2024", "2024年").
static YEAR: LazyLock<Regex> = LazyLock::new(|| super::constant_pattern(r"(?:^|\D)(?:19|20)\d{2}(?:\D|$)"));

/// Most lines an attribution is wrapped over.
const MAX_WRAPPED_LINES: usize = 3;

/// Most words of an attribution in a language kb has no rule for, when it names no date and no
/// address ("Jan Kowalski napisał:"); a longer line ending in a colon is the customer's own lead-in
/// to the quote ("I wanted to respond to your points:").
const MAX_BARE_ATTRIBUTION_WORDS: usize = 4;

/// A time of day ("17:58", "17.50"): wrapped attributions carry one on their first line.
static CLOCK_TIME: LazyLock<Regex> =
    LazyLock::new(|| super::constant_pattern(r"(?:^|\D)\d{1,2}[:.]\d{2}(?:\D|$)"));

/// A line of a mail header block in any language: a short label, a colon, a value
/// ("Message du : 12/12/2016 13:20" above "De : …").
static HEADER_LINE: LazyLock<Regex> =
    LazyLock::new(|| super::constant_pattern(r"^\s*\*{0,2}\p{L}[\p{L} ]{0,24}\s?(?::\*{0,2}\s+|：\s*)\S"));

/// The names of an Outlook header block's first field ("From:"), in the languages whose forms
/// are cut.
const FROM_FIELDS: &str = r"from|von|van|de|de\s+la|da|fra|från|od|lähettäjä|feladó|kimden|από|от|від|差出人|发件人|寄件者|보낸\s?사람";

/// The names of an Outlook header block's other fields ("Sent:", "To:", "Subject:").
const OTHER_FIELDS: &str = r"sent|date|to|cc|subject|gesendet|datum|an|betreff|verzonden|aan|onderwerp|envoyé|à|a|objet|sujet|copie\s+à|enviado|fecha|para|asunto|inviato|data|oggetto|ogg|enviada\s+em|assunto|sendt|dato|til|emne|skickat|till|ämne|wysłano|wysłane|do|temat|odesláno|odoslané|komu|předmět|predmet|lähetetty|vastaanottaja|aihe|elküldve|címzett|tárgy|gönderildi|kime|konu|trimis|către|subiect|στάλθηκε|προς|θέμα|отправлено|надіслано|кому|тема|送信日時|宛先|件名|发送时间|收件人|主题|抄送|寄件日期|收件者|主旨|副本|보낸\s?날짜|받는\s?사람|제목|참조";

/// The first line of an Outlook header block ("From: … / Sent: …"; HTML mail turned into text
/// loses the space after a bold "<b>From:</b>").
static OUTLOOK_FROM: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)^\s*\*{{0,2}}(?:{FROM_FIELDS})\s*[:：]\*{{0,2}}\s*\S"
    ))
});

/// A "From:" line that holds only a sender's address (and name): the remains of a header block
/// whose other fields the mailer dropped ("From: jo@example.com" above a forwarded notification).
static ADDRESS_ONLY_FROM: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r#"(?i)^\s*\*{{0,2}}(?:{FROM_FIELDS})\s*[:：]\*{{0,2}}\s*(?:"?[^"<>@]{{0,60}}"?\s+)?<?[^\s<>@]+@[^\s<>@]+>?\s*$"#
    ))
});

/// Lines of an Outlook header block after its first.
static OUTLOOK_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)^\s*\*{{0,2}}(?:{OTHER_FIELDS})\s*[:：]\*{{0,2}}\s*\S"
    ))
});

/// A header field anywhere in a line; a line that opens with one and holds at least
/// [`MIN_INLINE_FIELDS`] and an address is a header block that lost its line breaks ("Date: Tue, 2
/// Oct 2012 … From: jo@example.com To: Smith Subject: …", as HTML mail becomes text).
static INLINE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?i)(?:^|\s)\*{{0,2}}(?:{FROM_FIELDS}|{OTHER_FIELDS})\s*(?::\*{{0,2}}\s|：)"
    ))
});

/// Most words of the sender's name on a header block's "From:" line without an address
/// ("From: Müller, Hans (ACME GmbH)", "From: ACME Customer Support Team (Germany) - No Reply").
const MAX_SENDER_WORDS: usize = 12;

/// Most words of a sender's name that ends like a sentence ("From: ACME Inc.").
const MAX_SENTENCE_FREE_WORDS: usize = 4;

/// A header block glued to the end of the reply's last line, its fields run together ("New email
/// bodyFrom: Jo <jo@example.com>Sent: Saturday, August 16, 2025 9:19 PMTo: …Subject: Fw: …", as a
/// converter that drops the HTML's line breaks writes it): the field names capitalised, in the
/// order that Outlook writes them, and an address.
static GLUED_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"(?:From|Von|Van|De|Da)\s?:[^\n]{0,200}?@[^\n]{0,200}?(?:Sent|Date|Gesendet|Datum|Verzonden|Envoyé|Enviado|Inviato)\s?:[^\n]{0,120}?(?:To|An|Aan|À|A|Para)\s?:[^\n]{0,300}?(?:Subject|Betreff|Onderwerp|Objet|Asunto|Oggetto)\s?:",
    )
});

/// Fields that one line needs to be taken for a header block that lost its line breaks.
const MIN_INLINE_FIELDS: usize = 3;

/// Lines that start a signature: everything from them on is dropped. A phone's or app's line
/// is a few words that end the line ("Sent from my iPhone", "Sent from TypeApp<https://…>"), so
/// that "Sent from my desk, is much easier…" stays; a BlackBerry's names its carrier too ("Sent
/// wirelessly from my BlackBerry device on the Bell network."), as does a carrier's text
/// messaging ("Sent via Bell Mobility's Text Messaging service.").
static SIGNATURE_START: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"(?xi)^(?:
            --\s?$
          | \s*(?:sent\s+(?:from|with)|get\s+outlook\s+for|download\s+outlook\s+for
               |(?:verzonden|verstuurd)\s+(?:vanaf|met|vanuit)|download\s+outlook\s+voor
               |gesendet\s+(?:von|mit)|outlook\s+für
               |envoyé\s+(?:de|depuis|à\s+partir\s+de)|(?:obtenir|télécharger)\s+outlook\s+pour
               |enviado\s+(?:desde|do|de)|obtener\s+outlook\s+para|inviato\s+(?:da|dal)|wysłane\s+z|wysłano\s+z
               |skickat\s+från|sendt\s+fra|odesláno\s+z|отправлено\s+(?:с|из)|trimis\s+de\s+pe|στάλθηκε\s+από|lähetetty)
             (?:\s+[\w'’.-]+){1,5}[.!]?\s*(?:<[^<>]*>)?\s*$
          | \s*(?:sent|envoyé|enviado|gesendet|verzonden|inviato)\b.{0,40}\bblackberry.{0,60}$
          | \s*sent\s+via\s+.{0,40}\btext\s+messaging\b.{0,40}$
          | \s*sent\s+via\s+the\s+samsung\b.{0,80}$
          | \s*sent\s+from\s+my\s+\S.{0,60}?[.!]\s+please\s+excuse\b.{0,40}$
          | \s*von\s+meinem\s+.{1,60}?\s+gesendet\b.*$
          | \s*outlook\s+für\s+\S+\s+herunterladen\b.*$
          | \s*\S{1,20}から送信\s*$
          | \s*(?:发自|發自)我的\s?\S.{0,30}$
          | \s*(?:从|從)我的\s?\S.{0,30}(?:发送|傳送)\s*$
          | \s*(?:내\s+)?\S{1,20}에서\s+보냄\s*$
        )",
    )
});

/// `text` without quoted replies and forwarded history. An attribution followed by `>` lines
/// is dropped with them, and text after the quote (a bottom-posted answer) is kept; an
/// attribution, separator or Outlook block followed by unquoted history ends the new text.
pub fn strip_quotes(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let quoted_after = |at: usize| {
        lines[at + 1..]
            .iter()
            .find(|next| !next.trim().is_empty())
            .is_some_and(|next| next.trim_start().starts_with('>'))
    };
    let mut kept: Vec<&str> = Vec::new();
    let mut skip = 0;
    for (index, line) in lines.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        if line.trim_start().starts_with('>') || wrapped_quote_line(&lines, index) {
            continue;
        }
        // "reply On Wed, … wrote:" above quoted lines: the reply's last words stay.
        let trailing = TRAILING_ATTRIBUTION
            .find(line)
            .filter(|_| quoted_after(index) && !QUOTE_START.is_match(line));
        if let Some(found) = trailing {
            let reply = line[..found.start()].trim_end();
            if !reply.is_empty() {
                kept.push(reply);
            }
            continue;
        }
        if let Some(glued) = GLUED_HEADER.find(line) {
            let reply = line[..glued.start()].trim_end();
            if !reply.is_empty() {
                kept.push(reply);
            }
            break;
        }
        // "On Mon, 1 Jan 2024, Jane <jane@example.com>\nwrote:" is often wrapped over two or
        // three lines.
        let opens_attribution = !line.trim().is_empty()
            && (is_attribution(line) || line.contains('@') || CLOCK_TIME.is_match(line));
        let wrapped = (2..=MAX_WRAPPED_LINES)
            .filter(|_| opens_attribution)
            .find(|&span| {
                let Some(parts) = lines.get(index..index + span) else {
                    return false;
                };
                let last = index + span - 1;
                parts[1..]
                    .iter()
                    .all(|part| !part.trim().is_empty() && !part.trim_start().starts_with('>'))
                    && parts[span - 1].trim_end().ends_with(':')
                    && (quoted_after(last) || {
                        let joined = parts.join(" ");
                        QUOTE_START.is_match(&joined) || is_addressed_attribution(&joined)
                    })
            });
        // Old Gmail: "2011/4/7 Jo <jo@example.com>" above quoted lines, no colon.
        let dated_address = BRACKETED_ADDRESS.is_match(line) && YEAR.is_match(line);
        let one_line = QUOTE_START.is_match(line)
            || is_addressed_attribution(line)
            || (dated_address && quoted_after(index))
            || UNDATED_ATTRIBUTION.is_match(line)
            || (UNDERSCORE_LINE.is_match(line) && history_below(&lines[index + 1..]))
            || (looks_like_unknown_attribution(line) && quoted_after(index));
        if one_line && quoted_after(index) {
            continue;
        }
        if let Some(span) = wrapped.filter(|&span| quoted_after(index + span - 1)) {
            skip = span - 1;
            continue;
        }
        let opens_header = OUTLOOK_FROM.is_match(line) && names_a_sender(line);
        let starts_outlook = opens_header
            && lines[index + 1..]
                .iter()
                .take(4)
                .filter(|next| OUTLOOK_FIELD.is_match(next))
                .count()
                >= 2;
        // A block that lost its "From:" ("Date: Wed, 16 May 2012 00:15:02 / To: jo@…").
        let fields_block = OUTLOOK_FIELD.is_match(line)
            && lines.get(index + 1).is_some_and(|next| {
                OUTLOOK_FIELD.is_match(next)
                    && (line.contains('@') || next.contains('@'))
                    && (CLOCK_TIME.is_match(line) || CLOCK_TIME.is_match(next))
            });
        let inline_header = (opens_header || OUTLOOK_FIELD.is_match(line))
            && line.contains('@')
            && INLINE_FIELD.find_iter(line).count() >= MIN_INLINE_FIELDS;
        // Only below the customer's own words, after a blank line: a mail may open with the sender.
        let lone_from = ADDRESS_ONLY_FROM.is_match(line)
            && kept.iter().any(|above| !above.trim().is_empty())
            && index
                .checked_sub(1)
                .is_some_and(|above| lines[above].trim().is_empty());
        if one_line || wrapped.is_some() || starts_outlook || fields_block || inline_header || lone_from {
            // The block may open with fields of its own above "From:" ("Message du : …").
            while starts_outlook && kept.last().is_some_and(|above| HEADER_LINE.is_match(above)) {
                kept.pop();
            }
            break;
        }
        kept.push(line);
    }
    tidy(&kept)
}

/// Whether the value of the header field `line` can be a sender: an address, or a name of at
/// most [`MAX_SENDER_WORDS`] words that does not read as a sentence (more than
/// [`MAX_SENTENCE_FREE_WORDS`] words ending in `.`, `!` or `?`). "From: the beginning, I thought
/// this was a good idea." is the customer's sentence, even above a real header block; "From:
/// ACME Customer Support Team (Germany)" and "From: ACME Inc." are senders.
fn names_a_sender(line: &str) -> bool {
    let value = line
        .split_once([':', '：'])
        .map_or(line, |(_, value)| value)
        .trim();
    let words = value.split_whitespace().count();
    let sentence = words > MAX_SENTENCE_FREE_WORDS && value.ends_with(['.', '!', '?']);
    value.contains('@') || (words <= MAX_SENDER_WORDS && !sentence)
}

/// Whether `line`, just above quoted lines, reads as an attribution that no language rule knows:
/// it ends in a colon, and it has a digit or an address, or is a name and a verb at most.
fn looks_like_unknown_attribution(line: &str) -> bool {
    let line = line.trim_end();
    line.ends_with(':')
        && (line.contains('@')
            || line.chars().any(|c| c.is_ascii_digit())
            || line.split_whitespace().count() <= MAX_BARE_ATTRIBUTION_WORDS)
}

/// Whether line `index` of `lines` is the end of a quoted line that the mailer wrapped, between
/// two quoted lines: the rest of a link (it starts with neither a letter nor a digit), or a
/// lowercase start below a long quoted line.
fn wrapped_quote_line(lines: &[&str], index: usize) -> bool {
    let quoted = |line: Option<&&str>| line.is_some_and(|line| line.trim_start().starts_with('>'));
    let above = index.checked_sub(1).and_then(|above| lines.get(above));
    let Some(first) = lines[index].chars().next() else {
        return false;
    };
    let continues = !first.is_alphanumeric()
        || (first.is_lowercase() && above.is_some_and(|above| above.chars().count() >= WRAPPED_QUOTE_CHARS));
    quoted(above) && quoted(lines.get(index + 1)) && continues
}

/// Whether a header block or an attribution begins in the first non-blank lines of `below`.
fn history_below(below: &[&str]) -> bool {
    below
        .iter()
        .filter(|line| !line.trim().is_empty())
        .take(SEPARATED_HISTORY_LINES)
        .any(|line| {
            OUTLOOK_FROM.is_match(line)
                || OUTLOOK_FIELD.is_match(line)
                || QUOTE_START.is_match(line)
                || is_addressed_attribution(line)
                || UNDATED_ATTRIBUTION.is_match(line)
        })
}

/// Whether `line` is an attribution in any language ([`ADDRESSED_ATTRIBUTION`]) that also dates
/// the message with a year, as mailers do: "At 10:30 I got this from <billing@example.com>:",
/// a customer's own words before a pasted message, stays.
fn is_addressed_attribution(line: &str) -> bool {
    ADDRESSED_ATTRIBUTION.is_match(line) && YEAR.is_match(line)
}

/// Whether a line could begin a wrapped "On … wrote:" attribution.
fn is_attribution(line: &str) -> bool {
    let lower = line.trim_start().to_lowercase();
    ATTRIBUTION_OPENERS.iter().any(|opener| {
        lower
            .strip_prefix(opener)
            .is_some_and(|rest| rest.starts_with(' '))
    })
}

/// `text` without a trailing signature; `sender` (the From header's name and address, or empty)
/// lets a signature that opens with the sender's name go too.
pub fn strip_signature(text: &str, sender: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .position(|line| SIGNATURE_START.is_match(line))
        .unwrap_or(lines.len());
    let end = list_footer_at(&lines[..end]).unwrap_or(end);
    let end = super::question::sign_off_at(&lines[..end], sender).unwrap_or(end);
    tidy(&lines[..end])
}

/// Lines a mailing list's footer spans at most below its line of underscores.
const MAX_LIST_FOOTER_LINES: usize = 5;

/// A line of a mailing list's footer: Mailman's "riak-users mailing list" and `listinfo` link,
/// or an unsubscribe notice.
static LIST_FOOTER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(r"(?i)\bmailing\s+list\b|/listinfo\b|\bmailman\b|\bunsubscribe\b")
});

/// Where a mailing list's footer starts: a line of underscores with at most
/// [`MAX_LIST_FOOTER_LINES`] lines under it, one of which names the list or how to leave it.
/// Any other line of underscores is the writer's divider, and stays.
fn list_footer_at(lines: &[&str]) -> Option<usize> {
    (0..lines.len()).find(|&at| {
        let line = lines[at].trim();
        if line.len() < 2 || !line.chars().all(|c| c == '_') {
            return false;
        }
        let mut under = lines[at + 1..].iter().filter(|line| !line.trim().is_empty());
        let footer: Vec<&&str> = under.by_ref().take(MAX_LIST_FOOTER_LINES).collect();
        under.next().is_none() && footer.iter().any(|line| LIST_FOOTER_LINE.is_match(line))
    })
}

/// Lines joined, trailing spaces, surrounding blank lines and the separator lines (`-----`,
/// `____`, `====`) left above cut history removed.
fn tidy(lines: &[&str]) -> String {
    let separator = |line: &&str| {
        let line = line.trim();
        line.is_empty()
            || line
                .chars()
                .all(|c| matches!(c, '-' | '_' | '=' | '*' | '~' | '—' | '–'))
    };
    let end = lines
        .iter()
        .rposition(|line| !separator(line))
        .map_or(0, |last| last + 1);
    lines[..end]
        .iter()
        .map(|line| line.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `history`, below a customer's question, is cut.
    fn assert_history_cut(history: &str) {
        let mail = format!("My card was charged twice.\n\n{history}");
        assert_eq!(strip_quotes(&mail), "My card was charged twice.", "{history}");
    }

    #[test]
    fn quotes_are_cut_in_five_languages() {
        for header in [
            "On Mon, Jan 1, 2024 at 10:00 AM Jane Doe <jane@example.com> wrote:",
            "Op 12 mrt. 2024 om 09:12 schreef Jan Jansen <jan@example.nl>:",
            "Am 13.12.2017 21:11 schrieb \"John Doe\" <john@example.com>:",
            "Le 29 avr. 2025 à 11:11, Chris <chris@example.fr> a écrit :",
            "El lun, 1 ene 2024 a las 10:00, Ana <ana@example.es> escribió:",
            "-----Original Message-----",
            "Op 12 mrt. 2024 om 09:12 heeft Jan Jansen <jan@example.nl> het volgende geschreven:",
            "Am Mo., 1. Jan. 2024 um 10:00 Uhr schrieb Jane Doe <jane@example.com>:",
            "Le lun. 1 janv. 2024 à 10:00, Jane Doe <jane@example.com> a écrit :",
            "---- On Mon, 01 Jan 2024 10:00:00 +0000 Jane <jane@example.com> wrote ----",
            "-----Oorspronkelijk bericht-----",
            "-----Ursprüngliche Nachricht-----",
            "-----Message d'origine-----",
            "-----Mensaje original-----",
            "---- John Smith wrote ----",
            "-----Reply Message-----",
            "-----Antwort Nachricht-----",
            "2011/4/7 Jane Doe <jane@example.com>",
        ] {
            assert_history_cut(&format!("{header}\n> Hello\n> old text\n"));
        }
    }

    #[test]
    fn attributions_with_a_time_and_an_address_are_cut_in_any_language() {
        for header in [
            "ср, 30 апр. 2025 г. в 15:19, Ivan <ivan@example.ru>:",
            "W dniu 1.02.2024 o 10:15, Jan Kowalski <jan@example.pl> pisze:",
            "2024年1月1日(月) 10:00 山田太郎 <taro@example.jp>:",
            "在 2024年1月1日 10:00，张伟 <wei@example.cn> 写道：",
            "2024년 1월 1일 (월) 오전 10:00, 홍길동 <hong@example.kr>님이 작성:",
            "In data 11 ottobre 2017 21:11:31 \"Anna\" <anna@example.it> ha scritto:",
            "30.09.2017, 18.30, \"Jo - Shop\" <jo@example.com>:",
            "On Wed, 14 Nov 2018 08:14:43 -0200 Jane Doe <jane@example.com> wrote",
            "W dniu 2015-01-07 14:23, jan@example.pl pisze: ",
            "在 2016年11月8日，下午2:23，张伟 <wei@example.cn> 写道：",
            "Test user <test@example.com> schrieb:",
        ] {
            assert_history_cut(&format!("{header}\n\nOld text without quote marks.\n"));
        }
        assert_history_cut(
            "pe 20. lokakuuta 2017 klo 17.50 Jaana\n<jaana@example.fi> kirjoitti:\n\nOld text\n",
        );
    }

    #[test]
    fn attributions_wrapped_over_three_lines_and_header_blocks_on_one_line_are_cut() {
        let wrapped = "Where is my refund?\n\nIl giorno lun 4 lug 2022 alle ore 08:12 Anna <anna@example.co\nm>\nha scritto:\n\n> old\n";
        assert_eq!(strip_quotes(wrapped), "Where is my refund?");
        let inline = "Where is my refund?\n\nDate: Tue, 2 Oct 2012 02:35:10 +0000 From: shop@example.com To: Jo Subject: Your order\n\nOld text\n";
        assert_eq!(strip_quotes(inline), "Where is my refund?");
        let sentence = "Please write to: billing@example.com, cc: me, subject: refund.\nThanks";
        assert_eq!(strip_quotes(sentence), sentence);
        // Glued to the reply's last line, its fields run together.
        let glued = "Where is my refund?From: Jo <jo@example.com>Sent: Saturday, August 16, 2025 9:19 PMTo: Help <help@example.com>Subject: Re: Refund\u{a0}\nOld answer";
        assert_eq!(strip_quotes(glued), "Where is my refund?");
        let sentence = "I sent it From: my phone To: your team Subject: refund";
        assert_eq!(strip_quotes(sentence), sentence);
    }

    #[test]
    fn an_attribution_appended_to_the_replys_last_line_leaves_the_reply() {
        let mail = "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:\n> Hi";
        assert_eq!(strip_quotes(mail), "reply");
        let dashed = "reply\nbla-bla - bla--- On Wed, Apr 4, 2012 at 3:59 PM, me@example.com wrote:\n> Hi";
        assert_eq!(strip_quotes(dashed), "reply\nbla-bla - bla");
    }

    #[test]
    fn a_sentence_ending_in_a_colon_above_a_quote_is_the_customers_lead_in() {
        let mail = "I wanted to respond to your points:\n\n> Quoted.\n\nMy answer.";
        let words = strip_quotes(mail)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(words, "I wanted to respond to your points: My answer.");
        let attribution = "My answer.\n\nJan Kowalski napisał:\n> Quoted.";
        assert_eq!(strip_quotes(attribution), "My answer.");
    }

    #[test]
    fn a_from_line_holding_only_an_address_below_the_reply_starts_the_history() {
        let mail =
            "8.45am-1pm\n\nFrom: somebody@example.com\n\n<http://example.com/c/dHJh\n>  <bob@example.com>\n";
        assert_eq!(strip_quotes(mail), "8.45am-1pm");
        let opening = "From: jo@example.com\n\nHow do I reset my password?";
        assert_eq!(strip_quotes(opening), opening);
        let sentence = "Thanks.\n\nFrom: jo@example.com I got no invoice, why?";
        assert_eq!(strip_quotes(sentence), sentence);
    }

    #[test]
    fn a_header_block_without_its_from_line_is_cut() {
        assert_history_cut("Date: Wed, 16 May 2012 00:15:02 -0600\nTo: jo@example.com\n\nOld text\n");
    }

    #[test]
    fn a_line_of_underscores_inside_the_new_text_is_kept() {
        let mail = "First part.\n\n______________________________\n\nSecond part.";
        assert_eq!(strip_quotes(mail), mail);
    }

    #[test]
    fn the_ends_of_quoted_lines_that_the_mailer_wrapped_go_with_the_quote() {
        let mail = "My answer.\n\nOn Mon, Jan 1, 2024 at 10:00 AM Jane <jane@example.com> wrote:\n> Lorem ipsum dolor sit amet, consectetur adipiscing elit. Nullam pharetra d\nignissim odio?\n> More quoted text.\n";
        assert_eq!(strip_quotes(mail), "My answer.");
        let link = "My answer.\n\nOn Monday, 24 September, 2012 at 3:46 PM, bob wrote:\n\n> View ticket (http://example.com/action\n_nonce=3dd518)\n>\n";
        assert_eq!(strip_quotes(link), "My answer.");
        let interleaved = "> Could you send the invoice again? It did not arrive in my mailbox at all.\nYes, here it is.\n> Thanks";
        assert_eq!(strip_quotes(interleaved), "Yes, here it is.");
    }

    #[test]
    fn a_customers_line_with_a_time_and_an_address_is_kept() {
        let mail = "At 10:30 I got this from <billing@example.com>:\n\nYour invoice 123 is overdue.\n\nWhat does it mean?";
        assert_eq!(strip_quotes(mail), mail);
    }

    #[test]
    fn the_line_above_an_attribution_is_kept() {
        let mail =
            "Line one.\nLine two.\nOn Dec 15, 2024, at 3:00 PM, Jane <jane@example.com> wrote:\n> old\n";
        assert_eq!(strip_quotes(mail), "Line one.\nLine two.");
    }

    #[test]
    fn separators_and_header_blocks_are_cut_in_more_languages() {
        for history in [
            "-------- Oprindelig besked --------\nFra: A <a@example.dk>\nTil: b@example.dk",
            "-----Oryginalna wiadomość-----\nOd: A <a@example.pl>",
            "---------- 転送メッセージ ---------\n差出人: A <a@example.jp>",
            "Da: Anna <anna@example.it>\nInviato: lunedì 1 gennaio 2024 10:00\nA: help@example.com\nOggetto: fattura",
            "Od: Jan <jan@example.pl>\nWysłano: poniedziałek\nDo: help@example.com\nTemat: faktura",
            "Da: Dan <dan@example.it>\nData: Monday, November 26, 2012 10:48 AM\nA: Watson, Dan\nOgg: Re: fattura",
            "보낸 사람: 김철수 <cs@example.kr>\n보낸 날짜: 2024년 5월 3일 10:15\n받는 사람: help@example.com\n제목: 청구서",
            "寄件者: 陳大文 <chan@example.tw>\n寄件日期: 2024年5月3日 10:15\n收件者: help@example.com\n主旨: 發票",
            "________________________________\nFrom: Shop <shop@example.com>\nSent: Monday\nTo: Me",
            "====\n\nMessage du : 12/12/2016 13:20\nDe : \"Shop\" <shop@example.fr>\nA : moi@example.fr\nSujet : facture",
            "##- Please type your reply above this line -##\n\nYour request 1234 was updated.",
            "-- Reply above this line --",
            "**From:** Shop <shop@example.com>**On Behalf Of** Shop\n**Sent:** 28 July 2025 15:46\n**To:** Me <me@example.com>\n**Subject:** Your order",
            "Anfang der weitergeleiteten Nachricht:\n\nVon: Anna <anna@example.de>\nBetreff: Rechnung",
            "Début du message réexpédié :\n\nDe: Anne <anne@example.fr>\nObjet: facture",
            "Begin doorgestuurd bericht:\n\nVan: Jan <jan@example.nl>\nOnderwerp: factuur",
            // Thunderbird's separators name the subject first; ProtonMail draws U+2010 hyphens.
            "-------- Originalnachricht --------\nBetreff: Rechnung\nVon: Anna <anna@example.de>",
            "-------- Message original --------\nSujet : facture\nDe : Anne <anne@example.fr>",
            "-------- Eredeti üzenet --------\nTárgy: számla\nFeladó: Anna <anna@example.hu>",
            "\u{2010}\u{2010}\u{2010}\u{2010}\u{2010}\u{2010}\u{2010} Original Message \u{2010}\u{2010}\u{2010}\u{2010}\u{2010}\u{2010}\u{2010}\nOn Monday, January 1, 2024 10:00 AM, Jane <jane@example.com> wrote:",
            "Feladó: Anna <anna@example.hu>\nElküldve: 2024. január 1. 10:00\nCímzett: help@example.com\nTárgy: számla",
            "Kimden: Ali <ali@example.com.tr>\nGönderildi: 1 Ocak 2024 Pazartesi 10:00\nKime: help@example.com\nKonu: fatura",
            "De la: Ana <ana@example.ro>\nTrimis: luni, 1 ianuarie 2024 10:00\nCătre: help@example.com\nSubiect: factură",
            "Από: Άννα <anna@example.gr>\nΣτάλθηκε: Δευτέρα, 1 Ιανουαρίου 2024 10:00 π.μ.\nΠρος: help@example.com\nΘέμα: τιμολόγιο",
            // Korean and Chinese separators, Gmail's CJK forwards, fullwidth colons.
            "-----원래 메시지-----\n보낸 사람: kim@example.com\n보낸 날짜: 2024년 1월 14일",
            "-----원본 메시지-----\n보낸 사람: kim@example.com",
            "---------- 転送されたメッセージ ----------\n差出人: A <a@example.jp>",
            "---------- 전달된 메시지 ----------\n보낸사람: A <a@example.kr>",
            "发件人： someone@example.com\n发送时间： 2024年1月14日 15:00\n收件人： me@example.com\n主题： 测试",
        ] {
            assert_history_cut(&format!("{history}\n\nOld text\n"));
        }
    }

    #[test]
    fn lotus_notes_attributions_are_cut() {
        for history in [
            "John Smith/ACME wrote on 03/12/2020 10:15:22 AM:\n\nOld text",
            "Hans Müller/ACME/DE schrieb am 03.12.2020 10:15:22:\n\nAlter Text",
        ] {
            assert_history_cut(history);
        }
    }

    #[test]
    fn a_sentence_opening_with_from_is_not_a_header_block() {
        let long_name = "Where is my refund?\n\nFrom: ACME Customer Support Team (Germany) - No Reply\nSent: Monday\nTo: Me\nSubject: Refund\n\nOld text";
        assert_eq!(strip_quotes(long_name), "Where is my refund?");
        let mail = "Here is my reply.\n\nFrom: the beginning, I thought this was a good idea. I sent you an email yesterday.\n\nFrom: sender@example.com\nSent: Monday, January 1, 2024 1:00 PM\nTo: recipient@example.com\nSubject: Previous message\n\nOld text";
        assert_eq!(
            strip_quotes(mail),
            "Here is my reply.\n\nFrom: the beginning, I thought this was a good idea. I sent you an email yesterday."
        );
        let lowercase = "Reply.\n\nfrom: the beginning, I thought this was a good idea.\nsent: you an email yesterday.\nto: summarize, we proceed.\n\nFrom: a@example.com\nSent: Monday\nTo: b@example.com\n\nOld";
        assert_eq!(
            strip_quotes(lowercase),
            "Reply.\n\nfrom: the beginning, I thought this was a good idea.\nsent: you an email yesterday.\nto: summarize, we proceed."
        );
    }

    #[test]
    fn wrapped_attributions_and_outlook_blocks_are_cut() {
        let wrapped =
            "Thanks!\n\nOn Mon, Jan 1, 2024 at 10:00 AM, Jane Doe <jane@example.com>\nwrote:\n> old\n";
        assert_eq!(strip_quotes(wrapped), "Thanks!");
        let outlook = "New question here.\n\nFrom: Support <help@example.com>\nSent: Monday\nTo: Me\nSubject: Re: x\n\nOld answer";
        assert_eq!(strip_quotes(outlook), "New question here.");
    }

    #[test]
    fn signatures_are_cut() {
        assert_eq!(
            strip_signature("Where is my refund?\n-- \nJane\nACME Inc.", ""),
            "Where is my refund?"
        );
        assert_eq!(
            strip_signature("Where is my refund?\n\nSent from my iPhone", ""),
            "Where is my refund?"
        );
        assert_eq!(
            strip_signature("Wo bleibt die Erstattung?\n\nVon meinem iPhone gesendet", ""),
            "Wo bleibt die Erstattung?"
        );
        for signature in [
            "Sent from Yahoo Mail for iPhone",
            "Sent from Outlook",
            "Get Outlook for Android",
            "Verstuurd vanaf mijn iPhone",
            "Verzonden vanuit Outlook",
            "Von meinem Samsung Galaxy Smartphone gesendet.",
            "Gesendet mit der Telekom Mail App",
            "Envoyé à partir de Outlook pour Android",
            "Télécharger Outlook pour Android",
            "Enviado desde Outlook",
            "Obtener Outlook para iOS",
            "Sent from TypeApp<https://www.typeapp.com/r?b=1>",
            "Sent with ProtonMail Secure Email.",
            "Sent via the Samsung Galaxy S8, an AT&T 4G LTE smartphone",
            "Sent from my Android device with K-9 Mail. Please excuse my brevity.",
            "Gesendet mit der WEB.DE Mail App",
            "Inviato dal mio iPhone",
            "Отправлено из мобильной Почты Mail.ru",
            "Trimis de pe iPhone-ul meu",
            "Στάλθηκε από το iPhone μου",
            "Download Outlook for Android<https://aka.ms/x>",
            "Inviato da iPhone",
            "Enviado do meu iPhone",
            "Wysłane z iPhone'a",
            "Skickat från min iPhone",
            "Отправлено с iPhone",
            "iPhoneから送信",
            "发自我的iPhone",
            "從我的 iPhone 傳送",
            "내 iPhone에서 보냄",
            "Regards,\nJane Doe\nACME Inc.",
            "Med venlig hilsen / Kind regards\n\nJane Doe\nCEO",
            "Cordiali saluti,\nAnna",
            "Abraços,\nJoão",
            "Saygılarımla,\nAli Veli",
            "Hälsningar\nAnna",
            "Üdvözlettel:\nAnna",
            "よろしくお願いいたします。\n山田太郎",
            "谢谢！\n张三",
            "감사합니다.\n김철수",
            "-Jane Doe",
            "Sent wirelessly from my BlackBerry device on the Bell network.",
            "Enviado desde mi oficina móvil BlackBerry® de Telcel",
            "---------\nSent via Bell Mobility's Text Messaging service.\nEnvoyé par le service de messagerie texte de Bell Mobilité.",
            "__\nriak-users mailing list\nriak-users@lists.basho.com\nhttp://lists.basho.com/mailman/listinfo/riak-users_lists.basho.com",
            "_______________________________________________\nUnsubscribe: https://lists.example.com/unsubscribe",
            "---\nRoman",
            "-----------------------------------\nA bunch of stuff below the line.",
            "---\n\n-Jane Doe",
        ] {
            let mail = format!("Where is my refund?\n\n{signature}\nJane");
            assert_eq!(strip_signature(&mail, ""), "Where is my refund?", "{signature}");
        }
    }

    #[test]
    fn sentences_that_only_begin_like_signatures_are_kept() {
        for text in [
            "Here is another email\n\nSent from my desk, is much easier than my phone.",
            "Thanks, solved!",
            "The notification was sent from my iPhone app to all users.",
            "I paid twice.\nSent via bank transfer on Monday.",
            "Sent with the parcel was an invoice for someone else, can you fix it?",
            "Hi,\n\nMy name is Jim Smith and I have a question.\n\nWhat do you do?",
            "Where is my refund?\n\nJim smith is my name\nJim",
            "Which plans include these?\n- Invoicing\n- Payroll",
            "Which plans include these?\n\n- Invoicing\n\n- Payroll",
            "Please enter your feedback below.\n\n-----\nEnter Feedback Below\n-----\n\nThe app is great.\nI am paying today.",
        ] {
            assert_eq!(strip_signature(text, "Jim Smith jim@example.com"), text);
        }
    }

    #[test]
    fn a_signature_that_opens_with_the_senders_name_is_cut() {
        let sender = "Jim Smith jim@example.com";
        let mail = "Where is my refund?\n\nJim P. Smith\nXYZ Corp, Sales";
        assert_eq!(strip_signature(mail, sender), "Where is my refund?");
        assert_eq!(strip_signature(mail, "jim@example.com"), mail, "no name, no cut");
        // A name and a role with a bar between is a signature whoever sends it.
        for signature in [
            "Jim Smith | Enrollment Manager\nXYZ Corp",
            "Jim P. Smith | Enrollment Manager\nXYZ Corp",
        ] {
            let mail = format!("Where is my refund?\n\n{signature}");
            for sender in [sender, "jim@example.com", ""] {
                assert_eq!(
                    strip_signature(&mail, sender),
                    "Where is my refund?",
                    "{signature}"
                );
            }
        }
        // Not under the text's own line, nor a sentence with a bar.
        for text in [
            "Where is my refund?\nJim Smith | Enrollment Manager",
            "Where is my refund?\n\nOrder Number | 12345",
        ] {
            assert_eq!(strip_signature(text, ""), text);
        }
    }

    #[test]
    fn a_bottom_posted_answer_is_kept() {
        let mail = "On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi\nHello";
        assert_eq!(strip_quotes(mail), "Hello");
    }

    #[test]
    fn a_question_mentioning_from_is_kept() {
        let text = "From: my phone I cannot log in.\nPlease help.";
        assert_eq!(strip_quotes(text), text);
    }
}
