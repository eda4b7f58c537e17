//! Compute: the sources' results put together into what a release is made of. The list of
//! comuni becomes the territories; codes are harmonized and each kind takes its own step; the
//! long table is checked; the indicators are computed; the published tables are made and
//! checked against their schemas. Every problem found is a finding of the report.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::clock::RunTime;
use crate::error::{ConfigProblem, Result};
use crate::finding::{Finding, Severity};
use crate::indicator::Check;
use crate::indicator::data::Data;
use crate::indicator::rows::{self, IndicatorRow};
use crate::istat::{ITALY, Level};
use crate::message::Message;
use crate::msg;
use crate::observation::{self, ComuneDefault, Observation};
use crate::report::{Report, ReportStatus, SourceSummary};
use crate::run::harmonize::{self, Renaming};
use crate::run::ingest::SourceRun;
use crate::run::pipeline::Pipeline;
use crate::source::freshness::{self, DataDate, SourceDates, Stale};
use crate::source::project::ProjectRecord;
use crate::source::shape::ShapeSet;
use crate::source::{Harmonized, Ingested};
use crate::spec::UnknownCodes;
use crate::table::{Table, TableName, schema};
use crate::territory::{CodeChanges, Territories, UnknownMember};

/// Everything computed from the sources, before publishing.
#[derive(Default)]
pub(crate) struct Computed {
    /// The tables the datasets publish, with the columns they carry through the run.
    pub(crate) tables: Vec<Table>,
    /// The territories the release is about, for the catalog's spatial coverage: the focus
    /// (a union's comuni), or Italy.
    pub(crate) spatial: Vec<(String, String)>,
    pub(crate) rows: Vec<IndicatorRow>,
    pub(crate) territories: Territories,
    pub(crate) projects: Vec<ProjectRecord>,
    /// The boundaries the maps are drawn from.
    pub(crate) shapes: Vec<ShapeSet>,
}

/// The long table and what came with it, once codes are harmonized.
struct LongTable {
    observations: Vec<Observation>,
    defaults: Vec<ComuneDefault>,
    projects: Vec<ProjectRecord>,
    shapes: Vec<ShapeSet>,
    /// The tables sources gave, by source.
    tables: Vec<Table>,
    sources: Vec<SourceSummary>,
    /// The source (by name) of each source label the observations carry.
    source_of_label: BTreeMap<String, String>,
}

/// Checks the ingested data and computes the indicators; publishes nothing. The report says
/// whether findings block publishing; when they stop the run before the indicators, nothing
/// is computed.
pub(crate) fn compute(
    pipeline: &Pipeline,
    run_time: RunTime,
    runs: Vec<SourceRun>,
) -> Result<(Report, Computed)> {
    let Prepared {
        mut long,
        territories,
        findings,
        observations,
    } = prepare(pipeline, run_time, runs)?;
    if findings.iter().any(Finding::is_error) {
        // Indicators computed from data known to be wrong would only add noise to the report.
        let sources = std::mem::take(&mut long.sources);
        let report = report(pipeline, run_time, sources, &territories, findings);
        return Ok(blocked(report, observations));
    }
    published(pipeline, run_time, long, territories, findings)
}

/// The long table as the indicators read it, with the territories and every finding so far.
pub(crate) struct Prepared {
    long: LongTable,
    pub(crate) territories: Territories,
    pub(crate) findings: Vec<Finding>,
    /// How many observations there are, for the report of a blocked run.
    observations: usize,
}

impl Prepared {
    pub(crate) fn observations(&self) -> &[Observation] {
        &self.long.observations
    }

    pub(crate) fn defaults(&self) -> &[ComuneDefault] {
        &self.long.defaults
    }

    pub(crate) fn sources(&self) -> &[SourceSummary] {
        &self.long.sources
    }

    /// The name of the source whose observations carry a label.
    pub(crate) fn source_of_label(&self, label: &str) -> Option<&str> {
        self.long.source_of_label.get(label).map(String::as_str)
    }
}

