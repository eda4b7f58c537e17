//! The `territories` source kind: ISTAT's list of comuni ("Elenco comuni italiani") in its
//! native layouts (2020: 23 columns, UTF-8 with BOM; 2023: 26 columns, Windows-1252), giving
//! each comune's province and region with their names.

use crate::error::{ConfigProblem, Result};
use crate::finding::Finding;
use crate::istat::{Level, level_of_istat_code};
use crate::msg;
use crate::plan::{Location, Paths, paths};
use crate::source::read::{self, IngestContext};
use crate::source::result::Ingested;
use crate::source::rows::Comune;
use crate::spec::Item;
use crate::spec::SourceSpec;
use crate::spec::source::TerritoriesSourceSpec;
use crate::table::{Delimited, TextTable};
use crate::text::{self, Encoding};

#[derive(Debug, Clone)]
pub(crate) struct TerritoriesSource {
    pub(crate) location: Location,
    pub(crate) encoding: Encoding,
    pub(crate) separator: u8,
}

/// Headers as ISTAT writes them; matched by prefix after normalizing spaces and case, because
/// the two layouts differ in footnote marks and trailing spaces.
const CODE: &str = "codice comune formato alfanumerico";
const NAME: &str = "denominazione in italiano";
const PROVINCE_CODE: &str = "codice provincia (storico)";
const PROVINCE_NAME: &str = "denominazione dell'unità territoriale sovracomunale";
const REGION_CODE: &str = "codice regione";
const REGION_NAME: &str = "denominazione regione";
/// NUTS codes, to read statistics that name regions and provinces by them (2021 edition in
/// the 2023 layout, the only one in the 2020 layout).
const NUTS2: &[&str] = &["codice nuts2 2021", "nuts2"];
const NUTS3: &[&str] = &["codice nuts3 2021", "nuts3"];

impl TerritoriesSource {
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        spec: &TerritoriesSourceSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let location = paths::locate(
            item,
            "territories",
            spec.file.as_ref(),
            spec.url.as_ref(),
            spec.http.as_ref(),
            base,
        )
        .map_err(|p| problems.extend(p));
        let separator =
            paths::separator(item, spec.separator.as_ref(), b';').map_err(|p| problems.push(p));
        match (location, separator) {
            (Ok(location), Ok(separator)) => Ok(TerritoriesSource {
                location,
                encoding: spec.encoding.unwrap_or(Encoding::Auto),
                separator,
            }),
            _ => Err(problems),
        }
    }

    pub(crate) fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let layout = Delimited {
            separator: self.separator,
            skip_lines: 0,
            footer_lines: 0,
        };
        let Some((table, label)) = read::read_table(
            context,
            name,
            &self.location,
            self.encoding,
            layout,
            &mut ingested,
        )?
        else {
            return Ok(ingested);
        };
        let Some(columns) = columns(&table, &label, &mut ingested.findings) else {
            return Ok(ingested);
        };
        for row in 0..table.row_count() {
            match comune(&table, &columns, row) {
                Ok(comune) => ingested.comuni.push(comune),
                Err(finding) => ingested
                    .findings
                    .push(finding.in_file(&label).at_row(row + 1)),
            }
        }
        Ok(ingested)
    }
}

/// Where the columns of the list are: code, name, province and region with their names, and
/// the NUTS codes when the layout has them.
struct ListColumns {
    code: usize,
    name: usize,
    province_code: usize,
    province_name: usize,
    region_code: usize,
    region_name: usize,
    nuts2: Option<usize>,
    nuts3: Option<usize>,
}

/// The columns of the list by their headers; the missing ones are findings.
fn columns(table: &TextTable, label: &str, findings: &mut Vec<Finding>) -> Option<ListColumns> {
    let wanted = [
        CODE,
        NAME,
        PROVINCE_CODE,
        PROVINCE_NAME,
        REGION_CODE,
        REGION_NAME,
    ];
    let found =
        match read::header_positions(table, &wanted, |header, prefix| header.starts_with(prefix)) {
            Ok(found) => found,
            Err(missing) => {
                findings.extend(missing.into_iter().map(|prefix| {
                    Finding::error(
                        "missing_column",
                        msg!("missing_list_column", prefix = prefix),
                    )
                    .in_file(label)
                    .in_column(prefix)
                }));
                return None;
            }
        };
    let [
        code,
        name,
        province_code,
        province_name,
        region_code,
        region_name,
    ] = found[..]
    else {
        return None;
    };
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| text::normalize_header(h))
        .collect();
    let optional = |prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|prefix| headers.iter().position(|h| h.starts_with(prefix)))
    };
    Some(ListColumns {
        code,
        name,
        province_code,
        province_name,
        region_code,
        region_name,
        nuts2: optional(NUTS2),
        nuts3: optional(NUTS3),
    })
}

