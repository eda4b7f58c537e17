//! Turning one TOML value into a spec type while collecting every problem at its line and
//! column: fields nobody reads are unknown keys (with the closest known name as a suggestion),
//! and entries written as `[section.NAME.KIND]` are checked to have exactly one kind.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};

use crate::error::ConfigProblem;
use crate::message::Message;
use crate::msg;
use crate::spec::indicator::{IndicatorCommonSpec, IndicatorKindSpec, IndicatorSpec};
use crate::spec::item::{Item, SourceFile};
use crate::spec::source::{SourceCommonSpec, SourceKindSpec, SourceSpec};
use crate::text::closest;

/// One entry of a section: its name, the span of its key and its value.
type NamedEntry<'v, 'i> = (String, Range<usize>, &'v Spanned<DeValue<'i>>);

pub(crate) struct ItemParser<'a> {
    pub(crate) file: &'a Arc<SourceFile>,
    pub(crate) problems: &'a mut Vec<ConfigProblem>,
}

impl ItemParser<'_> {
    /// A section that is one table, such as `[pipeline]`.
    pub(crate) fn single<T: DeserializeOwned>(
        &mut self,
        name: &str,
        span: Range<usize>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Item<T>> {
        let parsed = self.deserialize::<T>(name, value)?;
        Some(self.item(name, name, span, parsed))
    }

    /// The entries of a section of named tables, such as `[dataset.NAME]`, and the names of
    /// those that did not parse.
    pub(crate) fn named<T: DeserializeOwned>(
        &mut self,
        section: &str,
        entries: Vec<NamedEntry<'_, '_>>,
    ) -> (Vec<Item<T>>, Vec<String>) {
        let mut items = Vec::new();
        let mut broken = Vec::new();
        for (name, span, value) in entries {
            let key = format!("{section}.{name}");
            match self.deserialize::<T>(&key, value) {
                Some(parsed) => items.push(self.item(&name, &key, span, parsed)),
                None => broken.push(name),
            }
        }
        (items, broken)
    }

    pub(crate) fn item<T>(&self, name: &str, key: &str, span: Range<usize>, spec: T) -> Item<T> {
        Item {
            name: name.to_owned(),
            key: key.to_owned(),
            span,
            file: Arc::clone(self.file),
            spec,
        }
    }

    /// The `NAME = { ... }` entries of a section, with names checked to be snake_case.
    pub(crate) fn entries<'v, 'i>(
        &mut self,
        section: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Vec<NamedEntry<'v, 'i>> {
        let entries = self.entries_any_name(section, value);
        entries
            .into_iter()
            .filter(|(name, span, _)| {
                let ok = crate::text::is_snake_case(name);
                if !ok {
                    self.problems.push(self.file.problem(
                        span.clone(),
                        &format!("{section}.{name}"),
                        msg!("entry_name_not_snake_case"),
                    ));
                }
                ok
            })
            .collect()
    }

    pub(crate) fn entries_any_name<'v, 'i>(
        &mut self,
        section: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Vec<NamedEntry<'v, 'i>> {
        match value.get_ref() {
            DeValue::Table(table) => table
                .iter()
                .map(|(key, value)| (key.get_ref().to_string(), key.span(), value))
                .collect(),
            _ => {
                self.problems.push(self.file.problem(
                    value.span(),
                    section,
                    msg!("section_not_a_table", section = section),
                ));
                Vec::new()
            }
        }
    }

    /// Checks that an entry is a table with exactly one key, its kind, and returns that key.
    fn kind_entry<'v, 'i>(
        &mut self,
        key: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Option<(String, &'v Spanned<DeValue<'i>>)> {
        let section = key.split('.').next().unwrap_or(key);
        match value.get_ref() {
            DeValue::Table(table) if table.len() == 1 => table
                .iter()
                .next()
                .map(|(kind, inner)| (kind.get_ref().to_string(), inner)),
            DeValue::Table(table) if table.len() > 1 => {
                let kinds: Vec<String> =
                    table.keys().map(|k| format!("`{}`", k.get_ref())).collect();
                self.problems.push(self.file.problem(
                    value.span(),
                    key,
                    msg!("entry_several_kinds", key = key, kinds = kinds.join(", ")),
                ));
                None
            }
            _ => {
                self.problems.push(self.file.problem(
                    value.span(),
                    key,
                    msg!("entry_without_kind", key = key, section = section),
                ));
                None
            }
        }
    }

    pub(crate) fn indicator(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<IndicatorSpec> {
        let (common, kind) =
            self.common_and_kind::<IndicatorCommonSpec, IndicatorKindSpec>(key, value)?;
        Some(IndicatorSpec { common, kind })
    }

    pub(crate) fn source(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<SourceSpec> {
        let (common, kind) =
            self.common_and_kind::<SourceCommonSpec, SourceKindSpec>(key, value)?;
        Some(SourceSpec { common, kind })
    }

    /// An entry `[SECTION.NAME.KIND]` whose table holds the fields every kind has (`C`) beside
    /// the kind's own (`K`, the enum of kinds).
    fn common_and_kind<C: DeserializeOwned, K: DeserializeOwned>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<(C, K)> {
        let (kind_name, inner) = self.kind_entry(key, value)?;
        let inner_key = format!("{key}.{kind_name}");
        // The fields common to every kind and the fields of the kind live in the same table:
        // each pass ignores the other's fields, and a key is unknown when both ignore it.
        let mut common_ignored = Vec::new();
        let common = self.deserialize_collecting::<C>(&inner_key, inner, &mut common_ignored);
        let mut kind_ignored = Vec::new();
        let kind = self.deserialize_collecting::<K>(key, value, &mut kind_ignored);
        let kind_ignored: BTreeSet<Vec<String>> = kind_ignored
            .into_iter()
            .map(|path| strip_kind_prefix(path, &kind_name))
            .collect();
        let mut known = fields_of::<C>();
        known.extend(fields_of_variant::<K>(&kind_name));
        for path in common_ignored {
            if kind_ignored.contains(&path) {
                self.unknown_key(&inner_key, inner, &path, &known);
            }
        }
        Some((common?, kind?))
    }

    fn deserialize<T: DeserializeOwned>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<T> {
        let mut ignored = Vec::new();
        let parsed = self.deserialize_collecting::<T>(key, value, &mut ignored);
        let known = fields_of::<T>();
        for path in ignored {
            self.unknown_key(key, value, &path, &known);
        }
        parsed
    }

    fn deserialize_collecting<T: DeserializeOwned>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        ignored: &mut Vec<Vec<String>>,
    ) -> Option<T> {
        let deserializer = ValueDeserializer::from(value.clone());
        let result =
            serde_ignored::deserialize(deserializer, |path| ignored.push(path_segments(&path)));
        match result {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                let span = error.span().unwrap_or_else(|| value.span());
                let message = refusal(error.message().trim());
                self.problems.push(self.file.problem(span, key, message));
                None
            }
        }
    }

    fn unknown_key(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        path: &[String],
        known: &[&str],
    ) {
        let span = span_of_path(value, path).unwrap_or_else(|| value.span());
        let dotted = if path.is_empty() {
            key.to_owned()
        } else {
            format!("{key}.{}", path.join("."))
        };
        let last = path.last().map(String::as_str).unwrap_or_default();
        let message = if path.len() != 1 || known.is_empty() {
            msg!("unknown_key", key = last)
        } else {
            match closest(last, known) {
                Some(closest) => msg!("unknown_key_closest", key = last, closest = closest),
                None => msg!(
                    "unknown_key_expected",
                    key = last,
                    expected = known.join(", ")
                ),
            }
        };
        self.problems
            .push(self.file.problem(span, &dotted, message));
    }
}

/// The message of the serde error a TOML value was refused with: the common ones in the
/// catalogue's words, any other as the library wrote it.
fn refusal(detail: &str) -> Message {
    let quoted = |prefix: &str| {
        let rest = detail.strip_prefix(prefix)?.strip_prefix('`')?;
        rest.strip_suffix('`').filter(|name| !name.contains('`'))
    };
    if let Some(field) = quoted("missing field ") {
        return msg!("toml_missing_field", field = field);
    }
    if let Some(field) = quoted("duplicate field ") {
        return msg!("toml_duplicate_field", field = field);
    }
    if let Some((variant, expected)) = detail
        .strip_prefix("unknown variant `")
        .and_then(|rest| rest.split_once("`, expected "))
    {
        return msg!(
            "toml_unknown_variant",
            variant = variant,
            expected = expected_names(expected)
        );
    }
    let found_and_expected = |prefix: &str| {
        let (found, expected) = detail.strip_prefix(prefix)?.split_once(", expected ")?;
        Some((found_value(found), expected_value(expected)))
    };
    if let Some((found, expected)) = found_and_expected("invalid type: ") {
        return msg!("toml_invalid_type", found = found, expected = expected);
    }
    if let Some((found, expected)) = found_and_expected("invalid value: ") {
        return msg!("toml_invalid_value", found = found, expected = expected);
    }
    msg!("toml_value_refused", detail = detail)
}

/// What serde says it found: `` integer `9` ``, `string "x"`, `sequence`, ...
fn found_value(found: &str) -> Message {
    let value = |prefix: &str| found.strip_prefix(prefix);
    if let Some(value) = value("integer ") {
        msg!("toml_found_integer", value = value)
    } else if let Some(value) = value("floating point ") {
        msg!("toml_found_decimal", value = value)
    } else if let Some(value) = value("string ") {
        msg!("toml_found_text", value = value)
    } else if let Some(value) = value("boolean ") {
        msg!("toml_found_boolean", value = value)
    } else if found == "sequence" {
        msg!("toml_found_list")
    } else if found == "map" {
        msg!("toml_found_table")
    } else {
        msg!("toml_expected_name", name = found)
    }
}

/// What serde says it expected: `a string`, `u8`, `struct CsvColumnsSpec`, ...
fn expected_value(expected: &str) -> Message {
    match expected {
        "a string" => msg!("toml_expected_text"),
        "a sequence" => msg!("toml_expected_list"),
        "a boolean" => msg!("toml_expected_boolean"),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
            msg!("toml_expected_integer", name = expected)
        }
        "f32" | "f64" => msg!("toml_expected_number", name = expected),
        _ if expected.starts_with("struct ") => msg!("toml_expected_table", name = expected),
        _ => msg!("toml_expected_name", name = expected),
    }
}

/// The names serde lists after "expected": `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b` ``.
fn expected_names(expected: &str) -> Message {
    if let Some(names) = expected.strip_prefix("one of ") {
        return msg!("toml_expected_one_of", names = names);
    }
    match expected.split_once(" or ") {
        Some((first, second)) => msg!("toml_expected_either", first = first, second = second),
        None => msg!("toml_expected_name", name = expected),
    }
}

/// serde_ignored reports paths inside an externally tagged enum either with the variant key or
/// without it, depending on how the variant was reached; bring both to the inner table's frame.
fn strip_kind_prefix(path: Vec<String>, kind: &str) -> Vec<String> {
    match path.split_first() {
        Some((first, rest)) if first == kind => rest.to_vec(),
        _ => path,
    }
}

fn path_segments(path: &serde_ignored::Path<'_>) -> Vec<String> {
    match path {
        serde_ignored::Path::Root => Vec::new(),
        serde_ignored::Path::Seq { parent, index } => {
            let mut segments = path_segments(parent);
            segments.push(index.to_string());
            segments
        }
        serde_ignored::Path::Map { parent, key } => {
            let mut segments = path_segments(parent);
            segments.push(key.clone());
            segments
        }
        serde_ignored::Path::Some { parent }
        | serde_ignored::Path::NewtypeStruct { parent }
        | serde_ignored::Path::NewtypeVariant { parent } => path_segments(parent),
    }
}

/// The span of the key at `path` inside `value`, for pointing at an unknown key.
fn span_of_path(value: &Spanned<DeValue<'_>>, path: &[String]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    match value.get_ref() {
        DeValue::Table(table) => {
            let (key, inner) = table.iter().find(|(key, _)| key.get_ref() == first)?;
            if rest.is_empty() {
                Some(key.span())
            } else {
                span_of_path(inner, rest)
            }
        }
        DeValue::Array(array) => {
            let index: usize = first.parse().ok()?;
            let inner = array.get(index)?;
            if rest.is_empty() {
                Some(inner.span())
            } else {
                span_of_path(inner, rest)
            }
        }
        _ => None,
    }
}

/// The field names of a struct, asked of its Deserialize implementation.
fn fields_of<T: DeserializeOwned>() -> Vec<&'static str> {
    match T::deserialize(FieldsProbe) {
        Err(ProbeError::Fields(fields)) => fields.to_vec(),
        _ => Vec::new(),
    }
}

