//! The layer order of ARCHITECTURE.md holds: every `crate::` (and `super::`) path in `src/`
//! leads to a file of the same layer or of one below it, and no files import each other in a
//! circle. The order is read from ARCHITECTURE.md itself, so that the map and the rule are one.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first: each a name and the files and folders (ending in `/`) it holds.
fn layers(repo: &Path) -> Vec<(String, Vec<String>)> {
    let map = std::fs::read_to_string(repo.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let block = map
        .split("<!-- layers -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- /layers -->").next())
        .expect("ARCHITECTURE.md marks its layer table with <!-- layers --> ... <!-- /layers -->");
    block
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with('|') && line.contains('`'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let paths = cells[1]
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect();
            (cells[0].trim_matches('*').to_owned(), paths)
        })
        .collect()
}

/// Every Rust file under `src/`, relative to it.
fn sources(dir: &Path, base: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, base, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

/// The module path of a file: `source/csv.rs` is `source::csv`, `source/mod.rs` is `source`.
fn module_of(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file that defines the longest prefix of a module path, if any.
fn file_of(path: &[String], files: &BTreeSet<PathBuf>) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|len| {
        let joined = path[..len].join("/");
        [format!("{joined}.rs"), format!("{joined}/mod.rs")]
            .into_iter()
            .map(PathBuf::from)
            .find(|candidate| files.contains(candidate))
    })
}

/// The text of a file without its comments and its unit tests (which sit at its end).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a text names after `crate::` or `super::`, with `use` trees expanded.
fn paths_in(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        expand(rest, Vec::new(), &mut paths);
    }
    paths
}

/// Expands one path or `use` tree at the start of `text` into the paths it names.
fn expand(text: &str, base: Vec<String>, paths: &mut Vec<Vec<String>>) {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        let mut depth = 0;
        let mut start = 0;
        for (at, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    expand(&inner[start..at], base.clone(), paths);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..at], base.clone(), paths);
                    start = at + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let name: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() {
        if !base.is_empty() {
            paths.push(base);
        }
        return;
    }
    let mut path = base;
    path.push(name.clone());
    match text[name.len()..].strip_prefix("::") {
        Some(next) => expand(next, path, paths),
        None => paths.push(path),
    }
}

/// Each file's layer, by the longest entry of the table that holds it.
fn layer_of(file: &Path, layers: &[(String, Vec<String>)]) -> Option<usize> {
    let file = file.to_string_lossy();
    layers
        .iter()
        .enumerate()
        .flat_map(|(at, (_, paths))| paths.iter().map(move |p| (at, p)))
        .filter(|(_, p)| {
            let p = p.trim_start_matches("src/");
            if p.ends_with('/') {
                file.starts_with(p)
            } else {
                *file == *p
            }
        })
        .max_by_key(|(_, p)| p.len())
        .map(|(at, _)| at)
}

/// The modules a file declares: `mod csv;`, `pub(crate) mod csv;`.
fn children(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("pub(crate) ").unwrap_or(line);
            let rest = rest.strip_prefix("pub ").unwrap_or(rest);
            let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_owned())
        })
        .collect()
}

/// The files each file imports, from its `crate::` and `super::` paths.
fn imports(src: &Path, files: &BTreeSet<PathBuf>) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut graph = BTreeMap::new();
    for file in files {
        let code = code_of(&std::fs::read_to_string(src.join(file)).unwrap());
        let module = module_of(file);
        let parent: Vec<String> = module[..module.len().saturating_sub(1)].to_vec();
        let mut targets = BTreeSet::new();
        let within = |base: &[String], path: Vec<String>| {
            let mut full = base.to_vec();
            full.extend(path);
            full
        };
        let mut named: Vec<Vec<String>> = paths_in(&code, "crate::");
        named.extend(
            paths_in(&code, "super::")
                .into_iter()
                .map(|path| within(&parent, path)),
        );
        // A module's own children, named without a prefix (`csv::CsvSource`).
        for child in children(&code) {
            named.extend(
                paths_in(&code, &format!("{child}::"))
                    .into_iter()
                    .map(|path| within(&module, [vec![child.clone()], path].concat())),
            );
        }
        for path in named {
            if let Some(target) = file_of(&path, files)
                && target != *file
            {
                targets.insert(target);
            }
        }
        graph.insert(file.clone(), targets);
    }
    graph
}

/// The groups of files that import each other in a circle (Tarjan's strongly connected
/// components of more than one file).
fn circles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct State<'a> {
        graph: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        on_stack: BTreeSet<&'a PathBuf>,
        found: Vec<Vec<PathBuf>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a PathBuf) {
        let at = state.index.len();
        state.index.insert(node, at);
        state.low.insert(node, at);
        state.stack.push(node);
        state.on_stack.insert(node);
        for next in &state.graph[node] {
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut group = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                group.push(top.clone());
                if top == node {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                state.found.push(group);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

#[test]
fn every_import_points_down_the_layer_order_and_none_closes_a_circle() {
    let repo = common::repo();
    let src = repo.join("src");
    let layers = layers(&repo);
    assert!(
        layers.len() > 5,
        "the layer table lists the layers: {layers:?}"
    );
    let mut found = Vec::new();
    sources(&src, &src, &mut found);
    let files: BTreeSet<PathBuf> = found.into_iter().collect();
    let roots = [PathBuf::from("lib.rs"), PathBuf::from("main.rs")];
    let mut problems = Vec::new();
    let mut layer = BTreeMap::new();
    for file in files.iter().filter(|f| !roots.contains(f)) {
        match layer_of(file, &layers) {
            Some(at) => {
                layer.insert(file.clone(), at);
            }
            None => problems.push(format!(
                "src/{} is in no layer: give it one in ARCHITECTURE.md's table",
                file.display()
            )),
        }
    }
    let graph = imports(&src, &files);
    for (file, targets) in &graph {
        let Some(&from) = layer.get(file) else {
            continue;
        };
        for target in targets {
            if let Some(&to) = layer.get(target)
                && to > from
            {
                problems.push(format!(
                    "src/{} ({}) imports src/{} ({}), a layer above it",
                    file.display(),
                    layers[from].0,
                    target.display(),
                    layers[to].0
                ));
            }
        }
    }
    for circle in circles(&graph) {
        let names: Vec<String> = circle
            .iter()
            .map(|f| format!("src/{}", f.display()))
            .collect();
        problems.push(format!(
            "these files import each other in a circle: {}",
            names.join(", ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_of_paths_expands_use_trees() {
    let code = "use crate::{a, b::{c, d::e}};\nlet x = crate::f::g(super::h);";
    let crate_paths = paths_in(code, "crate::");
    assert_eq!(
        crate_paths,
        vec![
            vec!["a".to_owned()],
            vec!["b".to_owned(), "c".to_owned()],
            vec!["b".to_owned(), "d".to_owned(), "e".to_owned()],
            vec!["f".to_owned(), "g".to_owned()],
        ]
    );
    assert_eq!(paths_in(code, "super::"), vec![vec!["h".to_owned()]]);
    let graph = BTreeMap::from([
        (
            PathBuf::from("a.rs"),
            BTreeSet::from([PathBuf::from("b.rs")]),
        ),
        (
            PathBuf::from("b.rs"),
            BTreeSet::from([PathBuf::from("a.rs")]),
        ),
        (
            PathBuf::from("c.rs"),
            BTreeSet::from([PathBuf::from("a.rs")]),
        ),
    ]);
    assert_eq!(
        circles(&graph),
        vec![vec![PathBuf::from("a.rs"), PathBuf::from("b.rs")]]
    );
}
