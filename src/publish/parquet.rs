//! Parquet output: the same columns and types as the CSV, zstd-compressed.

use std::io::Write;
use std::path::Path;

use crate::error::Result;
use crate::table::Table;

pub(crate) fn write(table: &Table, writer: &mut dyn Write, path: &Path) -> Result<()> {
    table.write_parquet(writer, path)
}
