//! The `territories` source kind: ISTAT's list of comuni ("Elenco comuni italiani") in its
//! native layouts (2020: 23 columns, UTF-8 with BOM; 2023: 26 columns, Windows-1252), giving
//! each comune's province and region with their names.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{ConfigProblem, Result};
use crate::fetch::HttpSpec;
use crate::source::{self, IngestContext, Ingested, Location, Paths, SourceSpec};
use crate::spec::Item;
use crate::table::{Delimited, TextTable};
use crate::territory::{ComuneEntry, Level, level_of_istat_code};
use crate::text::{self, Encoding};
use crate::validate::Finding;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TerritoriesSourceSpec {
    /// Path relative to the pipeline file's folder; or give `url`.
    pub file: Option<Spanned<String>>,
    /// Where to download the data from, through the cache; or give `file`.
    pub url: Option<Spanned<String>>,
    /// How the `url` is fetched: timeouts, retries, checksum, size and shrink limits.
    pub http: Option<HttpSpec>,
    /// Default `auto`: the 2023 list is Windows-1252, the 2020 list UTF-8.
    pub encoding: Option<Encoding>,
    /// Default `;`, as ISTAT publishes it.
    pub separator: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct TerritoriesSource {
    pub location: Location,
    pub encoding: Encoding,
    pub separator: u8,
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
    pub fn check(
        item: &Item<SourceSpec>,
        spec: &TerritoriesSourceSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let location = source::locate(
            item,
            "territories",
            spec.file.as_ref(),
            spec.url.as_ref(),
            spec.http.as_ref(),
            base,
        )
        .map_err(|p| problems.extend(p));
        let separator =
            source::separator(item, spec.separator.as_ref(), b';').map_err(|p| problems.push(p));
        match (location, separator) {
            (Ok(location), Ok(separator)) => Ok(TerritoriesSource {
                location,
                encoding: spec.encoding.unwrap_or(Encoding::Auto),
                separator,
            }),
            _ => Err(problems),
        }
    }

    pub fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let layout = Delimited {
            separator: self.separator,
            skip_lines: 0,
            footer_lines: 0,
        };
        let Some((table, file_label)) = source::read_table(
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
        let columns = match find_by_prefix(
            &table,
            &[
                CODE,
                NAME,
                PROVINCE_CODE,
                PROVINCE_NAME,
                REGION_CODE,
                REGION_NAME,
            ],
        ) {
            Ok(columns) => columns,
            Err(missing) => {
                for prefix in missing {
                    ingested.findings.push(
                        Finding::error(
                            "missing_column",
                            format!("no column starting with `{prefix}`: is this ISTAT's list of comuni?"),
                        )
                        .in_file(&file_label)
                        .in_column(prefix),
                    );
                }
                return Ok(ingested);
            }
        };
        let [
            code,
            name_column,
            province_code,
            province_name,
            region_code,
            region_name,
        ] = columns[..]
        else {
            return Ok(ingested);
        };
        let optional = |prefixes: &[&str]| {
            let headers: Vec<String> = table
                .headers()
                .iter()
                .map(|h| text::normalize_header(h))
                .collect();
            prefixes
                .iter()
                .find_map(|prefix| headers.iter().position(|h| h.starts_with(prefix)))
        };
        let (nuts2, nuts3) = (optional(NUTS2), optional(NUTS3));
        let expect = [
            (code, Level::Comune),
            (province_code, Level::Province),
            (region_code, Level::Region),
        ];
        'rows: for row in 0..table.row_count() {
            let mut codes = Vec::with_capacity(3);
            for (column, level) in expect {
                let raw = table.cell(column, row).unwrap_or_default();
                if level_of_istat_code(raw) != Some(level) {
                    ingested.findings.push(
                        Finding::error(
                            "not_an_istat_code",
                            format!("not a {} code as ISTAT writes it", level.label_it()),
                        )
                        .in_file(&file_label)
                        .at_row(row + 1)
                        .in_column(table.headers()[column].trim())
                        .with_value(raw),
                    );
                    continue 'rows;
                }
                codes.push(raw.to_owned());
            }
            let names: Vec<Option<&str>> = [name_column, province_name, region_name]
                .iter()
                .map(|&column| table.cell(column, row))
                .collect();
            let [Some(comune_name), Some(province), Some(region)] = names[..] else {
                ingested.findings.push(
                    Finding::error(
                        "missing_value",
                        "a name of the comune, its province or its region is empty",
                    )
                    .in_file(&file_label)
                    .at_row(row + 1),
                );
                continue;
            };
            ingested.comuni.push(ComuneEntry {
                code: codes[0].clone(),
                name: comune_name.to_owned(),
                province_code: codes[1].clone(),
                province_name: province.to_owned(),
                region_code: codes[2].clone(),
                region_name: region.to_owned(),
                nuts2: nuts2.and_then(|c| table.cell(c, row)).map(str::to_owned),
                nuts3: nuts3.and_then(|c| table.cell(c, row)).map(str::to_owned),
            });
        }
        Ok(ingested)
    }
}

fn find_by_prefix(
    table: &TextTable,
    prefixes: &[&'static str],
) -> std::result::Result<Vec<usize>, Vec<&'static str>> {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| text::normalize_header(h))
        .collect();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for prefix in prefixes {
        match headers.iter().position(|header| header.starts_with(prefix)) {
            Some(index) => found.push(index),
            None => missing.push(*prefix),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(missing)
    }
}