/// One row of the list as a comune, or the finding (without its place) that says why not.
fn comune(
    table: &TextTable,
    columns: &ListColumns,
    row: usize,
) -> std::result::Result<Comune, Box<Finding>> {
    let expect = [
        (columns.code, Level::Comune),
        (columns.province_code, Level::Province),
        (columns.region_code, Level::Region),
    ];
    let mut codes = Vec::with_capacity(3);
    for (column, level) in expect {
        let raw = table.cell(column, row).unwrap_or_default();
        if level_of_istat_code(raw) != Some(level) {
            return Err(Box::new(
                Finding::error(
                    "not_an_istat_code",
                    msg!("not_an_istat_code", level = level.label_it()),
                )
                .in_column(table.headers()[column].trim())
                .with_value(raw),
            ));
        }
        codes.push(raw.to_owned());
    }
    let names = [columns.name, columns.province_name, columns.region_name]
        .map(|column| table.cell(column, row));
    let [Some(comune_name), Some(province), Some(region)] = names else {
        return Err(Box::new(Finding::error(
            "missing_value",
            msg!("missing_list_name"),
        )));
    };
    let [code, province_code, region_code] = [0, 1, 2].map(|at| codes[at].clone());
    Ok(Comune {
        code,
        name: comune_name.to_owned(),
        province_code,
        province_name: province.to_owned(),
        region_code,
        region_name: region.to_owned(),
        nuts2: columns
            .nuts2
            .and_then(|c| table.cell(c, row))
            .map(str::to_owned),
        nuts3: columns
            .nuts3
            .and_then(|c| table.cell(c, row))
            .map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // On the real public files in ../shared/data (see its README).
    use crate::plan::Location;
    use crate::source::read::testing::{file, ingest, shared_data};
    use crate::text::Encoding;

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn the_2023_list_of_comuni_parses_completely() {
        let Some(data) = shared_data() else {
            return;
        };
        let source = TerritoriesSource {
            location: file(
                &data,
                "istat/Elenco-comuni-italiani_2023-11_paolovolterra.csv",
            ),
            encoding: Encoding::Auto,
            separator: b';',
        };
        let ingested = ingest(|context| source.ingest("comuni", context));
        assert!(
            ingested.findings.is_empty(),
            "{:#?}",
            &ingested.findings[..ingested.findings.len().min(5)]
        );
        assert_eq!(ingested.comuni.len(), 7_901);
        let name = |code: &str| {
            ingested
                .comuni
                .iter()
                .find(|c| c.code == code)
                .map(|c| c.name.clone())
        };
        assert_eq!(name("040012").as_deref(), Some("Forlì"));
        assert_eq!(name("035039").as_deref(), Some("Sant'Ilario d'Enza"));
        assert_eq!(name("023063").as_deref(), Some("Roncà"));
        let bibbiano = ingested.comuni.iter().find(|c| c.code == "035004").unwrap();
        assert_eq!(
            (
                bibbiano.province_code.as_str(),
                bibbiano.province_name.as_str(),
                bibbiano.region_code.as_str()
            ),
            ("035", "Reggio nell'Emilia", "08")
        );
        let roma = ingested.comuni.iter().find(|c| c.code == "058091").unwrap();
        assert_eq!(
            roma.province_code, "058",
            "the historical province code, not the metropolitan city's 258"
        );
    }

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn the_2020_list_of_comuni_parses_completely() {
        let Some(data) = shared_data() else {
            return;
        };
        let path = data.join("istat/Elenco-comuni-italiani_2020-05_kpellizzi.csv");
        let source = TerritoriesSource {
            location: Location::File(path.clone()),
            encoding: Encoding::Auto,
            separator: b';',
        };
        let ingested = ingest(|context| source.ingest("comuni", context));
        assert!(
            ingested.findings.is_empty(),
            "{:#?}",
            &ingested.findings[..ingested.findings.len().min(5)]
        );
        let text = std::fs::read_to_string(&path).unwrap();
        // One header spread over three lines by two quoted line breaks, no final newline.
        assert_eq!(ingested.comuni.len(), text.lines().count() - 3);
        assert!(ingested.comuni.iter().any(|c| c.name == "Forlì"));
    }
}