struct FieldsProbe;

#[derive(Debug)]
enum ProbeError {
    Fields(&'static [&'static str]),
    Other,
}

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field probe")
    }
}

impl std::error::Error for ProbeError {}

impl serde::de::Error for ProbeError {
    fn custom<T: std::fmt::Display>(_message: T) -> Self {
        ProbeError::Other
    }
}

impl<'de> serde::Deserializer<'de> for FieldsProbe {
    type Error = ProbeError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Other)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Fields(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The field names of one variant of an externally tagged enum of kinds.
fn fields_of_variant<T: DeserializeOwned>(variant: &str) -> Vec<&'static str> {
    match T::deserialize(VariantProbe(variant)) {
        Err(ProbeError::Fields(fields)) => fields.to_vec(),
        _ => Vec::new(),
    }
}

struct VariantProbe<'a>(&'a str);

impl<'de> serde::Deserializer<'de> for VariantProbe<'_> {
    type Error = ProbeError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Other)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de> serde::de::EnumAccess<'de> for VariantProbe<'_> {
    type Error = ProbeError;
    type Variant = FieldsProbe;

    fn variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, FieldsProbe), ProbeError> {
        let name = serde::de::value::StrDeserializer::<ProbeError>::new(self.0);
        Ok((seed.deserialize(name)?, FieldsProbe))
    }
}

