//! A run: ingest every source, check the data, compute the indicators, validate the output
//! tables and, only when nothing blocks it, publish a release.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::clock::RunTime;
use crate::error::Result;
use crate::fetch::{FetchOptions, Fetcher};
use crate::fields;
use crate::indicator::data::Data;
use crate::indicator::{self, Check, Indicator};
use crate::log::Logger;
use crate::observation::{self, Observation};
use crate::plan::Plan;
use crate::publish::datapackage::{self, Resource};
use crate::publish::dcat::{self, CatalogState, DatasetRecord, FileRecord};
use crate::publish::release::Release;
use crate::publish::{self, Format};
use crate::report::{Report, SourceSummary, Status};
use crate::site::{self, ColumnDoc, DatasetPage, Download, Link, Origin, SiteInput};
use crate::source::ComuneDefault;
use crate::source::padigitale::{self, Projects as PnrrProjects};
use crate::source::project_records::{self, ProjectRecord};
use crate::stage::SourceRun;
use crate::stage::{self, Reason};
use crate::table::{Table, TableName};
use crate::territory::{CodeChange, ComuneEntry, Resolved, Territories};
use crate::text::format_it;
use crate::validate::{self, Finding, Severity, schema};

pub struct RunOptions {
    /// The folder under which `<pipeline-id>/` is published.
    pub output_root: PathBuf,
    pub run_time: RunTime,
    pub fetch: FetchOptions,
    /// Run every stage, whatever its fingerprint.
    pub force: bool,
    pub logger: Logger,
}

#[derive(Debug)]
pub enum Outcome {
    Published {
        release: PathBuf,
        report: Report,
        summary: Summary,
    },
    /// Findings blocked publishing; nothing was written.
    Blocked { report: Report, summary: Summary },
    /// The inputs, the pipeline and the tool are those of the current release.
    NothingToDo { current: PathBuf, summary: Summary },
}

/// The one line a run ends with.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub stages_run: Vec<String>,
    pub stages_skipped: Vec<String>,
    pub rows_in: usize,
    pub rows_out: usize,
    pub files_published: usize,
    pub seconds: f64,
    /// Where the time went, for operators and benchmarks: seconds since the start of the run
    /// at the end of `ingest`, `compute` (indicators and validation), `data` (CSV, Parquet,
    /// catalog and data package), `pages` and `switch` (the release made current).
    pub seconds_at: BTreeMap<&'static str, f64>,
}

impl Summary {
    pub fn from_runs(runs: &[SourceRun]) -> Summary {
        let mut summary = Summary::default();
        for run in runs {
            let stage = format!("source.{}", run.name);
            if run.reason == Reason::Unchanged {
                summary.stages_skipped.push(stage);
            } else {
                summary.stages_run.push(stage);
            }
            summary.rows_in += run.ingested.read.iter().map(|r| r.rows).sum::<usize>();
        }
        summary
    }

    pub fn line(&self) -> String {
        format!(
            "{} stages run, {} skipped; {} rows in, {} rows out; {} files published; {:.2} s",
            self.stages_run.len(),
            self.stages_skipped.len(),
            self.rows_in,
            self.rows_out,
            self.files_published,
            self.seconds
        )
    }
}

/// Everything computed from the sources, before publishing.
pub struct Computed {
    pub report: Report,
    pub tables: Vec<Table>,
    /// The territories the release is about, for the catalog's spatial coverage: the focus
    /// (a union's comuni), or Italy.
    pub spatial: Vec<(String, String)>,
    /// What the pages are made of.
    pub site: SiteData,
}

/// The computed data the citizens' pages show.
#[derive(Default)]
pub struct SiteData {
    pub rows: Vec<indicator::IndicatorRow>,
    pub territories: Territories,
    pub projects: Vec<ProjectRecord>,
    /// Funded PA digitale 2026 applications of the known comuni.
    pub pnrr: PnrrProjects,
}

