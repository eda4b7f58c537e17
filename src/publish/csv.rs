//! CSV output: UTF-8, comma-separated, decimal point, one header row.

use std::io::Write;
use std::path::Path;

use crate::error::Result;
use crate::table::Table;

pub(crate) fn write(table: &Table, writer: &mut dyn Write, path: &Path) -> Result<()> {
    table.write_csv(writer, path)
}