/// The territories, the sources' results with their codes harmonized, and the long table
/// checked against the territories.
pub(crate) fn prepare(
    pipeline: &Pipeline,
    run_time: RunTime,
    runs: Vec<SourceRun>,
) -> Result<Prepared> {
    let mut findings = Vec::new();
    let (territories, unknown_members) = territories_of(pipeline, &runs);
    if !territory_list_read(&runs) {
        // Without the list of comuni every code would look unknown: say that once instead.
        findings.extend(
            runs.iter()
                .flat_map(|r| r.ingested.findings.iter().cloned()),
        );
        findings.push(no_territories(pipeline));
        let observations = runs.iter().map(|r| r.ingested.observations.len()).sum();
        let long = LongTable {
            observations: Vec::new(),
            defaults: Vec::new(),
            projects: Vec::new(),
            shapes: Vec::new(),
            tables: Vec::new(),
            sources: summaries(&runs),
            source_of_label: BTreeMap::new(),
        };
        return Ok(Prepared {
            long,
            territories,
            findings,
            observations,
        });
    }
    let run_date = run_time.date();
    let mut long = harmonize_sources(pipeline, runs, &territories, &run_date, &mut findings)?;
    findings.extend(check_pipeline_territories(
        pipeline,
        &territories,
        unknown_members,
    ));
    check_long_table(
        pipeline,
        &mut long.observations,
        &territories,
        &mut findings,
    );
    let observations = long.observations.len();
    Ok(Prepared {
        long,
        territories,
        findings,
        observations,
    })
}

/// Whether the list of comuni was read whole.
fn territory_list_read(runs: &[SourceRun]) -> bool {
    runs.iter()
        .filter(|run| run.source.gives_territory_list())
        .all(|run| !run.ingested.comuni.is_empty() && !run.ingested.has_errors())
}

/// The registry of territories, from the list of comuni and the unions.
fn territories_of(pipeline: &Pipeline, runs: &[SourceRun]) -> (Territories, Vec<UnknownMember>) {
    let comuni = runs.iter().flat_map(|run| &run.ingested.comuni);
    Territories::build(comuni, &pipeline.plan.unions)
}

fn no_territories(pipeline: &Pipeline) -> Finding {
    Finding::error("no_territories", msg!("no_territories"))
        .in_file(pipeline.plan.pipeline_file.display().to_string())
}

/// What the report says of each source.
fn summaries(runs: &[SourceRun]) -> Vec<SourceSummary> {
    runs.iter().map(summary).collect()
}

fn summary(run: &SourceRun) -> SourceSummary {
    let ingested = &run.ingested;
    SourceSummary {
        name: run.name.clone(),
        kind: run.source.kind().to_owned(),
        label: run.source.label_it().to_owned(),
        location: run.source.describe_location(),
        observations: ingested.observations.len(),
        comuni: ingested.comuni.len(),
        projects: ingested.records,
        files: ingested.read.clone(),
        dates: SourceDates {
            dated: ingested.dated.clone(),
            ..SourceDates::default()
        },
        fingerprint: run.fingerprint.clone(),
        reason: run.reason,
    }
}

/// Brings every source's codes to the registry's, lets each kind take its own step, and puts
/// the results together: the long table, sorted, with merged comuni summed.
fn harmonize_sources(
    pipeline: &Pipeline,
    mut runs: Vec<SourceRun>,
    territories: &Territories,
    run_date: &str,
    findings: &mut Vec<Finding>,
) -> Result<LongTable> {
    let changes = match &pipeline.plan.code_changes {
        Some(path) => harmonize::read_code_changes(path, findings)?,
        None => CodeChanges::default(),
    };
    let mut renaming = Renaming::new(territories, &changes);
    let is_known = |code: &str| territories.contains(code);
    let suggestion = |code: &str| territories.hint(code);
    let listed = |level: Level| {
        territories
            .iter()
            .filter(|t| t.level == level)
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect()
    };
    let context = Harmonized {
        is_known: &is_known,
        suggestion: &suggestion,
        listed: &listed,
        run_date,
        challenges: &pipeline.plan.challenges,
    };
    // Whether each observation's code changed, source by source. A kind's own step may add
    // observations after the renaming: their codes are the list's already.
    let mut changed_by_source = Vec::with_capacity(runs.len());
    for run in &mut runs {
        let mut changed = renaming.apply(&mut run.ingested)?;
        run.source
            .after_harmonization(&run.name, &mut run.ingested, &context)?;
        changed.resize(run.ingested.observations.len(), false);
        changed_by_source.push(changed);
    }
    // Sized once: a national source gives a hundred thousand observations, and growing the
    // list step by step copies them again and again.
    let total = runs.iter().map(|r| r.ingested.observations.len()).sum();
    let mut long = LongTable {
        observations: Vec::with_capacity(total),
        defaults: Vec::new(),
        projects: Vec::new(),
        shapes: Vec::new(),
        tables: Vec::new(),
        sources: Vec::new(),
        source_of_label: BTreeMap::new(),
    };
    let mut changed = Vec::with_capacity(total);
    for (run, changed_here) in runs.into_iter().zip(changed_by_source) {
        changed.extend(changed_here);
        let mut summary = summary(&run);
        summary.dates.data_date = data_date(&run)?;
        summary.dates.stale = match &summary.dates.data_date {
            Some(data) => staleness(pipeline, &run, data, run_date, findings),
            None => None,
        };
        long.sources.push(summary);
        add_labels(&mut long.source_of_label, &run);
        add_result(&mut long, run.ingested, findings);
    }
    renaming.merge(&mut long.observations, &changed, findings);
    observation::sort(&mut long.observations);
    Ok(long)
}

