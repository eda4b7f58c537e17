//! The officer's messages: one Fluent catalogue per language (`locales/<lang>/*.ftl`, built
//! into the binary), the language a command speaks (Italian unless `--lang en` or the locale
//! asks for English), and `Message`, an id with its arguments, rendered when it is shown.
//!
//! A message is kept as id and arguments rather than as text, so that what a run finds is
//! said in the language of whoever reads it (a kept source result read by a later run, the
//! JSON log, the report), and its id is the stable English code scripts match on.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_memoizer::concurrent::IntlLangMemoizer;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

use crate::text::{format_en, format_it, round_to};

/// A language the messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Language {
    Italian,
    English,
}

impl Language {
    pub(crate) const ALL: [Language; 2] = [Language::Italian, Language::English];

    /// The language a locale name or a `--lang` value asks for: `it`, `it_IT.UTF-8`, `en`,
    /// `en_GB`, ...; `None` for any other (and for `C` and `POSIX`, which ask for none).
    pub(crate) fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "it" => Some(Language::Italian),
            "en" => Some(Language::English),
            _ => None,
        }
    }

    /// The language the environment asks for, as the C library reads it: the first of
    /// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not empty decides; Italian when it
    /// names another language or none.
    pub(crate) fn from_environment(variable: impl Fn(&str) -> Option<String>) -> Language {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| variable(name).filter(|value| !value.is_empty()))
            .next()
            .and_then(|value| Language::from_tag(&value))
            .unwrap_or(Language::Italian)
    }

    pub(crate) fn tag(self) -> &'static str {
        match self {
            Language::Italian => "it",
            Language::English => "en",
        }
    }

    fn index(self) -> u8 {
        match self {
            Language::Italian => 0,
            Language::English => 1,
        }
    }
}

/// The language of this process's messages, chosen once by the command line.
static CURRENT: AtomicU8 = AtomicU8::new(0);

pub(crate) fn set_language(language: Language) {
    CURRENT.store(language.index(), Ordering::Relaxed);
}

pub(crate) fn language() -> Language {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Language::English,
        _ => Language::Italian,
    }
}

/// The catalogue's files, one per area of the code, each as `(area, Italian, English)`.
macro_rules! catalogue {
    ($($area:literal),* $(,)?) => {
        [$((
            $area,
            include_str!(concat!("../locales/it/", $area, ".ftl")),
            include_str!(concat!("../locales/en/", $area, ".ftl")),
        )),*]
    };
}

pub(crate) const CATALOGUE: [(&str, &str, &str); 14] = catalogue!(
    "base",
    "fetch",
    "table",
    "spec",
    "plan",
    "sources",
    "observations",
    "indicators",
    "history",
    "publish",
    "run",
    "init",
    "cli",
    "help",
);

type Bundle = FluentBundle<FluentResource>;

fn bundle(language: Language) -> &'static Bundle {
    static BUNDLES: [OnceLock<Bundle>; 2] = [OnceLock::new(), OnceLock::new()];
    BUNDLES[usize::from(language.index())].get_or_init(|| build_bundle(language))
}

/// The bundle of one language. The catalogue is part of the binary and checked by the tests,
/// so a resource that does not parse keeps the entries that do rather than failing a run.
fn build_bundle(language: Language) -> Bundle {
    let identifier = language.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![identifier]);
    // Unicode isolation marks would reach terminals and log files as invisible characters.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match language {
        Language::Italian => italian_number,
        Language::English => english_number,
    }));
    for (_, italian, english) in CATALOGUE {
        let text = match language {
            Language::Italian => italian,
            Language::English => english,
        };
        let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(kept, _)| kept);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// A number as each language writes it ("62.379" and "3,78", "62,379" and "3.78"), with the
/// decimals it has up to six; Fluent's own writes neither.
fn number_in(value: &FluentValue, language: Language) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let value = number.value;
    let decimals = (0..6)
        .find(|&decimals| round_to(value, decimals) == value)
        .unwrap_or(6);
    Some(match language {
        Language::Italian => format_it(value, decimals),
        Language::English => format_en(value, decimals),
    })
}

fn italian_number(value: &FluentValue, _: &IntlLangMemoizer) -> Option<String> {
    number_in(value, Language::Italian)
}

fn english_number(value: &FluentValue, _: &IntlLangMemoizer) -> Option<String> {
    number_in(value, Language::English)
}

/// Whether the catalogue of `language` has a message `id`.
pub(crate) fn has_message(language: Language, id: &str) -> bool {
    bundle(language).has_message(id)
}

/// The first `shown` items of a list joined with ", ", and how many more there are: a message
/// names a long list's first items, not the ten thousand of a grown national run.
pub(crate) fn first_of(items: &[String], shown: usize) -> Argument {
    let listed = items
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    match items.len() > shown {
        true => Argument::from(crate::msg!(
            "listed_more",
            listed = listed,
            count = items.len() - shown
        )),
        false => Argument::from(listed),
    }
}

