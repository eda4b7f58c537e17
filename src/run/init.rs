//! `datavalley init`: a pipeline file for a union or a single comune that runs as it is. The
//! members are looked up in ISTAT's list of comuni (by code or by name); the sources are the
//! public files by URL through the cache; the shared catalogs of the eight challenges and of PA
//! digitale 2026, and the file of code changes, are written beside it when the folder has none;
//! what only the officer knows is left as a placeholder that `check` and every run report.

use std::path::{Path, PathBuf};

use crate::error::{ConfigProblem, Error, Result};
use crate::fetch::{FetchOptions, Fetcher};
use crate::message::Message;
use crate::msg;
use crate::plan::{Location, catalog, paths, placeholders};
use crate::source::read::IngestContext;
use crate::source::rows::Comune;
use crate::source::territories::TerritoriesSource;
use crate::territory::Territories;
use crate::text::{self, Encoding, name_key};

/// ISTAT's list of comuni, as ISTAT publishes it.
const ISTAT_LIST: &str =
    "https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv";
/// The resident population at 1 January 2021 of every comune (ISTAT, demo.istat.it), at the
/// commit of the copy the tool is tested with.
const POPULATION: &str = "https://raw.githubusercontent.com/opendatasicilia/comuni-italiani/113ba4738876b6c54c05ba7795cba8d187b3f7ab/dati/ISTAT_popolazione_2021.csv";
/// The PA digitale 2026 funded-project files, replaced by their publisher every day.
const PADIGITALE: &str =
    "https://raw.githubusercontent.com/teamdigitale/padigitale2026-opendata/main/data/";
const PADIGITALE_FILES: &[&str] = &[
    "candidature_finanziate_11.csv",
    "candidature_finanziate_12.csv",
    "candidature_finanziate_131.csv",
    "candidature_finanziate_141.csv",
    "candidature_finanziate_143.csv",
    "candidature_finanziate_144.csv",
    "candidature_finanziate_145.csv",
    "candidature_altrienti_finanziate.csv",
];

/// The files every new pipeline includes or reads, as the repository has them.
const SHARED: &[(&str, &str)] = &[
    (
        "catalog/sfide-agenda-digitale-er.toml",
        include_str!("../../pipelines/catalog/sfide-agenda-digitale-er.toml"),
    ),
    (
        "catalog/padigitale2026.toml",
        include_str!("../../pipelines/catalog/padigitale2026.toml"),
    ),
    (
        "territori/variazioni-codici.csv",
        include_str!("../../pipelines/territori/variazioni-codici.csv"),
    ),
];

/// What the new pipeline is about.
#[derive(Debug, Clone)]
pub(crate) enum NewTerritory {
    /// A union of comuni, each given by its ISTAT code or its name.
    Union {
        name: String,
        members: Vec<String>,
    },
    Comune(String),
}

/// What `datavalley init` was asked for.
#[derive(Debug, Clone)]
pub(crate) struct InitRequest {
    pub(crate) territory: NewTerritory,
    pub(crate) ipa: Option<String>,
    pub(crate) dir: PathBuf,
    pub(crate) id: Option<String>,
    pub(crate) force: bool,
    /// Where to read ISTAT's list of comuni: a file or a URL; default ISTAT's own URL.
    pub(crate) list: Option<String>,
    /// A copy of the publishers' files, as `<mirror>/<host>/<path>`.
    pub(crate) mirror: Option<String>,
    pub(crate) fetch: FetchOptions,
    /// Today, as YYYY-MM-DD.
    pub(crate) date: String,
}

/// What happened to one of the shared files beside the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SharedFile {
    Written,
    /// The folder has it already, as the tool has it.
    Present,
    /// The folder has its own version, which is kept.
    KeptOwn,
}

/// The pipeline written, and what it still needs.
#[derive(Debug)]
pub(crate) struct Initialized {
    pub(crate) file: PathBuf,
    /// The territory, as the officer reads it: `Unione Terre d'Acqua (6 comuni)`.
    pub(crate) territory: Message,
    pub(crate) shared: Vec<(PathBuf, SharedFile)>,
    pub(crate) to_fill: Vec<ConfigProblem>,
}

