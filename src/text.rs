//! Text at the edges: decoding input bytes to UTF-8, parsing numbers written the Italian or
//! the English way, and formatting numbers for Italian readers.

use serde::Deserialize;

/// The character encoding a pipeline file declares for an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Encoding {
    /// UTF-8 if the bytes are valid UTF-8, Windows-1252 otherwise.
    Auto,
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {}

/// Why bytes could not be turned into text, at the line it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeProblem {
    pub(crate) line: usize,
    pub(crate) failure: DecodeFailure,
}

/// What was wrong with the bytes; the reader of the file says it to the officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeFailure {
    /// Declared UTF-8, but not UTF-8 from this byte on.
    NotUtf8 { offset: usize },
    /// Declared Windows-1252, but starting with UTF-8's byte order mark.
    ByteOrderMark,
    /// Declared Windows-1252, but UTF-8 with letters Windows-1252 would mangle.
    Utf8,
}

/// Decodes `bytes` as `encoding`, dropping a UTF-8 byte order mark.
///
/// Refuses rather than mangles: invalid UTF-8 declared as UTF-8 is an error at its line, and
/// bytes declared as Windows-1252 that are in fact UTF-8 with accented letters are an error too,
/// because decoding them would turn "Forlì" into "ForlÃ¬".
pub(crate) fn decode(
    bytes: &[u8],
    encoding: Encoding,
) -> Result<(std::borrow::Cow<'_, str>, Encoding), DecodeProblem> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF");
    let had_bom = without_bom.is_some();
    let body = without_bom.unwrap_or(bytes);
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(body) {
            // Borrowed: a national file is tens of megabytes, and valid UTF-8 needs no copy.
            Ok(text) => Ok((std::borrow::Cow::Borrowed(text), Encoding::Utf8)),
            Err(error) => {
                let offset = error.valid_up_to();
                let line = line_of_offset(body, offset);
                Err(DecodeProblem {
                    line,
                    failure: DecodeFailure::NotUtf8 { offset },
                })
            }
        },
        Encoding::Windows1252 => {
            if had_bom {
                return Err(DecodeProblem {
                    line: 1,
                    failure: DecodeFailure::ByteOrderMark,
                });
            }
            if let Ok(text) = std::str::from_utf8(body)
                && let Some(offset) = text.bytes().position(|b| b >= 0x80)
            {
                let line = line_of_offset(body, offset);
                return Err(DecodeProblem {
                    line,
                    failure: DecodeFailure::Utf8,
                });
            }
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            Ok((text, Encoding::Windows1252))
        }
        Encoding::Auto => match std::str::from_utf8(body) {
            // Borrowed: a national file is tens of megabytes, and valid UTF-8 needs no copy.
            Ok(text) => Ok((std::borrow::Cow::Borrowed(text), Encoding::Utf8)),
            Err(_) => {
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
                Ok((text, Encoding::Windows1252))
            }
        },
    }
}

fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The decimal mark of numbers in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DecimalMark {
    #[serde(rename = ".")]
    Point,
    #[serde(rename = ",")]
    Comma,
}

/// Parses a number as written in a data file: surrounding spaces are ignored; with a decimal
/// comma, dots are accepted only as thousands separators in groups of three ("2.644", "1.234,5").
pub(crate) fn parse_number(raw: &str, decimal: DecimalMark) -> Option<f64> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    let normalized = match decimal {
        DecimalMark::Point => {
            if text.contains(',') {
                return None;
            }
            text.to_owned()
        }
        DecimalMark::Comma => {
            let (integer_part, fraction) = match text.split_once(',') {
                Some((integer_part, fraction)) => (integer_part, Some(fraction)),
                None => (text, None),
            };
            if fraction.is_some_and(|f| f.contains(',') || f.contains('.')) {
                return None;
            }
            let integer_digits = strip_thousands(integer_part)?;
            match fraction {
                Some(fraction) => format!("{integer_digits}.{fraction}"),
                None => integer_digits,
            }
        }
    };
    let valid = normalized
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if !valid {
        return None;
    }
    normalized.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// "1.234.567" -> "1234567"; "-2.644" -> "-2644"; "12.34" (not a thousands pattern) -> None.