/// One argument of a message: text, a number (which plural forms select on), or another
/// message, shown in the same language.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub(crate) enum Argument {
    Number(f64),
    Text(String),
    Message(Box<Message>),
}

impl Eq for Argument {}

impl PartialOrd for Argument {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Argument {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Argument::Number(a), Argument::Number(b)) => a.total_cmp(b),
            (Argument::Text(a), Argument::Text(b)) => a.cmp(b),
            (Argument::Message(a), Argument::Message(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// A whole number is written as an integer (`3`, not `3.0`), for the scripts that read the
/// JSON log and the report.
impl Serialize for Argument {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Argument::Number(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => {
                serializer.serialize_i64(*number as i64)
            }
            Argument::Number(number) => serializer.serialize_f64(*number),
            Argument::Text(text) => serializer.serialize_str(text),
            Argument::Message(message) => message.serialize(serializer),
        }
    }
}

impl Argument {
    fn rank(&self) -> u8 {
        match self {
            Argument::Number(_) => 0,
            Argument::Text(_) => 1,
            Argument::Message(_) => 2,
        }
    }
}

impl fmt::Display for Argument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Argument::Number(number) => write!(f, "{number}"),
            Argument::Text(text) => f.write_str(text),
            Argument::Message(message) => write!(f, "{message}"),
        }
    }
}

impl From<Message> for Argument {
    fn from(message: Message) -> Self {
        Argument::Message(Box::new(message))
    }
}

impl From<&Message> for Argument {
    fn from(message: &Message) -> Self {
        Argument::Message(Box::new(message.clone()))
    }
}

macro_rules! text_arguments {
    ($($type:ty),*) => {$(
        impl From<$type> for Argument {
            fn from(value: $type) -> Self {
                Argument::Text(value.to_string())
            }
        }
    )*};
}
text_arguments!(
    &str,
    String,
    &String,
    &std::sync::Arc<str>,
    char,
    std::path::Display<'_>
);

macro_rules! number_arguments {
    ($($type:ty),*) => {$(
        impl From<$type> for Argument {
            fn from(value: $type) -> Self {
                Argument::Number(value as f64)
            }
        }
    )*};
}
number_arguments!(usize, u64, u32, u16, u8, i64, i32, f64);

/// A message of the catalogue with its arguments; shown in the current language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub(crate) struct Message {
    // Boxed rather than a `String`: a message sits in every problem and finding, and a
    // smaller one keeps `Result<_, ConfigProblem>` small.
    id: Box<str>,
    #[serde(default)]
    args: BTreeMap<String, Argument>,
}

impl Message {
    pub(crate) fn new(id: &str, args: Vec<(&str, Argument)>) -> Self {
        Message {
            id: id.into(),
            args: args
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    /// The message's id: a stable English code (`unknown_territory`) scripts can match on.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn args(&self) -> &BTreeMap<String, Argument> {
        &self.args
    }

    /// The message in `language`. A message missing from one catalogue (which the tests
    /// forbid) is taken from the other, and shown as its id with its arguments when both lack it.
    pub(crate) fn render(&self, language: Language) -> String {
        let args = self.fluent_args(language);
        let found = Language::ALL
            .iter()
            .copied()
            .filter(|&other| other == language)
            .chain(
                Language::ALL
                    .iter()
                    .copied()
                    .filter(|&other| other != language),
            )
            .find_map(|language| format_message(bundle(language), &self.id, &args));
        found.unwrap_or_else(|| {
            let mut text = self.id.to_string();
            for (name, value) in &self.args {
                text.push_str(&format!(" {name}={value}"));
            }
            text
        })
    }

    fn fluent_args(&self, language: Language) -> FluentArgs<'_> {
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            let value = match value {
                Argument::Number(number) => FluentValue::from(*number),
                Argument::Text(text) => FluentValue::from(text.as_str()),
                Argument::Message(message) => FluentValue::from(message.render(language)),
            };
            args.set(name.as_str(), value);
        }
        args
    }
}

fn format_message(bundle: &Bundle, id: &str, args: &FluentArgs<'_>) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, Some(args), &mut errors)
            .into_owned(),
    )
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(language()))
    }
}

/// Serialized with its Italian text beside the id and arguments: what is written (the
/// report, kept results) does not depend on the language of the run that wrote it, and a
/// person reading the file reads the message.
impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Message", 3)?;
        state.serialize_field("id", &self.id)?;
        state.serialize_field("args", &self.args)?;
        state.serialize_field("text", &self.render(Language::Italian))?;
        state.end()
    }
}