/// The territory, resolved against the list.
struct Resolved<'a> {
    /// The union's name, or none for a comune.
    union: Option<&'a str>,
    comuni: Vec<&'a Comune>,
}

pub(crate) fn init(request: &InitRequest) -> Result<Initialized> {
    check_request(request)?;
    let list_url = request
        .list
        .clone()
        .unwrap_or_else(|| mirrored(request, ISTAT_LIST));
    let comuni = read_list(request, &list_url)?;
    let resolved = resolve(&request.territory, &comuni)?;
    let id = request.id.clone().unwrap_or_else(|| default_id(&resolved));
    if !crate::plan::is_folder_name(&id) {
        let id = format!("{id:?}");
        return Err(Error::Usage(msg!("init_id_not_a_folder_name", id = id)));
    }
    let file = request.dir.join(format!("{id}.toml"));
    if file.exists() && !request.force {
        return Err(Error::Usage(msg!(
            "init_file_exists",
            file = file.display()
        )));
    }
    let list_in_pipeline = if is_url(&list_url) {
        list_url
    } else {
        mirrored(request, ISTAT_LIST)
    };
    let text = pipeline_text(request, &resolved, &id, &list_in_pipeline);
    fs_err::create_dir_all(&request.dir)?;
    let shared = write_shared(&request.dir)?;
    crate::files::write_atomic(&file, text.as_bytes()).map_err(|e| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", file.display()),
        ))
    })?;
    let loaded = super::load(&file)?;
    Ok(Initialized {
        file,
        territory: territory_label(&resolved),
        shared,
        to_fill: loaded.plan.to_fill,
    })
}

fn check_request(request: &InitRequest) -> Result<()> {
    let mut problems = Vec::new();
    if let Some(ipa) = &request.ipa
        && !catalog::is_ipa_code(ipa)
    {
        problems.push(msg!("init_ipa_invalid", ipa = format!("{ipa:?}")));
    }
    if let Some(mirror) = &request.mirror
        && !is_url(mirror)
    {
        problems.push(msg!("init_mirror_invalid", mirror = format!("{mirror:?}")));
    }
    if let NewTerritory::Union { name, members } = &request.territory {
        if name.trim().is_empty() {
            problems.push(msg!("init_union_name_empty"));
        }
        if members.len() < 2 {
            problems.push(msg!("init_union_too_small", count = members.len()));
        }
    }
    usage(problems)
}

/// The problems of the request, one a line; none is no error.
fn usage(problems: Vec<Message>) -> Result<()> {
    let lines = problems
        .into_iter()
        .reduce(|first, then| msg!("init_lines", first = first, then = then));
    match lines {
        None => Ok(()),
        Some(message) => Err(Error::Usage(message)),
    }
}

fn is_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

/// A publisher's URL as the mirror serves it, or as it is without a mirror.
fn mirrored(request: &InitRequest, url: &str) -> String {
    match &request.mirror {
        Some(mirror) => {
            let path = url.split_once("://").map_or(url, |(_, rest)| rest);
            format!("{}/{path}", mirror.trim_end_matches('/'))
        }
        None => url.to_owned(),
    }
}

/// The comuni of ISTAT's list, from a file or through the cache.
fn read_list(request: &InitRequest, list: &str) -> Result<Vec<Comune>> {
    let location = if is_url(list) {
        Location::Url(paths::default_remote(list).map_err(Error::Usage)?)
    } else {
        Location::File(PathBuf::from(list))
    };
    let fetcher = Fetcher::new(request.fetch.clone());
    let context = IngestContext::new(&fetcher, 1 << 30);
    let source = TerritoriesSource {
        location,
        encoding: Encoding::Auto,
        separator: b';',
    };
    let ingested = source.ingest("comuni", &context)?;
    let errors: Vec<String> = ingested
        .findings
        .iter()
        .filter(|finding| finding.is_error())
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() || ingested.comuni.is_empty() {
        let errors = errors.join("\n");
        return Err(Error::Usage(msg!(
            "init_not_the_list",
            list = list,
            errors = errors
        )));
    }
    Ok(ingested.comuni)
}

