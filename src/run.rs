//! A run: ingest every source, check the data, compute the indicators, validate the output
//! tables and, only when nothing blocks it, publish a release.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::clock::RunTime;
use crate::error::Result;
use crate::fetch::{FetchOptions, Fetcher, ShrinkCheck};
use crate::indicator::data::Data;
use crate::indicator::{self, Check, Indicator};
use crate::observation::{self, Observation};
use crate::plan::Plan;
use crate::publish::release::Release;
use crate::publish::{self, Format};
use crate::report::{Report, SourceSummary, Status};
use crate::site::{self, DatasetLink, Download, IndexPage};
use crate::source::padigitale::{self, PnrrProject};
use crate::source::project_records::{self, ProjectRecord};
use crate::source::{ComuneDefault, IngestContext, Source};
use crate::table::{Table, TableName};
use crate::territory::{CodeChange, ComuneEntry, Resolved, Territories};
use crate::text::format_it;
use crate::validate::{self, Finding, Severity, schema};

pub struct RunOptions {
    /// The folder under which `<pipeline-id>/` is published.
    pub output_root: PathBuf,
    pub run_time: RunTime,
    pub fetch: FetchOptions,
}

#[derive(Debug)]
pub enum Outcome {
    Published {
        release: PathBuf,
        report: Report,
    },
    /// Findings blocked publishing; nothing was written.
    Blocked {
        report: Report,
    },
}

/// Everything computed from the sources, before publishing.
pub struct Computed {
    pub report: Report,
    pub tables: Vec<Table>,
}