fn strip_thousands(integer_part: &str) -> Option<String> {
    if !integer_part.contains('.') {
        return Some(integer_part.to_owned());
    }
    let (sign, digits) = match integer_part.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", integer_part),
    };
    let groups: Vec<&str> = digits.split('.').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let all_digits = groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
    (first_ok && rest_ok && all_digits).then(|| format!("{sign}{}", groups.concat()))
}

/// Rounds half away from zero to `decimals` places, as printed figures are rounded. Sums of
/// decimal figures carry binary noise (euro amounts that add up to 64264958.50 come out as
/// 64264958.499999985): the value is first brought to 12 significant digits, so that a tie in
/// decimal is a tie here too, and a numerator prints without invented digits.
pub(crate) fn round_to(value: f64, decimals: u8) -> f64 {
    let factor = 10f64.powi(i32::from(decimals));
    let clean = if value.is_finite() && value != 0.0 {
        let significant = 10f64.powi(11 - value.abs().log10().floor() as i32);
        let cleaned = (value * significant).round() / significant;
        if cleaned.is_finite() { cleaned } else { value }
    } else {
        value
    };
    let rounded = (clean * factor).round() / factor;
    // -0.0 would print as "-0" in some writers; a rounded zero is zero.
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// Formats a number the Italian way: "2.355", "4,52", "-0,5".
pub(crate) fn format_it(value: f64, decimals: u8) -> String {
    let rounded = round_to(value, decimals);
    let fixed = fixed_point(rounded.abs(), decimals);
    let (integer_part, fraction) = match fixed.split_once('.') {
        Some((integer_part, fraction)) => (integer_part, Some(fraction)),
        None => (fixed.as_str(), None),
    };
    let mut out = String::with_capacity(fixed.len() + integer_part.len() / 3 + 2);
    if rounded < 0.0 {
        out.push('-');
    }
    for (index, digit) in integer_part.char_indices() {
        if index > 0 && (integer_part.len() - index) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// What `format!("{:.decimals$}")` prints for a value `round_to` gave (not negative), from
/// the integer count of its last places when that is below 10^15, at a fraction of the float
/// formatter's cost (a national site prints millions of figures). `round_to` made the value
/// the float nearest to that count over 10^decimals; below 10^15 the value times 10^decimals
/// is within a quarter of the count, and the value within an eighth of a last place of it, so
/// the count's digits are the ones the float formatter prints.
fn fixed_point(rounded: f64, decimals: u8) -> String {
    if decimals <= 15 && rounded.is_finite() {
        let units = (rounded * 10f64.powi(i32::from(decimals))).round();
        if units < 1e15 {
            // Below 10^15 the float holds an integer exactly, and the cast keeps it.
            let mut text = (units as u64).to_string();
            let places = usize::from(decimals);
            if places > 0 {
                if text.len() <= places {
                    text.insert_str(0, &"0".repeat(places + 1 - text.len()));
                }
                text.insert(text.len() - places, '.');
            }
            return text;
        }
    }
    format!("{:.*}", usize::from(decimals), rounded)
}

/// A number with its unit, the Italian way: "3%", "2,29 ogni 1.000 abitanti".
pub(crate) fn with_unit_it(value: f64, decimals: u8, unit: &str) -> String {
    let number = format_it(value, decimals);
    if unit.starts_with('%') {
        format!("{number}{unit}")
    } else {
        format!("{number} {unit}")
    }
}

/// Formats a number for English-language messages: "62,379", "3.78".
pub(crate) fn format_en(value: f64, decimals: u8) -> String {
    format_it(value, decimals)
        .chars()
        .map(|c| match c {
            '.' => ',',
            ',' => '.',
            other => other,
        })
        .collect()
}

/// A lower-case letter without its accent (Italian vowels, and the š and ž of South Tyrol's
/// and Friuli's names); any other character as it is.
pub(crate) fn without_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' => 'a',
        'è' | 'é' | 'ê' => 'e',
        'ì' | 'í' | 'î' => 'i',
        'ò' | 'ó' | 'ô' => 'o',
        'ù' | 'ú' | 'û' => 'u',
        'š' => 's',
        'ž' => 'z',
        other => other,
    }
}

/// A place name as it is compared and sorted: lower case, without accents, one kind of
/// apostrophe, single spaces ("Sant’Ilario  d'Enza" and "sant'ilario d'enza" are one name;
/// "Forlì" sorts with "Forli").
pub(crate) fn name_key(name: &str) -> String {
    let folded: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '’' | '`' => '\'',
            other => without_accent(other),
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalizes a header cell for matching by name: line breaks and runs of spaces become one
/// space, surrounding spaces go, letters are lower-cased.
pub(crate) fn normalize_header(cell: &str) -> String {
    cell.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A date written `YYYY-MM-DD`.
pub(crate) fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && text
            .chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Checks a name used as a key in pipeline files and outputs: lower-case snake_case.
pub(crate) fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.ends_with('_')
        && !name.contains("__")
}

/// "12 KB", "1,2 MB", "830 byte": the size a citizen reads next to a download.
pub(crate) fn size_it(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let size = bytes as f64;
    if size < KB {
        format!("{bytes} byte")
    } else if size < KB * KB {
        format!("{} KB", format_it((size / KB).ceil(), 0))
    } else {
        format!("{} MB", format_it(size / KB / KB, 1))
    }
}

/// The closest known name to a misspelled one, when it is close enough to be a typo.
pub(crate) fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min()
        .map(|(_, candidate)| candidate)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            closest("decimal", &["decimals", "label", "unit"]),
            Some("decimals")
        );
        assert_eq!(closest("zzz", &["decimals", "label"]), None);
    }

    #[test]
    fn decodes_windows_1252_names() {
        let bytes = b"Forl\xEC;Sant'Ilario d'Enza;\x8Aeverjan";
        let (text, used) = decode(bytes, Encoding::Windows1252).unwrap();
        assert_eq!(text, "Forlì;Sant'Ilario d'Enza;Ševerjan");
        assert_eq!(used, Encoding::Windows1252);
        let (auto_text, auto_used) = decode(bytes, Encoding::Auto).unwrap();
        assert_eq!(auto_text, text);
        assert_eq!(auto_used, Encoding::Windows1252);
    }

    #[test]
    fn rounds_decimal_ties_hidden_by_binary_noise() {
        assert_eq!(round_to(64_264_958.499_999_985, 0), 64_264_959.0);
        assert_eq!(round_to(215_321_874.270_004, 6), 215_321_874.27);
        assert_eq!(round_to(2.345, 2), 2.35);
        assert_eq!(round_to(-2.5, 0), -3.0);
        assert_eq!(round_to(1.0 / 3.0, 4), 0.3333);
        assert_eq!(round_to(0.0, 2), 0.0);
        assert_eq!(round_to(1e-300, 2), 0.0);
        assert_eq!(round_to(1e300, 0), 1e300);
    }

    #[test]
    fn refuses_windows_1252_declared_as_utf8() {
        let problem = decode(b"a;b\nForl\xEC;1\n", Encoding::Utf8).unwrap_err();
        assert_eq!(problem.line, 2);
        assert_eq!(problem.failure, DecodeFailure::NotUtf8 { offset: 8 });
    }

    #[test]
    fn refuses_utf8_declared_as_windows_1252() {
        let problem = decode("a\nForlì\n".as_bytes(), Encoding::Windows1252).unwrap_err();
        assert_eq!(problem.line, 2);
        assert_eq!(problem.failure, DecodeFailure::Utf8);
        let bom = decode(b"\xEF\xBB\xBFa", Encoding::Windows1252).unwrap_err();
        assert_eq!(bom.failure, DecodeFailure::ByteOrderMark);
    }

    #[test]
    fn drops_a_byte_order_mark() {
        let (text, _) = decode(b"\xEF\xBB\xBFcodice;nome", Encoding::Utf8).unwrap();
        assert_eq!(text, "codice;nome");
    }

    #[test]
    fn parses_numbers_both_ways() {
        assert_eq!(parse_number("4,52", DecimalMark::Comma), Some(4.52));
        assert_eq!(parse_number("2.644", DecimalMark::Comma), Some(2644.0));
        assert_eq!(parse_number("1.234,5", DecimalMark::Comma), Some(1234.5));
        assert_eq!(parse_number(" 62379 ", DecimalMark::Point), Some(62379.0));
        assert_eq!(parse_number("4.52", DecimalMark::Point), Some(4.52));
        assert_eq!(parse_number("4,52", DecimalMark::Point), None);
        assert_eq!(parse_number("12.34", DecimalMark::Comma), None);
        assert_eq!(parse_number("n.d.", DecimalMark::Comma), None);
        assert_eq!(parse_number("", DecimalMark::Point), None);
        assert_eq!(parse_number("inf", DecimalMark::Point), None);
    }

    /// `fixed_point` prints what the float formatter prints, over values of every size
    /// and sign with every number of decimals the indicators use, and the edge cases.
    #[test]
    fn fixed_point_prints_what_the_float_formatter_prints() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = vec![
            0.0,
            0.5,
            1.5,
            2.5,
            0.125,
            999_999_999_999.995,
            64_264_958.499_999_985,
            1e14,
            1e15,
            1e16,
            1e300,
            1e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
        ];
        for _ in 0..200_000 {
            let bits = next();
            let magnitude = 10f64.powi((bits % 19) as i32 - 4);
            let fraction = (next() >> 11) as f64 / (1u64 << 53) as f64;
            values.push(fraction * magnitude);
            values.push(((next() % 2_000_000) as f64) / 100.0);
        }
        for value in values {
            for decimals in 0..=6u8 {
                let rounded = round_to(value, decimals).abs();
                assert_eq!(
                    fixed_point(rounded, decimals),
                    format!("{:.*}", usize::from(decimals), rounded),
                    "{value:e} with {decimals} decimals"
                );
            }
        }
    }

    #[test]
    fn formats_italian_numbers() {
        assert_eq!(format_it(2355.0, 0), "2.355");
        assert_eq!(format_it(4.5234, 2), "4,52");
        assert_eq!(format_it(62379.0, 0), "62.379");
        assert_eq!(format_it(1234567.891, 1), "1.234.567,9");
        assert_eq!(format_it(-0.5, 1), "-0,5");
        assert_eq!(format_it(87.5, 0), "88");
        assert_eq!(format_it(0.004, 2), "0,00");
        assert_eq!(format_it(-0.004, 2), "0,00");
        assert_eq!(format_it(0.05, 3), "0,050");
        assert_eq!(format_it(-1234.5, 0), "-1.235");
        assert_eq!(format_it(f64::NAN, 1), "NaN");
        assert_eq!(format_it(f64::NEG_INFINITY, 0), "-inf");
        assert_eq!(format_en(62379.0, 0), "62,379");
        assert_eq!(format_en(3.7753, 2), "3.78");
    }

    #[test]
    fn names_compare_without_case_accents_or_kind_of_apostrophe() {
        assert_eq!(
            name_key("Sant’Ilario  d'Enza"),
            name_key("sant'ilario d'enza")
        );
        assert_eq!(name_key("Forlì"), "forli");
    }

    #[test]
    fn normalizes_istat_headers() {
        assert_eq!(
            normalize_header(
                "Codice dell'Unità territoriale sovracomunale \n(valida a fini statistici)"
            ),
            "codice dell'unità territoriale sovracomunale (valida a fini statistici)"
        );
    }

    #[test]
    fn recognises_snake_case() {
        assert!(is_snake_case("val_d_enza"));
        assert!(is_snake_case("spid_per_100"));
        assert!(!is_snake_case("Val"));
        assert!(!is_snake_case("val-d-enza"));
        assert!(!is_snake_case("_x"));
    }

    #[test]
    fn sizes_read_the_italian_way() {
        assert_eq!(size_it(830), "830 byte");
        assert_eq!(size_it(12 * 1024 - 100), "12 KB");
        assert_eq!(size_it(1_300_000), "1,2 MB");
    }
}