/// Every comune asked for, by code or by name; every one that is not in the list, or is
/// given twice, is reported at once.
fn resolve<'a>(territory: &'a NewTerritory, comuni: &'a [Comune]) -> Result<Resolved<'a>> {
    let (union, written) = match territory {
        NewTerritory::Union { name, members } => (Some(name.as_str()), members.as_slice()),
        NewTerritory::Comune(comune) => (None, std::slice::from_ref(comune)),
    };
    let (territories, _) = Territories::build(comuni, &[]);
    let mut found: Vec<&Comune> = Vec::new();
    let mut problems = Vec::new();
    for token in written.iter().map(|t| t.trim()) {
        match find(token, comuni, &territories) {
            Ok(comune) if found.iter().any(|f| f.code == comune.code) => problems.push(msg!(
                "init_comune_twice",
                token = format!("{token:?}"),
                code = &comune.code,
                name = &comune.name
            )),
            Ok(comune) => found.push(comune),
            Err(problem) => problems.push(problem),
        }
    }
    usage(problems)?;
    Ok(Resolved {
        union,
        comuni: found,
    })
}

/// One comune by its ISTAT code or its name in Italian.
fn find<'a>(
    token: &str,
    comuni: &'a [Comune],
    territories: &Territories,
) -> std::result::Result<&'a Comune, Message> {
    if token.chars().all(|c| c.is_ascii_digit()) && !token.is_empty() {
        return comuni.iter().find(|c| c.code == token).ok_or_else(|| {
            match territories.hint(token) {
                Some(hint) => msg!("init_code_hint", code = token, hint = hint),
                None => msg!("init_code_unknown", code = token),
            }
        });
    }
    let wanted = name_key(token);
    let matches: Vec<&Comune> = comuni
        .iter()
        .filter(|c| name_key(&c.name) == wanted)
        .collect();
    match matches.as_slice() {
        [comune] => Ok(comune),
        [] => Err(unknown_name(token, comuni)),
        [first, others @ ..] => Err(ambiguous_name(token, first, others)),
    }
}

/// A name that is no comune's, with the closest name when there is one.
fn unknown_name(token: &str, comuni: &[Comune]) -> Message {
    let names: Vec<&str> = comuni.iter().map(|c| c.name.as_str()).collect();
    let name = format!("{token:?}");
    match text::closest(token, &names) {
        Some(closest) => msg!(
            "init_name_unknown_closest",
            name = name,
            closest = format!("{closest:?}")
        ),
        None => msg!("init_name_unknown", name = name),
    }
}

/// A name several comuni have, with the code and province of each.
fn ambiguous_name(token: &str, first: &Comune, others: &[&Comune]) -> Message {
    let candidate = |comune: &Comune| {
        msg!(
            "init_name_candidate",
            code = &comune.code,
            province = &comune.province_name
        )
    };
    let candidates = others.iter().fold(candidate(first), |before, comune| {
        msg!(
            "init_name_candidates",
            first = before,
            then = candidate(comune)
        )
    });
    msg!(
        "init_name_ambiguous",
        name = format!("{token:?}"),
        count = others.len() + 1,
        candidates = candidates
    )
}

fn territory_label(resolved: &Resolved) -> Message {
    match resolved.union {
        Some(name) => msg!(
            "init_union_label",
            name = name,
            count = resolved.comuni.len()
        ),
        None => msg!("init_comune_label", name = &resolved.comuni[0].name),
    }
}