/// Ingests, checks and computes; publishes nothing.
pub fn compute(plan: &Plan, options: &RunOptions) -> Result<Computed> {
    let run_time = options.run_time;
    let mut findings: Vec<Finding> = Vec::new();
    let mut observations: Vec<Observation> = Vec::new();
    let mut comuni: Vec<ComuneEntry> = Vec::new();
    let mut projects: Vec<ProjectRecord> = Vec::new();
    let mut pnrr: Vec<PnrrProject> = Vec::new();
    let mut defaults: Vec<ComuneDefault> = Vec::new();
    let mut sources = Vec::new();
    let mut territory_list_ok = true;
    let fetcher = Fetcher::new(options.fetch.clone());
    let context = IngestContext { fetcher: &fetcher };
    for planned in &plan.sources {
        let ingested = planned.source.ingest(&planned.name, &context)?;
        for read in &ingested.read {
            let Some(remote) = &read.remote else { continue };
            if let ShrinkCheck::Shrank { previous, now } = fetcher.check_rows(remote, read.rows)? {
                findings.push(
                    Finding::error(
                        "source_shrank",
                        format!(
                            "{now} rows now against {previous} in the last accepted version, more than {}% fewer; \
                             if the publisher really removed them, run again with --accept-shrink",
                            (remote.max_shrink * 100.0).round()
                        ),
                    )
                    .in_file(&read.location),
                );
            }
        }
        sources.push(SourceSummary {
            name: planned.name.clone(),
            kind: planned.source.kind().to_owned(),
            location: planned.source.describe_location(),
            observations: ingested.observations.len(),
            comuni: ingested.comuni.len(),
            projects: ingested.projects.len() + ingested.pnrr_projects.len(),
            files: ingested.read.clone(),
        });
        if matches!(planned.source, Source::Territories(_))
            && (ingested.comuni.is_empty()
                || ingested
                    .findings
                    .iter()
                    .any(|f| f.severity == Severity::Error))
        {
            territory_list_ok = false;
        }
        findings.extend(ingested.findings);
        observations.extend(ingested.observations);
        comuni.extend(ingested.comuni);
        projects.extend(ingested.projects);
        pnrr.extend(ingested.pnrr_projects);
        defaults.extend(ingested.comune_defaults);
    }
    observation::sort(&mut observations);
    let (territories, unknown_members) = Territories::build(&comuni, &plan.unions);
    let pipeline_label = plan.pipeline_file.display().to_string();

    if !territory_list_ok {
        // Without the list of comuni every code would look unknown: say that once instead.
        findings.push(
            Finding::error(
                "no_territories",
                "the list of comuni could not be read (see above): territory codes were not checked and nothing was computed",
            )
            .in_file(&pipeline_label),
        );
        return Ok(blocked(
            plan,
            run_time,
            sources,
            &territories,
            &observations,
            findings,
        ));
    }
    let changes = match &plan.code_changes {
        Some(path) => read_code_changes(path, &mut findings)?,
        None => Vec::new(),
    };
    observations = harmonize(
        observations,
        &mut pnrr,
        &territories,
        &changes,
        &mut findings,
    );
    for unknown in unknown_members {
        findings.push(
            Finding::error(
                "unknown_member",
                format!(
                    "union `{}` lists {}, which is not in the list of comuni",
                    unknown.union, unknown.member
                ),
            )
            .in_file(&pipeline_label)
            .with_value(unknown.member),
        );
    }
    if let Some(focus) = &plan.focus
        && !territories.contains(focus)
    {
        findings.push(
            Finding::error(
                "unknown_territory",
                format!("the focus territory {focus} is not among the territories"),
            )
            .in_file(&pipeline_label)
            .with_value(focus.as_str()),
        );
    }
    findings.extend(check_projects(&projects, &territories, plan));
    let observation_findings = validate::check_observations(&observations, &territories);
    if plan.unknown_codes == crate::spec::UnknownCodes::Warning {
        // The pipeline accepts data about territories the list does not have (comuni created
        // after it): those rows are left out, and each is reported.
        observations.retain(|o| territories.contains(&o.territory));
        findings.extend(observation_findings.into_iter().map(|mut finding| {
            if finding.rule == "unknown_territory" {
                finding.severity = Severity::Warning;
                finding.message.push_str("; the row is left out");
            }
            finding
        }));
    } else {
        findings.extend(observation_findings);
    }
    if findings.iter().any(|f| f.severity == Severity::Error) {
        // Indicators computed from data known to be wrong would only add noise to the report.
        return Ok(blocked(
            plan,
            run_time,
            sources,
            &territories,
            &observations,
            findings,
        ));
    }

    let data = Data::new(
        &observations,
        &defaults,
        &territories,
        plan.aggregate.clone(),
    );
    let mut computed: Vec<(Indicator, indicator::Computed)> = Vec::new();
    let mut checks: Vec<Check> = Vec::new();
    for indicator in &plan.indicators {
        let mut result = indicator.compute(&data);
        findings.append(&mut result.findings);
        checks.append(&mut result.checks);
        computed.push((indicator.clone(), result));
    }
    checks.sort_by(|a, b| {
        (&a.indicator, &a.territory, &a.period).cmp(&(&b.indicator, &b.territory, &b.period))
    });

    let indicators_table = indicator::indicators_table(&computed, &data);
    let indicator_rows = indicators_table.row_count();
    let needed: BTreeSet<TableName> = plan.datasets.iter().map(|d| d.table).collect();
    let mut tables = Vec::new();
    for name in needed {
        let table = match name {
            TableName::Indicators => indicators_table.clone(),
            TableName::Observations => observation::to_table(&observations),
            TableName::Projects => project_records::projects_table(&projects),
            TableName::ProjectKpis => project_records::kpis_table(&projects),
            TableName::PnrrProjects => {
                let of_territories: Vec<&PnrrProject> = pnrr
                    .iter()
                    .filter(|p| territories.contains(&p.comune))
                    .collect();
                padigitale::projects_table(&of_territories)
            }
        };
        let schema = schema::schema_of(name)?;
        findings.extend(schema::validate(
            &table,
            &schema,
            &format!("output table `{}`", name.as_str()),
        )?);
        tables.push(table);
    }

    findings.sort();
    findings.dedup();
    let status = if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Blocked
    } else {
        Status::Published
    };
    let report = Report {
        pipeline: plan.id.clone(),
        run_time: run_time.iso(),
        status,
        sources,
        territories: territories.len(),
        observations: observations.len(),
        indicator_rows,
        checks,
        findings,
        outputs: Vec::new(),
    };
    Ok(Computed { report, tables })
}

