//! Irregular English verb forms, mapped to the base form before stemming: Snowball stems
//! `paying`, `pays` and `pay` alike but leaves `paid`, `forgot` and `came` as they are, and these
//! are the words customers write ("I paid twice", "I forgot my password", "where did it come
//! from" / "where it came from"). No crate offers an English lemma table this small; this one
//! is written by hand, and leaves out forms that are mostly other words (`left`, `saw`, `shot`,
//! `stuck`, `born`, `lay`, `ground`, `wound`, `rose`, `bound`).

/// (irregular form, base form), sorted by form for binary search.
const ENGLISH: &[(&str, &str)] = &[
    ("ate", "eat"),
    ("became", "become"),
    ("began", "begin"),
    ("begun", "begin"),
    ("bent", "bend"),
    ("bitten", "bite"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("bought", "buy"),
    ("broke", "break"),
    ("broken", "break"),
    ("brought", "bring"),
    ("built", "build"),
    ("came", "come"),
    ("caught", "catch"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("dealt", "deal"),
    ("drank", "drink"),
    ("drawn", "draw"),
    ("drew", "draw"),
    ("driven", "drive"),
    ("drove", "drive"),
    ("drunk", "drink"),
    ("eaten", "eat"),
    ("fallen", "fall"),
    ("fed", "feed"),
    ("fell", "fall"),
    ("felt", "feel"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("forbade", "forbid"),
    ("forbidden", "forbid"),
    ("forgave", "forgive"),
    ("forgiven", "forgive"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
    ("fought", "fight"),
    ("found", "find"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("gave", "give"),
    ("given", "give"),
    ("gone", "go"),
    ("got", "get"),
    ("gotten", "get"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("heard", "hear"),
    ("held", "hold"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("kept", "keep"),
    ("knew", "know"),
    ("known", "know"),
    ("led", "lead"),
    ("lent", "lend"),
    ("lost", "lose"),
    ("made", "make"),
    ("meant", "mean"),
    ("met", "meet"),
    ("misled", "mislead"),
    ("mistaken", "mistake"),
    ("mistook", "mistake"),
    ("overpaid", "overpay"),
    ("paid", "pay"),
    ("prepaid", "prepay"),
    ("ran", "run"),
    ("rang", "ring"),
    ("rebuilt", "rebuild"),
    ("ridden", "ride"),
    ("rode", "ride"),
    ("said", "say"),
    ("sang", "sing"),
    ("sat", "sit"),
    ("seen", "see"),
    ("sent", "send"),
    ("shaken", "shake"),
    ("shook", "shake"),
    ("shown", "show"),
    ("slept", "sleep"),
    ("sold", "sell"),
    ("sought", "seek"),
    ("spent", "spend"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("stood", "stand"),
    ("sung", "sing"),
    ("swam", "swim"),
    ("taken", "take"),
    ("taught", "teach"),
    ("thought", "think"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("told", "tell"),
    ("took", "take"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("understood", "understand"),
    ("undid", "undo"),
    ("undone", "undo"),
    ("went", "go"),
    ("withdrawn", "withdraw"),
    ("withdrew", "withdraw"),
    ("woke", "wake"),
    ("woken", "wake"),
    ("won", "win"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("written", "write"),
    ("wrote", "write"),
];

/// The base form of an irregular verb form of the language `code` (lowercased), if the table
/// knows it.
pub(super) fn base_form(code: &str, lower: &str) -> Option<&'static str> {
    let table = match code {
        "en" => ENGLISH,
        _ => return None,
    };
    table
        .binary_search_by(|(form, _)| (*form).cmp(lower))
        .ok()
        .map(|found| table[found].1)
}

#[cfg(test)]
mod tests {
    use super::{base_form, ENGLISH};

    #[test]
    fn the_table_is_sorted_and_maps_each_form_once() {
        assert!(ENGLISH.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn irregular_forms_map_to_their_base_form_in_english_only() {
        assert_eq!(base_form("en", "paid"), Some("pay"));
        assert_eq!(base_form("en", "forgot"), Some("forget"));
        assert_eq!(base_form("en", "came"), Some("come"));
        assert_eq!(base_form("en", "password"), None);
        assert_eq!(base_form("en", "left"), None);
        assert_eq!(base_form("de", "paid"), None);
    }
}
