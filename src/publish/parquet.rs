//! Parquet output: the same columns and types as the CSV, zstd-compressed.

use std::path::Path;

use crate::error::Result;
use crate::table::Table;

pub(crate) fn write(table: &Table, path: &Path) -> Result<()> {
    table.write_parquet(path)
}
