//! A named entry of a pipeline file with the place it was written at, and the file itself,
//! which maps byte offsets to lines and columns: every problem a check finds points there.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::ConfigProblem;

/// Maps byte offsets of one file to lines and columns.
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub(crate) path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub(crate) fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line_index];
        let column = self.text[start..offset].chars().count() + 1;
        (line_index + 1, column)
    }

    pub(crate) fn problem(
        &self,
        span: Range<usize>,
        key: &str,
        message: impl Into<crate::message::Message>,
    ) -> ConfigProblem {
        let (line, column) = self.line_column(span.start);
        ConfigProblem {
            file: self.path.clone(),
            line: Some(line),
            column: Some(column),
            key: key.to_owned(),
            message: message.into(),
        }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

/// A named entry of a pipeline file (`[source.NAME.KIND]`, `[dataset.NAME]`, ...), with where
/// it was written, so that later checks can point at it.
#[derive(Debug, Clone)]
pub(crate) struct Item<T> {
    pub(crate) name: String,
    /// Dotted key of the entry, e.g. `source.population`.
    pub(crate) key: String,
    pub(crate) span: Range<usize>,
    pub(crate) file: Arc<SourceFile>,
    pub(crate) spec: T,
}

impl<T> Item<T> {
    pub(crate) fn problem(&self, message: impl Into<crate::message::Message>) -> ConfigProblem {
        self.file.problem(self.span.clone(), &self.key, message)
    }

    /// A problem at one field of the entry, e.g. its `file`.
    pub(crate) fn problem_at(
        &self,
        span: Range<usize>,
        field: &str,
        message: impl Into<crate::message::Message>,
    ) -> ConfigProblem {
        self.file
            .problem(span, &format!("{}.{field}", self.key), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let file = SourceFile::new("p.toml".into(), "a = 1\n[città]\nb = 2\n".into());
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(6), (2, 1));
        let offset = file.text().find("b =").unwrap();
        assert_eq!(file.line_column(offset), (3, 1));
    }
}