/// Reads a file of code changes: `old_code,new_code,date` (comuni merged, renamed, moved).
fn read_code_changes(path: &Path, findings: &mut Vec<Finding>) -> Result<Vec<CodeChange>> {
    let label = path.display().to_string();
    let text = fs_err::read_to_string(path)?;
    let layout = crate::table::Delimited {
        separator: b',',
        skip_lines: 0,
        footer_lines: 0,
    };
    let Some(table) = crate::source::parse_table(&label, &text, layout, findings) else {
        return Ok(Vec::new());
    };
    let columns =
        match crate::source::find_columns(&label, &table, &["old_code", "new_code", "date"]) {
            Ok(columns) => columns,
            Err(missing) => {
                findings.extend(missing);
                return Ok(Vec::new());
            }
        };
    let mut changes = Vec::new();
    for row in 0..table.row_count() {
        let cell = |column: usize| {
            table
                .cell(columns[column], row)
                .unwrap_or_default()
                .to_owned()
        };
        let change = CodeChange {
            old: cell(0),
            new: cell(1),
            date: cell(2),
        };
        let valid = [&change.old, &change.new].iter().all(|code| {
            crate::territory::level_of_istat_code(code) == Some(crate::territory::Level::Comune)
        });
        if !valid {
            findings.push(
                Finding::error(
                    "not_a_comune_code",
                    "old_code and new_code are six-digit ISTAT comune codes",
                )
                .in_file(&label)
                .at_row(row + 1),
            );
            continue;
        }
        changes.push(change);
    }
    Ok(changes)
}

/// Brings every territory code to the registry's: NUTS codes to ISTAT codes, and codes of
/// comuni that changed to the codes of the list of comuni. Values of comuni merged into one
/// are summed, with a warning (the measures are counts; a code change under a ratio would be
/// wrong, and the warning says where it happened).
fn harmonize(
    observations: Vec<Observation>,
    pnrr: &mut [PnrrProject],
    territories: &Territories,
    changes: &[CodeChange],
    findings: &mut Vec<Finding>,
) -> Vec<Observation> {
    let mut renamed: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut merged: Vec<Observation> = Vec::with_capacity(observations.len());
    let mut index: std::collections::HashMap<(String, String, String), usize> =
        std::collections::HashMap::new();
    for mut observation in observations {
        let mut was_renamed = false;
        if let Resolved::Renamed { to, .. } = territories.resolve(&observation.territory, changes) {
            was_renamed = !territories.is_alias(&observation.territory);
            observation.territory = to;
        }
        let key = (
            observation.territory.clone(),
            observation.measure.clone(),
            observation.period.clone(),
        );
        if was_renamed {
            renamed.insert(key.clone());
        }
        match index.get(&key) {
            Some(&at) if renamed.contains(&key) && merged[at].unit == observation.unit => {
                merged[at].value += observation.value;
                findings.push(Finding::warning(
                    "merged_codes",
                    format!(
                        "`{}` in {}: values of comuni whose codes changed are summed into {}",
                        key.1, key.2, key.0
                    ),
                ));
            }
            _ => {
                index.insert(key, merged.len());
                merged.push(observation);
            }
        }
    }
    for project in pnrr.iter_mut() {
        if let Resolved::Renamed { to, .. } = territories.resolve(&project.comune, changes) {
            project.comune = to;
        }
    }
    observation::sort(&mut merged);
    merged
}

/// The report of a run that findings stopped before computing indicators.
fn blocked(
    plan: &Plan,
    run_time: RunTime,
    sources: Vec<SourceSummary>,
    territories: &Territories,
    observations: &[Observation],
    mut findings: Vec<Finding>,
) -> Computed {
    findings.sort();
    findings.dedup();
    Computed {
        report: Report {
            pipeline: plan.id.clone(),
            run_time: run_time.iso(),
            status: Status::Blocked,
            sources,
            territories: territories.len(),
            observations: observations.len(),
            indicator_rows: 0,
            checks: Vec::new(),
            findings,
            outputs: Vec::new(),
        },
        tables: Vec::new(),
    }
}

/// Project records must name known territories and declared challenges.
fn check_projects(
    projects: &[ProjectRecord],
    territories: &Territories,
    plan: &Plan,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for project in projects {
        for territory in &project.territories {
            if !territories.contains(territory) {
                findings.push(
                    Finding::error(
                        "unknown_territory",
                        format!(
                            "project `{}` names territory {territory}, which is not known",
                            project.id
                        ),
                    )
                    .in_column("territories")
                    .with_value(territory.as_str()),
                );
            }
        }
        for challenge in &project.challenges {
            if !plan.challenges.is_empty() && !plan.challenges.contains_key(challenge) {
                findings.push(
                    Finding::error(
                        "unknown_challenge",
                        format!("project `{}` names challenge {challenge}, which the pipeline does not declare", project.id),
                    )
                    .in_column("challenges"),
                );
            }
        }
    }
    findings
}