/// The words of a name in ASCII lower case, for ids: `Unione Terre d'Acqua` → terre, d, acqua.
fn id_words(name: &str) -> Vec<String> {
    let folded: String = name
        .to_lowercase()
        .chars()
        .map(|c| match text::without_accent(c) {
            c if c.is_ascii_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().map(str::to_owned).collect()
}

/// A union's words without the "Unione dei Comuni della" its name opens with.
fn union_words(name: &str) -> Vec<String> {
    const OPENING: &[&str] = &[
        "unione", "dei", "di", "comuni", "della", "delle", "del", "dell", "degli", "d",
    ];
    let words = id_words(name);
    let start = words
        .iter()
        .position(|w| !OPENING.contains(&w.as_str()))
        .unwrap_or(0);
    words[start..].to_vec()
}

fn default_id(resolved: &Resolved) -> String {
    match resolved.union {
        Some(name) => union_words(name).join("-"),
        None => id_words(&resolved.comuni[0].name).join("-"),
    }
}

/// The catalogs and the code changes beside the pipeline: written where absent, never
/// replaced.
fn write_shared(dir: &Path) -> Result<Vec<(PathBuf, SharedFile)>> {
    let mut done = Vec::new();
    for (relative, text) in SHARED {
        let path = dir.join(relative);
        let state = match fs_err::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => SharedFile::Present,
            Ok(_) => SharedFile::KeptOwn,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    fs_err::create_dir_all(parent)?;
                }
                crate::files::write_atomic(&path, text.as_bytes())?;
                SharedFile::Written
            }
            Err(error) => return Err(error.into()),
        };
        done.push((path, state));
    }
    Ok(done)
}

/// A TOML string, quoted and escaped.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The pipeline file, section by section.
fn pipeline_text(request: &InitRequest, resolved: &Resolved, id: &str, list_url: &str) -> String {
    let naming = naming(resolved);
    let mut text = String::new();
    text += &header(request, resolved, &naming, id);
    text += &catalog_section(request, resolved, &naming, id);
    text += &territories_section(resolved, &naming);
    text += &sources_section(request, list_url);
    text += &datasets_section(resolved, &naming);
    text
}

/// Who publishes, and the words every title and description use.
struct Naming {
    publisher: String,
    /// `dell'Unione Terre d'Acqua`, `del Comune di Bibbiano`.
    of_territory: String,
    focus: String,
    /// The province and region names of the comuni, once each.
    provinces: String,
    regions: String,
}

fn naming(resolved: &Resolved) -> Naming {
    // Once each, in the order of the comuni: a union may span provinces that alternate.
    let once = |names: Vec<&str>| {
        let mut seen = Vec::new();
        for name in names {
            if !seen.contains(&name) {
                seen.push(name);
            }
        }
        seen.join(", ")
    };
    let provinces = once(
        resolved
            .comuni
            .iter()
            .map(|c| c.province_name.as_str())
            .collect(),
    );
    let regions = once(
        resolved
            .comuni
            .iter()
            .map(|c| c.region_name.as_str())
            .collect(),
    );
    let (publisher, of_territory, focus) = match resolved.union {
        Some(name) => (name.to_owned(), of_union(name), union_words(name).join("_")),
        None => {
            let comune = resolved.comuni[0];
            (
                format!("Comune di {}", comune.name),
                format!("del Comune di {}", comune.name),
                comune.code.clone(),
            )
        }
    };
    Naming {
        publisher,
        of_territory,
        focus,
        provinces,
        regions,
    }
}

/// `dell'Unione Terre d'Acqua`; a name that does not open with "Unione" keeps its own words.
fn of_union(name: &str) -> String {
    match name.to_lowercase().starts_with("unione") {
        true => format!("dell'{name}"),
        false => format!("di {name}"),
    }
}

fn header(request: &InitRequest, resolved: &Resolved, naming: &Naming, id: &str) -> String {
    let bodies = match resolved.union {
        Some(_) => format!("dagli enti dei suoi {} comuni", resolved.comuni.len()),
        None => "dagli enti del comune".to_owned(),
    };
    format!(
        r#"# {publisher}: i finanziamenti PNRR per la digitalizzazione (PA digitale 2026) ottenuti
# {bodies}, confrontati con la provincia ({provinces}) e la regione ({regions}).
# Scritto da `datavalley init` il {date}.
#
# I file pubblici sono letti per URL attraverso la cache: l'elenco dei comuni dell'ISTAT, la
# popolazione residente e i file dei progetti finanziati di PA digitale 2026.
# I campi che contengono «da-compilare» sono da scrivere prima di pubblicare: `datavalley check`
# li elenca con la loro riga.
#
#     datavalley check {file}
#     datavalley run {file}

[pipeline]
id = {id}
title = {title}
description = {description}
publisher = {publisher_quoted}
focus = {focus}
include = ["catalog/sfide-agenda-digitale-er.toml", "catalog/padigitale2026.toml"]

"#,
        publisher = naming.publisher,
        provinces = naming.provinces,
        regions = naming.regions,
        date = request.date,
        file = request.dir.join(format!("{id}.toml")).display(),
        id = quoted(id),
        title = quoted(&format!(
            "Il PNRR per la digitalizzazione {}",
            naming.of_territory
        )),
        description = quoted(&description(resolved, naming)),
        publisher_quoted = quoted(&naming.publisher),
        focus = quoted(&naming.focus),
    )
}