/// Whether a source's data is older than its expected update allows: then a finding, and what
/// the report and the dataset page say of it.
fn staleness(
    pipeline: &Pipeline,
    run: &SourceRun,
    data: &DataDate,
    run_date: &str,
    findings: &mut Vec<Finding>,
) -> Option<Stale> {
    let rule = run.update?;
    let since = freshness::stale_since(rule, data, run_date)?;
    // Named at the pipeline file, where the rule is declared: the message names the source.
    findings.push(
        freshness::finding(&run.name, rule, data, &since)
            .in_file(pipeline.plan.pipeline_file.display().to_string()),
    );
    Some(Stale {
        as_of: data.date.clone(),
        since,
    })
}

/// The date a source's data is as of, for a source that says how often it should change.
fn data_date(run: &SourceRun) -> Result<Option<DataDate>> {
    if run.update.is_none() {
        return Ok(None);
    }
    Ok(freshness::data_date(&run.source.inputs()?, &run.ingested))
}

/// The labels a source's observations and defaults carry, as its own; a source gives its
/// observations one label at a time, so comparing with the last one is enough.
fn add_labels(source_of_label: &mut BTreeMap<String, String>, run: &SourceRun) {
    let mut last: Option<&Arc<str>> = None;
    for observation in &run.ingested.observations {
        if last.is_some_and(|label| Arc::ptr_eq(label, &observation.source)) {
            continue;
        }
        last = Some(&observation.source);
        source_of_label
            .entry(observation.source.to_string())
            .or_insert_with(|| run.name.clone());
    }
    for default in &run.ingested.comune_defaults {
        source_of_label
            .entry(default.source.clone())
            .or_insert_with(|| run.name.clone());
    }
}

fn add_result(long: &mut LongTable, ingested: Ingested, findings: &mut Vec<Finding>) {
    findings.extend(ingested.findings);
    long.observations.extend(ingested.observations);
    long.defaults.extend(ingested.comune_defaults);
    long.projects.extend(ingested.projects);
    long.shapes.extend(ingested.shapes);
    long.tables.extend(ingested.tables);
}

/// What the pipeline itself says of territories: union members in the list, a known focus;
/// the fields `datavalley init` left to fill, and the accessibility statement the pages link.
fn check_pipeline_territories(
    pipeline: &Pipeline,
    territories: &Territories,
    unknown_members: Vec<UnknownMember>,
) -> Vec<Finding> {
    let plan = &pipeline.plan;
    let file = plan.pipeline_file.display().to_string();
    let mut findings: Vec<Finding> = unknown_members
        .into_iter()
        .map(|unknown| {
            Finding::error(
                "unknown_member",
                msg!(
                    "unknown_member",
                    union = &unknown.union,
                    member = &unknown.member
                ),
            )
            .in_file(&file)
            .with_value(unknown.member)
        })
        .collect();
    if let Some(focus) = &plan.focus
        && !territories.contains(focus)
    {
        findings.push(
            Finding::error("unknown_territory", unknown_focus(focus, territories))
                .in_file(&file)
                .with_value(focus.as_str()),
        );
    }
    findings.extend(plan.to_fill.iter().map(|unfilled| {
        let finding = Finding::warning("placeholder", placeholder(unfilled))
            .in_file(unfilled.file.display().to_string());
        match unfilled.line {
            Some(line) => finding.at_row(line),
            None => finding,
        }
    }));
    if plan.site.pages && plan.site.accessibility_statement.is_none() {
        findings.push(
            Finding::warning(
                "no_accessibility_statement",
                msg!("no_accessibility_statement"),
            )
            .in_file(&file),
        );
    }
    findings
}

/// That the focus territory is not in the registry, with a hint when one is near.
fn unknown_focus(focus: &str, territories: &Territories) -> Message {
    match territories.hint(focus) {
        Some(hint) => msg!("unknown_focus_with_hint", focus = focus, hint = hint),
        None => msg!("unknown_focus", focus = focus),
    }
}