impl<'de> serde::de::VariantAccess<'de> for FieldsProbe {
    type Error = ProbeError;

    fn unit_variant(self) -> Result<(), ProbeError> {
        Err(ProbeError::Other)
    }

    fn newtype_variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, ProbeError> {
        seed.deserialize(FieldsProbe)
    }

    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Other)
    }

    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Fields(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::ChallengeSpec;

    #[test]
    fn probes_struct_fields() {
        let fields = fields_of::<ChallengeSpec>();
        assert_eq!(fields, vec!["title", "description"]);
    }

    #[test]
    fn the_common_refusals_of_the_toml_reader_are_said_in_both_languages() {
        use crate::message::Language::{English, Italian};
        let cases = [
            ("missing field `decimals`", "manca il campo `decimals`"),
            (
                "unknown variant `csvv`, expected one of `csv`, `istat_population`",
                "valore `csvv` sconosciuto, atteso uno tra `csv`, `istat_population`",
            ),
            (
                "unknown variant `warn`, expected `error` or `warning`",
                "valore `warn` sconosciuto, atteso `error` o `warning`",
            ),
            (
                "invalid type: integer `2021`, expected a string",
                "tipo non valido: il numero intero `2021`, dove è atteso un testo",
            ),
            (
                "invalid value: integer `300`, expected u8",
                "valore non valido: il numero intero `300`, dove è atteso un numero intero (u8)",
            ),
            ("a refusal of its own", "a refusal of its own"),
        ];
        for (english, italian) in cases {
            let message = refusal(english);
            assert_eq!(message.render(English), english);
            assert_eq!(message.render(Italian), italian);
        }
    }
}