/// Runs the pipeline and publishes a release when no finding blocks it.
pub fn run(plan: &Plan, options: &RunOptions) -> Result<Outcome> {
    let Computed { mut report, tables } = compute(plan, options)?;
    if report.status == Status::Blocked {
        return Ok(Outcome::Blocked { report });
    }
    let root = options.output_root.join(&plan.id);
    let release = Release::begin(&root, &options.run_time.run_id())?;
    match write_release(plan, &tables, &mut report, release.dir(), options.run_time) {
        Ok(()) => {
            let release_dir = release.commit()?;
            Ok(Outcome::Published {
                release: release_dir,
                report,
            })
        }
        Err(error) => {
            // The partial folder is never current; removing it is tidiness, not safety.
            let _ = release.abandon();
            Err(error)
        }
    }
}

fn write_release(
    plan: &Plan,
    tables: &[Table],
    report: &mut Report,
    dir: &Path,
    run_time: RunTime,
) -> Result<()> {
    fs_err::create_dir_all(dir.join("data"))?;
    let mut links = Vec::new();
    for dataset in &plan.datasets {
        let Some(table) = tables.iter().find(|t| t.name == dataset.table) else {
            continue;
        };
        let mut downloads = Vec::new();
        for format in Format::ALL {
            let relative = format!("data/{}.{}", dataset.name, format.extension());
            format.write(table, &dir.join(&relative))?;
            let file = publish::describe_file(dir, &relative)?;
            downloads.push(Download {
                format: format.label().to_owned(),
                href: relative,
                size: publish::size_it(file.bytes),
                sha256: file.sha256.clone(),
            });
            report.outputs.push(file);
        }
        links.push(DatasetLink {
            name: dataset.name.clone(),
            title: dataset.title.clone(),
            description: dataset.description.clone(),
            rows: table.row_count(),
            downloads,
        });
    }
    let page = IndexPage {
        title: plan.title.clone(),
        description: plan.description.clone(),
        publisher: plan.publisher.clone(),
        updated: run_time.italian(),
        datasets: links,
        checks: report
            .checks
            .iter()
            .map(|check| check_it(check, plan))
            .collect(),
    };
    fs_err::write(dir.join("index.html"), site::render_index(&page)?)?;
    report
        .outputs
        .push(publish::describe_file(dir, "index.html")?);
    fs_err::write(dir.join("report.json"), report.to_json())?;
    Ok(())
}

/// A check as one Italian sentence for the index page.
fn check_it(check: &Check, plan: &Plan) -> String {
    let label = plan
        .indicators
        .iter()
        .find(|i| i.name == check.indicator)
        .map(|i| (i.label.as_str(), i.decimals))
        .unwrap_or((check.indicator.as_str(), 2));
    let mut sentence = format!(
        "{} ({}, {}): ricalcolato {}",
        label.0,
        check.territory,
        check.period,
        format_it(check.computed, label.1)
    );
    if let (Some(numerator), Some(denominator)) = (check.numerator, check.denominator) {
        sentence.push_str(&format!(
            " da {} su {}",
            format_it(numerator, decimals_needed(numerator)),
            format_it(denominator, decimals_needed(denominator))
        ));
        if let Some(denominator_label) = &check.denominator_label {
            sentence.push_str(&format!(" ({denominator_label})"));
        }
    }
    sentence.push_str(&format!(
        ", pubblicato {}: {}",
        format_it(check.published, label.1),
        if check.agrees {
            "concorda"
        } else {
            "non concorda"
        }
    ));
    if let Some(implied) = check.implied_denominator {
        sentence.push_str(&format!(
            "; il valore pubblicato implica un denominatore di circa {}",
            format_it(implied, 0)
        ));
    }
    if !check.agrees
        && let Some(note) = &check.note
    {
        sentence.push_str(&format!(". {note}"));
    }
    sentence
}

fn decimals_needed(value: f64) -> u8 {
    if value.fract() == 0.0 { 0 } else { 2 }
}