/// A field `datavalley init` left to fill: its key and what to write (the finding gives its
/// file and line).
fn placeholder(unfilled: &ConfigProblem) -> Message {
    msg!(
        "placeholder",
        key = &unfilled.key,
        detail = &unfilled.message
    )
}

/// Every observation about a known territory, once per territory, measure and period. A
/// pipeline that accepts data about territories the list does not have (comuni created after
/// it) leaves those rows out, and reports each.
fn check_long_table(
    pipeline: &Pipeline,
    observations: &mut Vec<Observation>,
    territories: &Territories,
    findings: &mut Vec<Finding>,
) {
    let found = observation::check_observations(observations, territories);
    if pipeline.plan.unknown_codes != UnknownCodes::Warning {
        findings.extend(found);
        return;
    }
    observations.retain(|o| territories.contains(&o.territory));
    findings.extend(found.into_iter().map(|mut finding| {
        if finding.rule == "unknown_territory" {
            finding.severity = Severity::Warning;
            finding.message = crate::msg!("row_left_out", finding = &finding.message);
        }
        finding
    }));
}

/// The indicators and the tables the datasets publish, checked against their schemas.
fn published(
    pipeline: &Pipeline,
    run_time: RunTime,
    long: LongTable,
    territories: Territories,
    mut findings: Vec<Finding>,
) -> Result<(Report, Computed)> {
    let LongTable {
        observations,
        defaults,
        projects,
        shapes,
        tables: source_tables,
        sources,
        source_of_label: _,
    } = long;
    let needed: BTreeSet<TableName> = pipeline.plan.datasets.iter().map(|d| d.table).collect();
    // The sources' tables are filtered, sorted and checked on the other core while the
    // indicators are computed: the two share nothing.
    // Hashed: a grown table asks for each of its millions of rows.
    let known: FxHashSet<String> = territories.iter().map(|t| t.code.clone()).collect();
    let from_sources = needed_of(&needed);
    let source_job =
        std::thread::spawn(move || source_tables_of(&from_sources, source_tables, &known));
    let (rows, checks, indicator_findings) =
        indicators(pipeline, &observations, &defaults, &territories);
    findings.extend(indicator_findings);
    let indicator_rows = rows.len();
    let observation_count = observations.len();
    let (mut tables, table_findings) = computed_tables(&needed, &rows, observations)?;
    findings.extend(table_findings);
    let (from_sources, source_findings) = crate::parallel::join(source_job)?;
    tables.extend(from_sources);
    findings.extend(source_findings);
    tables.sort_by_key(|t| t.name);
    let spatial = spatial_coverage(pipeline, &territories);
    let mut report = report(pipeline, run_time, sources, &territories, findings);
    report.observations = observation_count;
    report.indicator_rows = indicator_rows;
    report.checks = checks;
    let computed = Computed {
        tables,
        spatial,
        rows,
        territories,
        projects,
        shapes,
    };
    Ok((report, computed))
}

/// The published tables of the indicators and of the observations, each made and checked
/// against its schema on a core of its own. The observations are dropped once their table is
/// made: both are gigabytes at scale.
fn computed_tables(
    needed: &BTreeSet<TableName>,
    rows: &[IndicatorRow],
    observations: Vec<Observation>,
) -> Result<(Vec<Table>, Vec<Finding>)> {
    let checked = |table: Table| -> Result<(Table, Vec<Finding>)> {
        let findings = check_table(&table)?;
        Ok((table, findings))
    };
    let (indicators, observations) = std::thread::scope(|scope| {
        let observations = scope.spawn(|| {
            let wanted = needed.contains(&TableName::Observations);
            let table = wanted.then(|| observation::to_table(&observations));
            drop(observations);
            table.map(checked).transpose()
        });
        let indicators = needed
            .contains(&TableName::Indicators)
            .then(|| checked(rows::indicators_table(rows)))
            .transpose();
        (indicators, crate::parallel::join_scoped(observations))
    });
    let mut tables = Vec::new();
    let mut findings = Vec::new();
    for (table, found) in [indicators?, observations?].into_iter().flatten() {
        tables.push(table);
        findings.extend(found);
    }
    Ok((tables, findings))
}

/// The tables sources give that a dataset publishes.
fn needed_of(needed: &BTreeSet<TableName>) -> Vec<TableName> {
    needed
        .iter()
        .copied()
        .filter(|name| !matches!(name, TableName::Indicators | TableName::Observations))
        .collect()
}