/// A message of the catalogue: `msg!("unknown_key", key = name, closest = suggestion)`.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::message::Message::new(
            $id,
            vec![$((stringify!($name), $crate::message::Argument::from($value))),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    #[test]
    fn a_long_list_names_its_first_items_and_how_many_more() {
        let items: Vec<String> = ["Albinea", "Baiso", "Bibbiano"].map(String::from).to_vec();
        let say = |argument: Argument| match argument {
            Argument::Message(message) => message.render(Language::Italian),
            other => other.to_string(),
        };
        assert_eq!(say(first_of(&items, 3)), "Albinea, Baiso, Bibbiano");
        assert_eq!(say(first_of(&items, 2)), "Albinea, Baiso, e altri 1");
        match first_of(&items, 1) {
            Argument::Message(message) => {
                assert_eq!(message.render(Language::English), "Albinea, and 2 more");
            }
            other => panic!("{other:?}"),
        }
    }

    /// Every message's id, with the variables it uses, in one language's files.
    fn messages(text: &str, file: &str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(text)
            .unwrap_or_else(|(_, errors)| panic!("{file}: {errors:?}"));
        let mut found = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut variables);
                }
                for attribute in &message.attributes {
                    pattern_variables(&attribute.value, &mut variables);
                }
                let id = message.id.name.to_owned();
                assert!(
                    found.insert(id.clone(), variables).is_none(),
                    "{file}: {id} twice"
                );
            }
        }
        found
    }

    fn pattern_variables(pattern: &ast::Pattern<&str>, variables: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, variables);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, variables: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, variables);
                for variant in variants {
                    pattern_variables(&variant.value, variables);
                }
            }
            ast::Expression::Inline(inline) => inline_variables(inline, variables),
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, variables: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                variables.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    inline_variables(argument, variables);
                }
                for named in &arguments.named {
                    inline_variables(&named.value, variables);
                }
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, variables)
            }
            _ => {}
        }
    }

    #[test]
    fn every_message_is_in_both_languages_with_the_same_placeholders() {
        let mut ids = BTreeSet::new();
        for (file, italian, english) in CATALOGUE {
            let italian = messages(italian, &format!("locales/it/{file}.ftl"));
            let english = messages(english, &format!("locales/en/{file}.ftl"));
            let italian_ids: BTreeSet<_> = italian.keys().collect();
            let english_ids: BTreeSet<_> = english.keys().collect();
            assert_eq!(
                italian_ids, english_ids,
                "{file}.ftl: the two languages have different messages"
            );
            for (id, variables) in &italian {
                assert_eq!(
                    Some(variables),
                    english.get(id),
                    "{file}.ftl: `{id}` has different placeholders in Italian and English"
                );
                assert!(ids.insert(id.clone()), "`{id}` is in more than one file");
            }
        }
    }

    #[test]
    fn the_catalogue_parses_without_errors() {
        for (file, italian, english) in CATALOGUE {
            for (language, text) in [("it", italian), ("en", english)] {
                if let Err((_, errors)) = FluentResource::try_new(text.to_owned()) {
                    panic!("locales/{language}/{file}.ftl: {errors:?}");
                }
            }
        }
    }

    #[test]
    fn the_locale_picks_the_language() {
        let environment = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        let cases: [(&[(&str, &str)], Language); 6] = [
            (&[], Language::Italian),
            (&[("LANG", "en_US.UTF-8")], Language::English),
            (&[("LANG", "C.UTF-8")], Language::Italian),
            (
                &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "it_IT.UTF-8")],
                Language::Italian,
            ),
            (
                &[("LC_ALL", "en_GB"), ("LC_MESSAGES", "it_IT")],
                Language::English,
            ),
            (&[("LC_ALL", ""), ("LANG", "en")], Language::English),
        ];
        for (pairs, expected) in cases {
            assert_eq!(
                Language::from_environment(environment(pairs)),
                expected,
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn a_message_renders_its_arguments_and_plurals_in_each_language() {
        let one = msg!("problems_in_pipeline", count = 1usize);
        let three = msg!("problems_in_pipeline", count = 3usize);
        assert_eq!(
            one.render(Language::Italian),
            "1 problema nel file della pipeline:"
        );
        assert_eq!(
            three.render(Language::Italian),
            "3 problemi nel file della pipeline:"
        );
        assert_eq!(one.render(Language::English), "1 problem in the pipeline:");
        assert_eq!(
            three.render(Language::English),
            "3 problems in the pipeline:"
        );
        let many = msg!("problems_in_pipeline", count = 62379usize);
        assert_eq!(
            many.render(Language::Italian),
            "62.379 problemi nel file della pipeline:"
        );
        assert_eq!(
            many.render(Language::English),
            "62,379 problems in the pipeline:"
        );
    }

    #[test]
    fn a_message_is_written_with_its_id_arguments_and_italian_text() {
        let message = msg!("problems_in_pipeline", count = 2usize);
        let json = serde_json::to_value(&message).unwrap();
        assert_eq!(json["id"], "problems_in_pipeline");
        assert_eq!(json["args"]["count"], 2);
        assert_eq!(json["text"], "2 problemi nel file della pipeline:");
        let read: Message = serde_json::from_value(json).unwrap();
        assert_eq!(read, message);
    }
}