fn description(resolved: &Resolved, naming: &Naming) -> String {
    let bodies = match resolved.union {
        Some(_) => format!(
            "dagli enti dei {} comuni {}",
            resolved.comuni.len(),
            naming.of_territory
        ),
        None => format!("dagli enti {}", naming.of_territory),
    };
    format!(
        "I finanziamenti di PA digitale 2026 (PNRR, missione 1) ottenuti {bodies}, confrontati con la provincia ({}) e la regione ({}).",
        naming.provinces, naming.regions
    )
}

fn catalog_section(
    request: &InitRequest,
    resolved: &Resolved,
    naming: &Naming,
    id: &str,
) -> String {
    let ipa = match &request.ipa {
        Some(ipa) => quoted(ipa),
        None => format!(
            "{}   # da compilare: il codice IPA dell'ente (www.indicepa.gov.it)",
            quoted(placeholders::IPA)
        ),
    };
    format!(
        r#"# Il catalogo DCAT-AP_IT di ogni rilascio, per dati.gov.it.
[catalog]
# Da compilare: l'indirizzo a cui sarà servita la cartella output/{id}/current/.
base_url = {base_url}
title = {title}
description = {description}
issued = {issued}

[catalog.publisher]
name = {publisher}
ipa = {ipa}

[catalog.contact]
name = {contact}
# Da compilare: l'indirizzo e-mail che risponde alle domande sui dati.
email = {email}

[site]
# Da compilare: la Dichiarazione di accessibilità dell'ente (form.agid.gov.it). Dove i
# cittadini scrivono: `feedback = "..."` (un indirizzo e-mail o un URL).
accessibility_statement = {accessibility}
update_frequency = "MONTHLY"

"#,
        base_url = quoted(&placeholders::base_url(id)),
        title = quoted(&format!(
            "Dati aperti {}: il PNRR per la digitalizzazione",
            naming.of_territory
        )),
        description = quoted(&description(resolved, naming)),
        issued = quoted(&request.date),
        publisher = quoted(&naming.publisher),
        contact = quoted(&format!("{} - servizio dati aperti", naming.publisher)),
        email = quoted(&placeholders::email()),
        accessibility = quoted(&placeholders::accessibility_statement()),
    )
}

fn territories_section(resolved: &Resolved, naming: &Naming) -> String {
    let aggregate = match resolved.union {
        Some(_) => r#"["union", "province", "region", "italy"]"#,
        None => r#"["province", "region", "italy"]"#,
    };
    let mut text = format!(
        r#"[territories]
# L'elenco completo dei comuni: province, regioni e Italia sono somme dei loro comuni.
aggregate = {aggregate}
# I file dei progetti usano codici più recenti dell'elenco (fusioni di comuni, province sarde).
code_changes = "territori/variazioni-codici.csv"
# I comuni nati dopo l'elenco non si possono collocare: le loro righe sono escluse e segnalate.
unknown_codes = "warning"

"#
    );
    if let Some(name) = resolved.union {
        text += &format!(
            "[territories.union.{}]\nname = {}\nmembers = [\n",
            naming.focus,
            quoted(name)
        );
        for comune in &resolved.comuni {
            text += &format!("    {}, # {}\n", quoted(&comune.code), comune.name);
        }
        text += "]\n\n";
    }
    text
}

