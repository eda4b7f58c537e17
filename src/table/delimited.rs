//! Delimited text (CSV with any separator, title lines and footer notes) read into a table of
//! text cells by polars' CSV reader, and the rows whose field count does not match the header,
//! found before parsing so that each is reported by its line.

use std::io::Cursor;

use polars::prelude::{CsvParseOptions, CsvReadOptions, SerReader, StringChunked};

/// Delimited text read with every cell as text: codes keep their leading zeros and numbers are
/// parsed by the source kind, which knows the decimal mark and reports bad cells.
pub(crate) struct TextTable {
    headers: Vec<String>,
    columns: Vec<StringChunked>,
    rows: usize,
}

/// How to split delimited text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Delimited {
    pub(crate) separator: u8,
    /// Lines before the header row (titles).
    pub(crate) skip_lines: usize,
    /// Data rows at the end that are not data (notes, totals).
    pub(crate) footer_lines: usize,
}

impl TextTable {
    /// Parses decoded text. The error is the table library's own message.
    pub(crate) fn parse(text: &str, layout: Delimited) -> std::result::Result<TextTable, String> {
        let parse_options = CsvParseOptions::default()
            .with_separator(layout.separator)
            .with_quote_char(Some(b'"'))
            .with_missing_is_null(true);
        let options = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .with_skip_lines(layout.skip_lines)
            .with_raise_if_empty(false)
            .with_parse_options(parse_options);
        let cursor = Cursor::new(text.as_bytes());
        let mut frame = options
            .into_reader_with_file_handle(cursor)
            .finish()
            .map_err(|e| e.to_string())?;
        if layout.footer_lines > 0 {
            let keep = frame.height().saturating_sub(layout.footer_lines);
            frame = frame.head(Some(keep));
        }
        frame.rechunk_mut();
        let headers = frame
            .get_column_names()
            .iter()
            .map(|name| name.to_string())
            .collect();
        let columns = frame
            .columns()
            .iter()
            .map(|column| column.str().cloned().map_err(|e| e.to_string()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(TextTable {
            headers,
            columns,
            rows: frame.height(),
        })
    }

    /// Rows whose number of fields is not the header's. The table library pads short rows
    /// with empty cells and stops at long ones without saying where, so the text is scanned
    /// first: quotes are honoured, empty lines and the footer are left out.
    pub(crate) fn ragged_rows(text: &str, layout: Delimited) -> Vec<RaggedRow> {
        let mut records = Records::new(text, layout.separator);
        for _ in 0..layout.skip_lines {
            records.skip_line();
        }
        let Some(header) = records.next() else {
            return Vec::new();
        };
        // One pass: every ragged record is noted with its row, and those in the footer (the
        // last `footer_lines` records, known once the text is read) are left out at the end.
        let mut rows = 0;
        let mut ragged = Vec::new();
        for record in records.filter(|record| !record.blank) {
            rows += 1;
            if record.fields != header.fields {
                ragged.push(RaggedRow {
                    row: rows,
                    line: record.line,
                    fields: record.fields,
                    expected: header.fields,
                });
            }
        }
        let kept = rows.saturating_sub(layout.footer_lines);
        ragged.retain(|ragged_row| ragged_row.row <= kept);
        ragged
    }

    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }

    pub(crate) fn row_count(&self) -> usize {
        self.rows
    }

    /// The cell at a column index and row, trimmed; None when empty.
    pub(crate) fn cell(&self, column: usize, row: usize) -> Option<&str> {
        self.columns[column]
            .get(row)
            .map(str::trim)
            .filter(|cell| !cell.is_empty())
    }
}

/// A data row with more or fewer fields than the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RaggedRow {
    /// 1-based data row, as in findings.
    pub(crate) row: usize,
    /// 1-based line of the file where the row starts.
    pub(crate) line: usize,
    pub(crate) fields: usize,
    pub(crate) expected: usize,
}

/// One record of delimited text: where it starts and how many fields it has.
struct Record {
    line: usize,
    fields: usize,
    blank: bool,
}

/// Splits delimited text into records; a quoted field may hold separators and line breaks.
struct Records<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    separator: u8,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, separator: u8) -> Self {
        Records {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
            separator,
        }
    }

    /// Skips one raw line, quotes or not, as the table library skips title lines.
    fn skip_line(&mut self) {
        while self.at < self.bytes.len() {
            self.at += 1;
            if self.bytes[self.at - 1] == b'\n' {
                self.line += 1;
                return;
            }
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let line = self.line;
        let mut fields = 1;
        let mut quoted = false;
        let mut blank = true;
        while self.at < self.bytes.len() {
            let byte = self.bytes[self.at];
            self.at += 1;
            match byte {
                b'\n' => {
                    self.line += 1;
                    if !quoted {
                        break;
                    }
                }
                b'"' => {
                    quoted = !quoted;
                    blank = false;
                }
                b'\r' => {}
                _ if byte == self.separator && !quoted => {
                    fields += 1;
                    blank = false;
                }
                _ => blank = false,
            }
        }
        Some(Record {
            line,
            fields,
            blank,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_cell_as_text() {
        let text = "Titolo del file\ncodice;nome;valore\n035004;Bibbiano;4,52\n035010;\"Campegine\";\nNota finale\n";
        let table = TextTable::parse(
            text,
            Delimited {
                separator: b';',
                skip_lines: 1,
                footer_lines: 1,
            },
        )
        .unwrap();
        assert_eq!(table.headers(), ["codice", "nome", "valore"]);
        assert_eq!(table.row_count(), 2);
        assert_eq!(table.cell(0, 0), Some("035004"));
        assert_eq!(table.cell(2, 0), Some("4,52"));
        assert_eq!(table.cell(1, 1), Some("Campegine"));
        assert_eq!(table.cell(2, 1), None);
    }

    #[test]
    fn finds_ragged_rows_by_row_and_line() {
        let layout = Delimited {
            separator: b';',
            skip_lines: 1,
            footer_lines: 1,
        };
        let text = "Titolo\ncodice;nome;valore\n035004;Bibbiano;4\n\n035010;\"Campe;\ngine\";1;9\n035012;Canossa\n035018;Gattatico;3\nNota finale\n";
        assert_eq!(
            TextTable::ragged_rows(text, layout),
            [
                RaggedRow {
                    row: 2,
                    line: 5,
                    fields: 4,
                    expected: 3
                },
                RaggedRow {
                    row: 3,
                    line: 7,
                    fields: 2,
                    expected: 3
                }
            ]
        );
        let even = "codice;nome\r\n1;\"a;b\"\r\n2;c\r\n";
        assert!(
            TextTable::ragged_rows(
                even,
                Delimited {
                    separator: b';',
                    skip_lines: 0,
                    footer_lines: 0
                }
            )
            .is_empty()
        );
    }
}