/// Checks the ingested data and computes the indicators; publishes nothing.
pub fn compute(plan: &Plan, run_time: RunTime, runs: Vec<SourceRun>) -> Result<Computed> {
    let mut findings: Vec<Finding> = Vec::new();
    // Sized once: a national source gives a hundred thousand observations, and growing the
    // list step by step copies them again and again.
    let mut observations: Vec<Observation> =
        Vec::with_capacity(runs.iter().map(|r| r.ingested.observations.len()).sum());
    let mut comuni: Vec<ComuneEntry> = Vec::new();
    let mut projects: Vec<ProjectRecord> = Vec::new();
    let mut pnrr_parts: Vec<PnrrProjects> = Vec::new();
    let mut defaults: Vec<ComuneDefault> = Vec::new();
    let mut sources = Vec::new();
    let mut territory_list_ok = true;
    for run in runs {
        let ingested = run.ingested;
        sources.push(SourceSummary {
            name: run.name.clone(),
            kind: run.kind.to_owned(),
            label: run.label.to_owned(),
            location: run.location.clone(),
            observations: ingested.observations.len(),
            comuni: ingested.comuni.len(),
            projects: ingested.projects.len() + ingested.pnrr_projects.len(),
            files: ingested.read.clone(),
            fingerprint: run.fingerprint.clone(),
            reason: run.reason,
        });
        if run.kind == "territories"
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
        pnrr_parts.push(ingested.pnrr_projects);
        defaults.extend(ingested.comune_defaults);
    }
    let mut pnrr = PnrrProjects::concat(pnrr_parts)?;
    let (territories, unknown_members) = Territories::build(&comuni, &plan.unions);
    drop(comuni);
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
    )?;
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
    if plan.site.accessibility_statement.is_none() {
        findings.push(
            Finding::warning(
                "no_accessibility_statement",
                "[site] accessibility_statement is missing: the pages cannot link the Dichiarazione di accessibilità that public administrations must publish",
            )
            .in_file(&pipeline_label),
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

    let needed: BTreeSet<TableName> = plan.datasets.iter().map(|d| d.table).collect();
    // The funded applications are filtered, sorted and checked on the other core while the
    // indicators are computed: the two share nothing.
    let pnrr_job = needed.contains(&TableName::PnrrProjects).then(|| {
        let all = std::mem::take(&mut pnrr);
        let codes: HashSet<String> = territories.iter().map(|t| t.code.clone()).collect();
        std::thread::spawn(move || -> Result<(PnrrProjects, Table, Vec<Finding>)> {
            let kept = all.of_comuni(|code| codes.contains(code))?;
            let table = kept.table();
            let findings = check_table(&table)?;
            Ok((kept, table, findings))
        })
    });
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

    let rows = indicator::indicator_rows(&computed, &data);
    // Freed before the tables are made: a grown run's points and index are gigabytes.
    drop((computed, data));
    let indicator_rows = rows.len();
    // The observations are dropped once their table is made: both are gigabytes at scale.
    let observation_count = observations.len();
    let mut observations_table = needed
        .contains(&TableName::Observations)
        .then(|| observation::to_table(&observations));
    drop(observations);
    let mut tables = Vec::new();
    let mut pnrr_job = pnrr_job;
    for &name in &needed {
        let table = match name {
            TableName::Indicators => indicator::indicators_table(&rows),
            TableName::Observations => observations_table.take().ok_or_else(|| {
                crate::error::Error::table("output table `observations`", "not built")
            })?,
            TableName::Projects => project_records::projects_table(&projects),
            TableName::ProjectKpis => project_records::kpis_table(&projects),
            TableName::PnrrProjects => {
                let job = pnrr_job.take().ok_or_else(|| {
                    crate::error::Error::table("output table `pnrr_projects`", "not built")
                })?;
                let (kept, table, table_findings) = crate::parallel::join(job)?;
                pnrr = kept;
                findings.extend(table_findings);
                tables.push(table);
                continue;
            }
        };
        findings.extend(check_table(&table)?);
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
        observations: observation_count,
        indicator_rows,
        checks,
        findings,
        outputs: Vec::new(),
    };
    let spatial = spatial_coverage(plan, &territories);
    if !needed.contains(&TableName::PnrrProjects) {
        pnrr = PnrrProjects::default();
    }
    Ok(Computed {
        report,
        tables,
        spatial,
        site: SiteData {
            rows,
            territories,
            projects,
            pnrr,
        },
    })
}

/// Checks an output table against its schema.
fn check_table(table: &Table) -> Result<Vec<Finding>> {
    let schema = schema::schema_of(table.name)?;
    schema::validate(
        table,
        &schema,
        &format!("output table `{}`", table.name.as_str()),
    )
}

/// The focus territory (a union as its comuni, which the national registers know), or Italy
/// when the pipeline has no focus. A province, region or Italy is itself: listed as its
/// comuni, a national catalog would name every comune of Italy.
fn spatial_coverage(plan: &Plan, territories: &Territories) -> Vec<(String, String)> {
    let codes: Vec<String> = match &plan.focus {
        Some(focus)
            if territories
                .get(focus)
                .is_some_and(|t| t.level == crate::territory::Level::Union) =>
        {
            territories.members(focus).to_vec()
        }
        Some(focus) => vec![focus.clone()],
        None => vec![crate::territory::ITALY.to_owned()],
    };
    codes
        .into_iter()
        .filter_map(|code| {
            territories
                .get(&code)
                .map(|t| (t.code.clone(), t.name.clone()))
        })
        .collect()
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
    mut observations: Vec<Observation>,
    pnrr: &mut PnrrProjects,
    territories: &Territories,
    changes: &[CodeChange],
    findings: &mut Vec<Finding>,
) -> Result<Vec<Observation>> {
    // Territory, measure and period.
    type Key = (Arc<str>, Arc<str>, Arc<str>);
    let mut renamed: HashSet<Key> = HashSet::new();
    let mut index: FxHashMap<Key, usize> = FxHashMap::default();
    // One warning for all merges: a national file has thousands of them.
    let mut summed_into: BTreeMap<String, usize> = BTreeMap::new();
    // Territories and periods where merged comuni' measures adopted must be counted again.
    let mut recount: BTreeSet<(Arc<str>, Arc<str>)> = BTreeSet::new();
    // Each code is resolved once: resolving a changed code scans the list of changes, and a
    // national file repeats the same codes thousands of times.
    let mut resolved: FxHashMap<String, Option<Arc<str>>> = FxHashMap::default();
    let mut renamed_to = |code: &str| -> Option<Arc<str>> {
        if let Some(known) = resolved.get(code) {
            return known.clone();
        }
        let target = match territories.resolve(code, changes) {
            Resolved::Renamed { to, .. } => Some(Arc::from(to)),
            Resolved::Known | Resolved::Unknown => None,
        };
        resolved.insert(code.to_owned(), target.clone());
        target
    };
    // Only a renamed value can meet another of the same territory, measure and period: the
    // values of other territories go through untouched.
    let mut was_renamed = vec![false; observations.len()];
    let mut touched: HashSet<Arc<str>> = HashSet::new();
    // Sources give a territory's values one after the other, with one shared code.
    let mut last: Option<(Arc<str>, Option<Arc<str>>)> = None;
    for (observation, was_renamed) in observations.iter_mut().zip(was_renamed.iter_mut()) {
        let to = match &last {
            Some((code, to)) if Arc::ptr_eq(code, &observation.territory) => to.clone(),
            _ => {
                let to = renamed_to(&observation.territory);
                last = Some((Arc::clone(&observation.territory), to.clone()));
                to
            }
        };
        if let Some(to) = to {
            *was_renamed = !territories.is_alias(&observation.territory);
            observation.territory = to;
            touched.insert(Arc::clone(&observation.territory));
        }
    }
    // Merged in place: the observations of a grown run are gigabytes, a second list as much.
    let mut kept = 0;
    for at in 0..observations.len() {
        if !touched.contains(&observations[at].territory) {
            observations.swap(kept, at);
            kept += 1;
            continue;
        }
        let observation = &observations[at];
        let key = (
            Arc::clone(&observation.territory),
            Arc::clone(&observation.measure),
            Arc::clone(&observation.period),
        );
        if was_renamed[at] {
            renamed.insert(key.clone());
        }
        match index.get(&key) {
            Some(&into)
                if renamed.contains(&key) && observations[into].unit == observation.unit =>
            {
                let (value, flag) = (
                    observation.value,
                    &*observation.unit == padigitale::FLAG_UNIT,
                );
                let target = &mut observations[into];
                if flag {
                    target.value = target.value.max(value);
                } else {
                    target.value += value;
                }
                recount.insert((Arc::clone(&key.0), Arc::clone(&key.2)));
                *summed_into.entry(key.0.to_string()).or_default() += 1;
            }
            _ => {
                index.insert(key, kept);
                observations.swap(kept, at);
                kept += 1;
            }
        }
    }
    observations.truncate(kept);
    // A measure adopted by two comuni that merged counts once for the merged comune.
    for (territory, period) in recount {
        let value_of = |measure: &str| {
            index
                .get(&(territory.clone(), Arc::from(measure), period.clone()))
                .map(|&at| observations[at].value)
        };
        let adopted = padigitale::counted_measures()
            .filter(|measure| value_of(measure).is_some_and(|v| v >= 1.0))
            .count();
        let key = (
            territory.clone(),
            Arc::from(padigitale::MEASURES_ADOPTED),
            period.clone(),
        );
        if let Some(&at) = index.get(&key) {
            observations[at].value = adopted as f64;
        }
    }
    if !summed_into.is_empty() {
        const LISTED: usize = 20;
        let values: usize = summed_into.values().sum();
        let mut listed: Vec<String> = summed_into
            .iter()
            .take(LISTED)
            .map(|(code, count)| format!("{code} ({count})"))
            .collect();
        if summed_into.len() > LISTED {
            listed.push(format!("and {} more", summed_into.len() - LISTED));
        }
        findings.push(Finding::warning(
            "merged_codes",
            format!(
                "{values} values of comuni whose codes changed are summed into the values of {} \
                 comuni of the list: {}",
                summed_into.len(),
                listed.join(", ")
            ),
        ));
    }
    pnrr.rename_comuni(|code| renamed_to(code).map(|to| to.to_string()))?;
    observation::sort(&mut observations);
    Ok(observations)
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
        spatial: Vec::new(),
        site: SiteData::default(),
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
    let logger = &options.logger;
    let root = options.output_root.join(&plan.id);
    let _lock = crate::lock::acquire(&root)?;
    let fetcher = Fetcher::new(options.fetch.clone());
    let (runs, keeping) = stage::ingest(
        plan,
        &options.output_root,
        &fetcher,
        logger,
        options.force,
        None,
    )?;
    let mut summary = Summary::from_runs(&runs);
    summary.seconds_at.insert("ingest", logger.elapsed());
    let fingerprints: Vec<(String, String)> = runs
        .iter()
        .map(|r| (r.name.clone(), r.fingerprint.clone()))
        .collect();
    let fingerprint = stage::publish_fingerprint(plan, &fingerprints)?;
    let current_dir = root.join(crate::publish::release::CURRENT);
    let current = Provenance::fingerprint_of(&current_dir);
    if !options.force && current.as_deref() == Some(fingerprint.as_str()) {
        summary.stages_skipped.push("publish".into());
        summary.seconds = logger.elapsed();
        logger.info(
            "publish",
            "skipped: nothing to do, the current release is up to date",
            fields! { "fingerprint" => fingerprint },
        );
        return Ok(Outcome::NothingToDo {
            current: current_dir,
            summary,
        });
    }
    let reason = if options.force {
        Reason::Forced
    } else if current.is_none() {
        Reason::New
    } else if runs.iter().any(|r| r.reason != Reason::Unchanged) {
        Reason::ChangedInput
    } else {
        Reason::ChangedSpec
    };
    logger.info(
        "publish",
        reason.describe(),
        fields! { "fingerprint" => fingerprint },
    );
    summary.stages_run.push("publish".into());
    let Computed {
        mut report,
        tables,
        spatial,
        site: site_data,
    } = compute(plan, options.run_time, runs)?;
    summary.seconds_at.insert("compute", logger.elapsed());
    if report.status == Status::Blocked {
        summary.seconds = logger.elapsed();
        return Ok(Outcome::Blocked { report, summary });
    }
    let previous = CatalogState::read(&current_dir);
    let release = Release::begin(&root, &options.run_time.run_id())?;
    let contents = Contents {
        tables: &tables,
        spatial: &spatial,
        site: &site_data,
        previous: &previous,
        fingerprint: &fingerprint,
    };
    let written = write_release(
        plan,
        &contents,
        &mut report,
        release.dir(),
        options.run_time,
        &mut || logger.elapsed(),
    );
    match written {
        Ok(marks) => {
            summary.seconds_at.extend(marks);
            // The sources' results are kept before the release they made becomes current.
            if let Err(error) = keeping.finish() {
                let _ = release.abandon();
                return Err(error);
            }
            let release_dir = release.commit()?;
            summary.seconds_at.insert("switch", logger.elapsed());
            for pruned in crate::publish::release::prune(&root, plan.keep_releases)? {
                logger.info(
                    "publish",
                    &format!("removed the old release {pruned}"),
                    fields! { "release" => pruned },
                );
            }
            summary.rows_out = tables.iter().map(Table::row_count).sum();
            summary.files_published = report.outputs.len();
            summary.seconds = logger.elapsed();
            Ok(Outcome::Published {
                release: release_dir,
                report,
                summary,
            })
        }
        Err(error) => {
            // The partial folder is never current; removing it is tidiness, not safety.
            let _ = release.abandon();
            Err(error)
        }
    }
}

/// `provenance.json`: where every input came from and what every output is, by checksum.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Provenance {
    pub tool: String,
    pub run_time: String,
    pub pipeline: PipelineProvenance,
    /// The publish stage's fingerprint: a run with the same one has nothing to do.
    pub fingerprint: String,
    pub sources: Vec<SourceProvenance>,
    pub outputs: Vec<crate::report::OutputFile>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PipelineProvenance {
    pub file: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SourceProvenance {
    pub name: String,
    pub kind: String,
    /// What the source is, in Italian.
    pub label: String,
    pub fingerprint: String,
    pub files: Vec<FileProvenance>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FileProvenance {
    pub location: String,
    /// When the bytes were downloaded (URLs) or read (files).
    pub retrieved_at: String,
    pub bytes: u64,
    pub sha256: String,
    pub rows: usize,
}

pub const PROVENANCE_FILE: &str = "provenance.json";

impl Provenance {
    /// The fingerprint of a release, when it has a readable provenance.
    pub fn fingerprint_of(release: &Path) -> Option<String> {
        let text = fs_err::read_to_string(release.join(PROVENANCE_FILE)).ok()?;
        serde_json::from_str::<Provenance>(&text)
            .ok()
            .map(|p| p.fingerprint)
    }

    fn of(
        plan: &Plan,
        sources: Vec<SourceProvenance>,
        report: &Report,
        fingerprint: &str,
        run_time: RunTime,
    ) -> Provenance {
        Provenance {
            tool: stage::TOOL.to_owned(),
            run_time: run_time.iso(),
            pipeline: PipelineProvenance {
                file: plan.pipeline_file.display().to_string(),
                sha256: plan.config_sha256.clone(),
            },
            fingerprint: fingerprint.to_owned(),
            sources,
            outputs: report.outputs.clone(),
        }
    }

    /// Where each source's bytes came from; a local file's time is the run's.
    fn sources(report: &Report, run_time: RunTime) -> Vec<SourceProvenance> {
        report
            .sources
            .iter()
            .map(|source| SourceProvenance {
                name: source.name.clone(),
                kind: source.kind.clone(),
                label: source.label.clone(),
                fingerprint: source.fingerprint.clone(),
                files: source
                    .files
                    .iter()
                    .map(|file| FileProvenance {
                        location: file.location.clone(),
                        retrieved_at: file.retrieved_at.clone().unwrap_or_else(|| run_time.iso()),
                        bytes: file.bytes,
                        sha256: file.sha256.clone(),
                        rows: file.rows,
                    })
                    .collect(),
            })
            .collect()
    }
}

/// What a release is written from.
struct Contents<'a> {
    tables: &'a [Table],
    spatial: &'a [(String, String)],
    site: &'a SiteData,
    /// The current release's catalog state, for stable modification dates.
    previous: &'a CatalogState,
    fingerprint: &'a str,
}

fn write_release(
    plan: &Plan,
    contents: &Contents,
    report: &mut Report,
    dir: &Path,
    run_time: RunTime,
    clock: &mut dyn FnMut() -> f64,
) -> Result<[(&'static str, f64); 2]> {
    let Contents {
        tables,
        spatial,
        site: site_data,
        previous,
        fingerprint,
    } = *contents;
    fs_err::create_dir_all(dir.join("data"))?;
    let today = &run_time.iso()[..10];
    let origins = Provenance::sources(report, run_time);
    let mut pages = Vec::new();
    let mut records = Vec::new();
    let mut resources = Vec::new();
    let mut state = CatalogState::default();
    let published: Vec<(&crate::plan::Dataset, &Table)> = plan
        .datasets
        .iter()
        .filter_map(|dataset| {
            let table = tables.iter().find(|t| t.name == dataset.table)?;
            Some((dataset, table))
        })
        .collect();
    // Every data file at once, side by side: they are independent and each writer uses
    // one core for most of its work.
    let jobs: Vec<(&Table, Format, String)> = published
        .iter()
        .flat_map(|&(dataset, table)| {
            Format::ALL.into_iter().map(move |format| {
                let relative = format!("data/{}.{}", dataset.name, format.extension());
                (table, format, relative)
            })
        })
        .collect();
    let described = crate::parallel::map(&jobs, true, |(table, format, relative)| {
        format.write(table, &dir.join(relative))?;
        publish::describe_file(dir, relative)
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    crate::pause::point("publish.parquet");
    // In the order of the jobs: dataset by dataset, every format of each.
    let mut described = described.into_iter();
    for (dataset, table) in published {
        let mut downloads = Vec::new();
        let mut files = Vec::new();
        for (format, file) in Format::ALL.into_iter().zip(described.by_ref()) {
            let relative = file.path.clone();
            downloads.push(Download {
                format: format.label().to_owned(),
                href: relative.clone(),
                size: publish::size_it(file.bytes),
                sha256: file.sha256.clone(),
            });
            files.push(FileRecord {
                format,
                path: relative,
                bytes: file.bytes,
                sha256: file.sha256.clone(),
            });
            report.outputs.push(file);
        }
        let csv = &files[0];
        resources.push(Resource {
            name: &dataset.name,
            title: &dataset.title,
            description: dataset.description.as_deref(),
            table: dataset.table,
            path: csv.path.clone(),
            bytes: csv.bytes,
            sha256: csv.sha256.clone(),
        });
        if let Some(metadata) = &dataset.metadata {
            let dates = previous.dates(&dataset.name, &csv.sha256, today);
            state.datasets.insert(dataset.name.clone(), dates.clone());
            records.push(DatasetRecord {
                dataset,
                metadata,
                files,
                modified: dates.modified,
                issued: dates.issued,
                temporal: temporal_coverage(table),
                spatial: spatial.to_vec(),
                landing_page: format!("dataset/{}.html", dataset.name),
            });
        }
        pages.push(dataset_page(
            plan,
            dataset,
            table,
            downloads,
            &report.sources,
            &origins,
        )?);
    }
    let mut catalog_files = Vec::new();
    if let Some(catalog) = &plan.catalog {
        // The catalog changes when a dataset does: its date is the latest of theirs.
        let modified = records
            .iter()
            .map(|r| r.modified.clone())
            .max()
            .unwrap_or_else(|| today.to_owned());
        let triples = dcat::build(catalog, &plan.id, &records, &modified);
        dcat::write(dir, &triples)?;
        for (name, _) in dcat::FILES {
            report.outputs.push(publish::describe_file(dir, name)?);
            catalog_files.push(name.to_owned());
        }
        let text = serde_json::to_string_pretty(&state)
            .map_err(|e| crate::error::Error::table("writing the catalog state", e))?;
        fs_err::write(dir.join(dcat::STATE_FILE), text + "\n")?;
    }
    let package = datapackage::build(
        plan,
        plan.catalog.as_ref().map(|c| c.license),
        &report.sources,
        &resources,
    )?;
    let text = serde_json::to_string_pretty(&package)
        .map_err(|e| crate::error::Error::table("writing datapackage.json", e))?;
    report.outputs.push(publish::write_file(
        dir,
        datapackage::FILE,
        (text + "\n").as_bytes(),
    )?);
    let data_done = clock();
    let input = SiteInput {
        plan,
        run_time,
        rows: &site_data.rows,
        territories: &site_data.territories,
        projects: &site_data.projects,
        pnrr: &site_data.pnrr,
        datasets: pages,
        checks: report
            .checks
            .iter()
            .map(|check| check_it(check, plan, &site_data.territories))
            .collect(),
        catalog_files,
    };
    report.outputs.extend(
        site::write(dir, &input)?
            .into_iter()
            .filter(|file| file.path.ends_with(".html")),
    );
    let text = report.to_json();
    report
        .outputs
        .push(publish::write_file(dir, "report.json", text.as_bytes())?);
    let provenance = Provenance::of(plan, origins, report, fingerprint, run_time);
    let text = serde_json::to_string_pretty(&provenance)
        .map_err(|e| crate::error::Error::table("writing provenance.json", e))?;
    fs_err::write(dir.join(PROVENANCE_FILE), text + "\n")?;
    Ok([("data", data_done), ("pages", clock())])
}

/// What a dataset's page shows: its metadata, columns from the schema, the first rows.
fn dataset_page(
    plan: &Plan,
    dataset: &crate::plan::Dataset,
    table: &Table,
    downloads: Vec<Download>,
    sources: &[SourceSummary],
    origins: &[SourceProvenance],
) -> Result<DatasetPage> {
    const PREVIEW: usize = 10;
    let schema = schema::schema_of(dataset.table)?;
    let columns = schema
        .fields
        .iter()
        .map(|field| ColumnDoc {
            name: field.name.clone(),
            title: field.title.clone(),
            kind: match field.field_type {
                schema::FieldType::String => "testo",
                schema::FieldType::Number => "numero",
                schema::FieldType::Integer => "numero intero",
            }
            .to_owned(),
            description: field.description.clone(),
        })
        .collect();
    let preview_rows = (0..table.row_count().min(PREVIEW))
        .map(|row| {
            table
                .columns
                .iter()
                .map(|c| c.values.display(row).unwrap_or_default())
                .collect()
        })
        .collect();
    let license = dataset
        .metadata
        .as_ref()
        .map(|m| m.license)
        .or(plan.catalog.as_ref().map(|c| c.license))
        .unwrap_or(crate::metadata::License::CcBy40);
    // The sources a table names row by row, or else the pipeline's.
    let named: BTreeSet<String> = table
        .column("source")
        .map(|column| {
            (0..column.values.len())
                .filter_map(|row| column.values.display(row))
                .flat_map(|text| text.split("; ").map(str::to_owned).collect::<Vec<_>>())
                .collect()
        })
        .unwrap_or_default();
    let sources = if named.is_empty() {
        sources
            .iter()
            .map(|s| format!("{} ({})", s.name, s.location))
            .collect()
    } else {
        named.into_iter().collect()
    };
    Ok(DatasetPage {
        name: dataset.name.clone(),
        title: dataset.title.clone(),
        description: dataset.description.clone(),
        rows: table.row_count(),
        downloads,
        columns,
        preview_rows,
        license: Link {
            href: license.url().to_owned(),
            label: license.name_it().to_owned(),
        },
        themes: dataset
            .metadata
            .as_ref()
            .map(|m| {
                m.themes
                    .iter()
                    .map(|t| crate::metadata::theme_label(t).to_owned())
                    .collect()
            })
            .unwrap_or_default(),
        frequency: dataset
            .metadata
            .as_ref()
            .map(|m| crate::metadata::frequency_label(&m.frequency).to_owned()),
        keywords: dataset
            .metadata
            .as_ref()
            .map(|m| m.keywords.clone())
            .unwrap_or_default(),
        identifier: plan
            .catalog
            .as_ref()
            .map(|c| dcat::identifier(c, &plan.id, &dataset.name)),
        sources,
        origins: origins_of(dataset.table, origins),
    })
}

/// The input files a table is made from, as its page lists them: a local file by its name,
/// a download by its address, each with the date it was read.
fn origins_of(table: TableName, sources: &[SourceProvenance]) -> Vec<Origin> {
    let feeds = |kind: &str| match table {
        TableName::Projects | TableName::ProjectKpis => {
            matches!(kind, "project_records" | "territories")
        }
        TableName::PnrrProjects => matches!(kind, "padigitale" | "territories"),
        TableName::Indicators | TableName::Observations => true,
    };
    sources
        .iter()
        .filter(|source| feeds(&source.kind))
        .flat_map(|source| {
            source.files.iter().map(|file| {
                let remote =
                    file.location.starts_with("http://") || file.location.starts_with("https://");
                Origin {
                    source: source.name.clone(),
                    label: source.label.clone(),
                    file: if remote {
                        file.location.clone()
                    } else {
                        Path::new(&file.location)
                            .file_name()
                            .map_or_else(|| file.location.clone(), |n| n.to_string_lossy().into())
                    },
                    href: remote.then(|| file.location.clone()),
                    date: RunTime::parse(&file.retrieved_at)
                        .map_or_else(|| file.retrieved_at.clone(), RunTime::date_it),
                    downloaded: remote,
                    size: publish::size_it(file.bytes),
                    sha256: file.sha256.clone(),
                }
            })
        })
        .collect()
}

/// The first and last day the rows of a table cover, from its `period`, `year` or
/// `funded_on` column (years, months and dates).
fn temporal_coverage(table: &Table) -> Option<(String, String)> {
    let column = ["period", "year", "funded_on"]
        .iter()
        .find_map(|name| table.column(name))?;
    let mut first: Option<String> = None;
    let mut last: Option<String> = None;
    for row in 0..column.values.len() {
        let Some(text) = column.values.display(row) else {
            continue;
        };
        let Some((start, end)) = period_bounds(&text) else {
            continue;
        };
        if first.as_ref().is_none_or(|f| start < *f) {
            first = Some(start);
        }
        if last.as_ref().is_none_or(|l| end > *l) {
            last = Some(end);
        }
    }
    first.zip(last)
}

/// "2021" -> 2021-01-01..2021-12-31; "2021-03" -> the month; "2021-03-04" -> the day.
fn period_bounds(period: &str) -> Option<(String, String)> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = period.split('-').collect();
    match parts[..] {
        [year] if year.len() == 4 && digits(year) => {
            Some((format!("{year}-01-01"), format!("{year}-12-31")))
        }
        [year, month] if year.len() == 4 && digits(year) && month.len() == 2 && digits(month) => {
            let last_day = match month {
                "02" => {
                    let y: i32 = year.parse().ok()?;
                    if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                        29
                    } else {
                        28
                    }
                }
                "04" | "06" | "09" | "11" => 30,
                _ => 31,
            };
            Some((
                format!("{year}-{month}-01"),
                format!("{year}-{month}-{last_day}"),
            ))
        }
        [year, month, day]
            if year.len() == 4
                && month.len() == 2
                && day.len() == 2
                && parts.iter().all(|p| digits(p)) =>
        {
            Some((period.to_owned(), period.to_owned()))
        }
        _ => None,
    }
}

/// A check as one Italian sentence for the index page.
fn check_it(check: &Check, plan: &Plan, territories: &Territories) -> String {
    let label = plan
        .indicators
        .iter()
        .find(|i| i.name == check.indicator)
        .map(|i| (i.label.as_str(), i.decimals))
        .unwrap_or((check.indicator.as_str(), 2));
    let mut sentence = format!(
        "{} ({}, {}): ricalcolato {}",
        label.0,
        territories
            .get(&check.territory)
            .map_or(check.territory.as_str(), |t| t.name.as_str()),
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
        let mut chars = note.chars();
        let note: String = chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        sentence.push_str(&format!(". {note}"));
    }
    sentence
}

fn decimals_needed(value: f64) -> u8 {
    if value.fract() == 0.0 { 0 } else { 2 }
}