fn sources_section(request: &InitRequest, list_url: &str) -> String {
    let files: String = PADIGITALE_FILES
        .iter()
        .map(|file| {
            format!(
                "    {},\n",
                quoted(&mirrored(request, &format!("{PADIGITALE}{file}")))
            )
        })
        .collect();
    format!(
        r#"[source.comuni.territories]
url = {list}

[source.popolazione.istat_population]
# ISTAT, popolazione residente al 1° gennaio 2021 (demo.istat.it), nella copia di
# opendatasicilia/comuni-italiani.
url = {population}
period = "2021"

# I progetti finanziati di PA digitale 2026 (Dipartimento per la trasformazione digitale,
# CC BY 4.0). Il registro è sostituito ogni giorno: i valori di ogni esecuzione sono datati dal
# mese dell'ultima data di stato o di finanziamento nei file, così che le esecuzioni notturne
# costruiscano una serie mensile.
[source.pnrr.padigitale]
snapshot = "month"
expected_update = "MONTHLY"
urls = [
{files}]

"#,
        list = quoted(list_url),
        population = quoted(&mirrored(request, POPULATION)),
    )
}

fn datasets_section(resolved: &Resolved, naming: &Naming) -> String {
    let of = &naming.of_territory;
    let territory = match resolved.union {
        Some(name) => name.to_owned(),
        None => resolved.comuni[0].name.clone(),
    };
    format!(
        r#"[dataset.indicatori]
title = {indicators}
description = "Finanziamenti, progetti, rinunce e misure adottate per comune, unione, provincia, regione e Italia, con il confronto con provincia e regione."
table = "indicators"
themes = ["GOVE", "TECH", "ECON"]
keywords = ["PNRR", "PA digitale 2026", "indicatori", {keyword}]
frequency = "MONTHLY"

[dataset.indicatori_storico]
title = {history}
description = "Ogni periodo di ogni indicatore e territorio pubblicato dai rilasci di questo catalogo, dal primo: il valore corrente, il rilascio che lo ha pubblicato e se ha rivisto un valore diverso dato prima per lo stesso periodo."
table = "indicators_history"
themes = ["GOVE", "TECH", "ECON"]
keywords = ["PNRR", "PA digitale 2026", "indicatori", "serie storiche"]
frequency = "MONTHLY"

[dataset.progetti_pnrr]
title = {projects}
description = "Le candidature finanziate di PA digitale 2026 degli enti di ogni comune: ente, misura, avviso, importo, stato, CUP."
table = "pnrr_projects"
themes = ["GOVE", "ECON", "TECH"]
keywords = ["PNRR", "PA digitale 2026", "finanziamenti"]
frequency = "MONTHLY"
"#,
        indicators = quoted(&format!("Indicatori PNRR per la digitalizzazione {of}")),
        keyword = quoted(&territory),
        history = quoted(&format!(
            "Storico degli indicatori PNRR per la digitalizzazione {of}"
        )),
        projects = quoted(&format!("Progetti PNRR per la digitalizzazione {of}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_leave_out_the_opening_of_a_union_name() {
        assert_eq!(
            union_words("Unione Terre d'Acqua").join("-"),
            "terre-d-acqua"
        );
        assert_eq!(
            union_words("Unione dei Comuni della Val d'Enza").join("_"),
            "val_d_enza"
        );
        assert_eq!(
            id_words("Sant'Ilario d'Enza").join("-"),
            "sant-ilario-d-enza"
        );
        assert_eq!(id_words("Forlì").join("-"), "forli");
        assert_eq!(union_words("Unione").join("-"), "unione");
    }

    #[test]
    fn a_mirror_serves_each_host_under_its_name() {
        let request = InitRequest {
            territory: NewTerritory::Comune("035004".into()),
            ipa: None,
            dir: PathBuf::from("pipelines"),
            id: None,
            force: false,
            list: None,
            mirror: Some("http://127.0.0.1:8080/".into()),
            fetch: FetchOptions {
                cache_dir: PathBuf::from("cache"),
                offline: true,
                accept_shrink: false,
            },
            date: "2026-12-01".into(),
        };
        assert_eq!(
            mirrored(&request, ISTAT_LIST),
            "http://127.0.0.1:8080/www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv"
        );
    }
}