/// Each published table sources give: their rows put together, those about territories the
/// registry does not know left out (they are reported through the observations), in the
/// table's published order, and checked against its schema.
fn source_tables_of(
    needed: &[TableName],
    mut tables: Vec<Table>,
    known: &FxHashSet<String>,
) -> Result<(Vec<Table>, Vec<Finding>)> {
    let mut published = Vec::new();
    let mut findings = Vec::new();
    for &name in needed {
        let parts: Vec<Table> = tables.extract_if(.., |t| t.name == name).collect();
        let table = match parts.is_empty() {
            true => schema::empty_table(name)?,
            false => Table::concat(parts)?,
        };
        let table = of_known_territories(table, known)?.sorted_by(name.published_order())?;
        findings.extend(check_table(&table)?);
        published.push(table);
    }
    Ok((published, findings))
}

/// The rows of a table with a `territory` column whose code is known; the table itself when
/// all are, so that only one copy of a grown national table is held at a time.
fn of_known_territories(table: Table, known: &FxHashSet<String>) -> Result<Table> {
    let Ok(codes) = table.texts("territory") else {
        return Ok(table);
    };
    let keep: Vec<bool> = codes
        .iter()
        .map(|code| code.is_some_and(|code| known.contains(code)))
        .collect();
    if keep.iter().all(|keep| *keep) {
        return Ok(table);
    }
    table.filter(keep)
}

/// Every indicator of the pipeline, its rows in published order, its checks and findings.
fn indicators(
    pipeline: &Pipeline,
    observations: &[Observation],
    defaults: &[ComuneDefault],
    territories: &Territories,
) -> (Vec<IndicatorRow>, Vec<Check>, Vec<Finding>) {
    let (indicators, aggregate) = (&pipeline.indicators, &pipeline.plan.aggregate);
    // The explanations are for the pages: a release without them does not pay for them.
    let explained = pipeline.plan.site.pages;
    let data = Data::new(observations, defaults, territories, aggregate.clone());
    let mut computed = Vec::new();
    let mut checks: Vec<Check> = Vec::new();
    let mut findings = Vec::new();
    for indicator in indicators {
        let mut result = indicator.compute(&data);
        findings.append(&mut result.findings);
        checks.append(&mut result.checks);
        computed.push((indicator.clone(), result));
    }
    checks.sort_by(|a, b| {
        (&a.indicator, &a.territory, &a.period).cmp(&(&b.indicator, &b.territory, &b.period))
    });
    // The points and the index are freed with `data` and `computed`: a grown run's are
    // gigabytes.
    let rows = rows::indicator_rows(&computed, &data, explained);
    (rows, checks, findings)
}

/// Checks a table against its schema, as published.
fn check_table(table: &Table) -> Result<Vec<Finding>> {
    let schema = schema::schema_of(table.name)?;
    schema::validate(
        &table.published(),
        &schema,
        &msg!("output_table", table = table.name.as_str()).to_string(),
    )
}

/// The focus territory (a union as its comuni, which the national registers know), or Italy
/// when the pipeline has no focus. A province, region or Italy is itself: listed as its
/// comuni, a national catalog would name every comune of Italy.
fn spatial_coverage(pipeline: &Pipeline, territories: &Territories) -> Vec<(String, String)> {
    let codes: Vec<String> = match &pipeline.plan.focus {
        Some(focus)
            if territories
                .get(focus)
                .is_some_and(|t| t.level == Level::Union) =>
        {
            territories.members(focus).to_vec()
        }
        Some(focus) => vec![focus.clone()],
        None => vec![ITALY.to_owned()],
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

/// The report of the findings, without the counts and checks of what was computed.
fn report(
    pipeline: &Pipeline,
    run_time: RunTime,
    sources: Vec<SourceSummary>,
    territories: &Territories,
    mut findings: Vec<Finding>,
) -> Report {
    findings.sort();
    findings.dedup();
    let status = if findings.iter().any(Finding::is_error) {
        ReportStatus::Blocked
    } else {
        ReportStatus::Published
    };
    Report {
        pipeline: pipeline.plan.id.clone(),
        run_time: run_time.iso(),
        status,
        sources,
        territories: territories.len(),
        observations: 0,
        indicator_rows: 0,
        checks: Vec::new(),
        findings,
        outputs: Vec::new(),
    }
}

/// What a run that findings stopped before computing indicators gives: the report alone,
/// with the observations it had.
fn blocked(mut report: Report, observations: usize) -> (Report, Computed) {
    report.status = ReportStatus::Blocked;
    report.observations = observations;
    (report, Computed::default())
}
