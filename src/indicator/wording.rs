//! How the indicators' messages are written: numbers with the decimals they are published
//! with, as arguments of a message; and the explanations' lines, from the catalogue's messages
//! rendered once per language with their text arguments left as gaps, then filled by copying
//! text: the pages explain every territory's latest values (seventy thousand of them
//! nationally), and rendering each line as a message would take longer than computing it.

use std::collections::BTreeMap;
use std::sync::{OnceLock, RwLock};

use rustc_hash::FxHashMap;

use crate::message::{Argument, Language, Message};
use crate::{msg, text};

/// A number with `decimals` decimals for a message, written the language's way when it is
/// shown ("3,50" and "3.50"): a message's own numbers show only the decimals they have.
pub(crate) fn fixed(value: f64, decimals: u8) -> Argument {
    let rounded = text::round_to(value, decimals);
    let digits = format!("{:.*}", usize::from(decimals), rounded.abs());
    match digits.split_once('.') {
        None => Argument::Number(rounded),
        Some((whole, fraction)) => Argument::from(msg!(
            "decimal_number",
            sign = if rounded < 0.0 { "-" } else { "" },
            whole = whole.parse::<f64>().unwrap_or_default(),
            fraction = fraction
        )),
    }
}

/// A number with as many decimals as it needs: none for a whole number, else two.
pub(crate) fn as_needed(value: f64) -> Argument {
    fixed(value, if value.fract() == 0.0 { 0 } else { 2 })
}

/// The marks a gap is rendered between: private-use characters, which no message writes.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

enum Piece {
    Text(String),
    Gap(String),
}

/// A message's text in one language, with gaps where its text arguments go.
struct Template(Vec<Piece>);

/// A template's message, language and the value of the argument it selects its words on.
type Key = (Language, &'static str, &'static str);

/// Messages rendered whole in one language, for those many lines share (an indicator's
/// formula).
type Rendered = RwLock<BTreeMap<Message, String>>;

fn templates() -> &'static RwLock<FxHashMap<Key, Template>> {
    static TEMPLATES: OnceLock<RwLock<FxHashMap<Key, Template>>> = OnceLock::new();
    TEMPLATES.get_or_init(RwLock::default)
}

fn rendered(language: Language) -> &'static Rendered {
    static RENDERED: [OnceLock<Rendered>; 2] = [OnceLock::new(), OnceLock::new()];
    let index = match language {
        Language::Italian => 0,
        Language::English => 1,
    };
    RENDERED[index].get_or_init(RwLock::default)
}

/// The message `id` in `language`, with each gap (argument name, text) written in. `choice`
/// is the argument the message selects its words on (`("role", "numerator")`), or `("", "")`;
/// the gaps are plain placeholders of the message, never selectors nor numbers.
pub(crate) fn fill(
    language: Language,
    id: &'static str,
    choice: (&'static str, &'static str),
    gaps: &[(&str, &str)],
) -> String {
    let key = (language, id, choice.1);
    let filled = templates()
        .read()
        .ok()
        .and_then(|known| Some(known.get(&key)?.fill(gaps)));
    filled.unwrap_or_else(|| {
        let template = Template::of(language, id, choice, gaps);
        let filled = template.fill(gaps);
        if let Ok(mut known) = templates().write() {
            known.insert(key, template);
        }
        filled
    })
}

/// A message that many lines share, rendered once per language.
pub(crate) fn shared(language: Language, message: &Message) -> String {
    let found = rendered(language)
        .read()
        .ok()
        .and_then(|known| known.get(message).cloned());
    found.unwrap_or_else(|| {
        let text = message.render(language);
        if let Ok(mut known) = rendered(language).write() {
            known.insert(message.clone(), text.clone());
        }
        text
    })
}

impl Template {
    fn of(language: Language, id: &str, choice: (&str, &str), gaps: &[(&str, &str)]) -> Template {
        let mut args: Vec<(&str, Argument)> = gaps
            .iter()
            .map(|(name, _)| (*name, Argument::Text(format!("{OPEN}{name}{CLOSE}"))))
            .collect();
        if !choice.0.is_empty() {
            args.push((choice.0, Argument::from(choice.1)));
        }
        let text = Message::new(id, args).render(language);
        let mut parts = text.split(OPEN);
        let mut pieces = vec![Piece::Text(parts.next().unwrap_or_default().to_owned())];
        for part in parts {
            let (name, rest) = part.split_once(CLOSE).unwrap_or((part, ""));
            pieces.push(Piece::Gap(name.to_owned()));
            pieces.push(Piece::Text(rest.to_owned()));
        }
        Template(pieces)
    }

    fn fill(&self, gaps: &[(&str, &str)]) -> String {
        let value = |name: &str| {
            gaps.iter()
                .find(|(gap, _)| *gap == name)
                .map_or("", |(_, value)| value)
        };
        let length = self.0.iter().map(|piece| match piece {
            Piece::Text(part) => part.len(),
            Piece::Gap(name) => value(name).len(),
        });
        let mut text = String::with_capacity(length.sum());
        for piece in &self.0 {
            text.push_str(match piece {
                Piece::Text(part) => part,
                Piece::Gap(name) => value(name),
            });
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(argument: Argument, language: Language) -> String {
        msg!("formula_value", measure = argument).render(language)
    }

    #[test]
    fn a_fixed_number_keeps_its_decimals_in_each_language() {
        for (value, decimals, italian, english) in [
            (-1234.5, 2, "-1.234,50", "-1,234.50"),
            (62379.4, 0, "62.379", "62,379"),
            (0.004, 2, "0,00", "0.00"),
            (3.0, 2, "3,00", "3.00"),
        ] {
            let argument = fixed(value, decimals);
            assert_eq!(
                shown(argument.clone(), Language::Italian),
                format!("`{italian}`, come lo dà la fonte")
            );
            assert_eq!(
                shown(argument, Language::English),
                format!("`{english}`, as the source gives it")
            );
        }
        assert_eq!(
            shown(as_needed(2355.0), Language::Italian),
            "`2.355`, come lo dà la fonte"
        );
    }

    #[test]
    fn a_filled_template_is_the_message_rendered() {
        for language in Language::ALL {
            for role in ["numerator", "denominator", "measure"] {
                let gaps = [
                    ("measure", "population_total"),
                    ("territory", "035"),
                    ("period", "2021"),
                    ("how", "62.379, somma di 8 comuni"),
                    ("source", ""),
                ];
                let message = msg!(
                    "explanation_term",
                    role = role,
                    measure = "population_total",
                    territory = "035",
                    period = "2021",
                    how = "62.379, somma di 8 comuni",
                    source = ""
                );
                let choice = match role {
                    "numerator" => ("role", "numerator"),
                    "denominator" => ("role", "denominator"),
                    _ => ("role", "measure"),
                };
                assert_eq!(
                    fill(language, "explanation_term", choice, &gaps),
                    message.render(language)
                );
            }
        }
    }
}
