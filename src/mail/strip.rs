//! What is not the customer's question: quoted replies and forwarded history ("On … wrote:" and
//! its nl/de/fr/es forms, "-----Original Message-----", Outlook header blocks, `>` lines), and
//! signatures (`-- `, "Sent from my iPhone" and the like).

use std::sync::LazyLock;

use regex::Regex;

/// The words an "On … wrote:" attribution opens with, in the languages whose forms are cut.
const ATTRIBUTION_OPENERS: [&str; 9] = ["on", "op", "am", "le", "el", "il", "em", "den", "på"];

/// Lines that start quoted or forwarded history: everything from them on is dropped.
static QUOTE_START: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(format!(
        r"(?xi)^\s*(?:
            (?:{openers})\s.{{0,200}}?(?:wrote|schreef|geschreven|schrieb|a\s+écrit|escribió|ha\s+scritto|escreveu|skrev)(?:\s.{{0,150}})?:\s*$
          | -{{2,}}\s*on\s.{{0,200}}?\swrote\s*-{{2,}}\s*$
          | -{{2,}}\s*(?:original\s+message|ursprüngliche\s+nachricht|message\s+d'origine|oorspronkelijk\s+bericht|mensaje\s+original|messaggio\s+originale|mensagem\s+original|forwarded\s+message|weitergeleitete\s+nachricht|message\s+transféré|doorgestuurd\s+bericht|mensaje\s+reenviado)\s*-{{2,}}
          | _{{10,}}\s*$
          | begin\s+forwarded\s+message\s*:
        )",
        openers = ATTRIBUTION_OPENERS.join("|")
    ))
});

/// The first line of an Outlook header block ("From: … / Sent: …").
static OUTLOOK_FROM: LazyLock<Regex> =
    LazyLock::new(|| super::constant_pattern(r"(?i)^\s*\*?(?:from|von|van|de|da)\s*:\*?\s"));

/// Lines of an Outlook header block after its first.
static OUTLOOK_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"(?i)^\s*\*?(?:sent|date|to|subject|gesendet|datum|an|betreff|verzonden|aan|onderwerp|envoyé|date|à|objet|enviado|fecha|para|asunto)\s*:\*?\s",
    )
});

/// Lines that start a signature: everything from them on is dropped.
static SIGNATURE_START: LazyLock<Regex> = LazyLock::new(|| {
    super::constant_pattern(
        r"(?xi)^(?:
            --\s?$
          | \s*(?:sent\s+from\s+(?:my|outlook|mail\s+for|yahoo\s+mail)|get\s+outlook\s+for
               |(?:verzonden|verstuurd)\s+(?:vanaf|met)\s+mijn|verzonden\s+vanuit|download\s+outlook\s+voor
               |von\s+meinem\s+.{1,60}?\s+gesendet|gesendet\s+(?:von|mit)\s+(?:meinem|outlook|der)\b|outlook\s+für\s+\S+\s+herunterladen
               |envoyé\s+(?:de|depuis|à\s+partir\s+de)\s|(?:obtenir|télécharger)\s+outlook\s+pour
               |enviado\s+desde\s|obtener\s+outlook\s+para)\b.*$
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
    let mut skip_next = false;
    for (index, line) in lines.iter().enumerate() {
        if std::mem::take(&mut skip_next) || line.trim_start().starts_with('>') {
            continue;
        }
        let next = lines.get(index + 1).copied().unwrap_or_default();
        // "On Mon, 1 Jan 2024, Jane <jane@example.com>\nwrote:" is often wrapped over two lines.
        let wrapped = !line.trim().is_empty()
            && !next.trim_start().starts_with('>')
            && next.trim_end().ends_with(':')
            && (is_attribution(line) || format!("{line}{next}").contains('@'));
        let joined = format!("{line} {next}");
        let one_line = QUOTE_START.is_match(line) || (line.trim_end().ends_with(':') && quoted_after(index));
        let two_lines = wrapped && (QUOTE_START.is_match(&joined) || quoted_after(index + 1));
        if one_line && quoted_after(index) {
            continue;
        }
        if two_lines && quoted_after(index + 1) {
            skip_next = true;
            continue;
        }
        let starts_outlook = OUTLOOK_FROM.is_match(line)
            && lines[index + 1..]
                .iter()
                .take(4)
                .filter(|next| OUTLOOK_FIELD.is_match(next))
                .count()
                >= 2;
        if one_line || two_lines || starts_outlook {
            break;
        }
        kept.push(line);
    }
    tidy(&kept)
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

/// `text` without a trailing signature.
pub fn strip_signature(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .position(|line| SIGNATURE_START.is_match(line))
        .unwrap_or(lines.len());
    tidy(&lines[..end])
}

/// Lines joined, trailing spaces and surrounding blank lines removed.
fn tidy(lines: &[&str]) -> String {
    lines
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
        ] {
            let mail = format!("My card was charged twice.\n\n{header}\n> Hello\n> old text\n");
            assert_eq!(strip_quotes(&mail), "My card was charged twice.", "{header}");
        }
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
            strip_signature("Where is my refund?\n-- \nJane\nACME Inc."),
            "Where is my refund?"
        );
        assert_eq!(
            strip_signature("Where is my refund?\n\nSent from my iPhone"),
            "Where is my refund?"
        );
        assert_eq!(
            strip_signature("Wo bleibt die Erstattung?\n\nVon meinem iPhone gesendet"),
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
        ] {
            let mail = format!("Where is my refund?\n\n{signature}\nJane");
            assert_eq!(strip_signature(&mail), "Where is my refund?", "{signature}");
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
