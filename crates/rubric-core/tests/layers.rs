//! The core's modules import one way only: each may use modules of its own layer or below, never
//! one above (DESIGN.md, "Layers"). Read from the sources, so a new `use crate::...` that points
//! upwards fails here, with the file and the module it reaches.

use std::collections::BTreeSet;
use std::path::Path;

/// The layers, bottom first. A module not listed takes its top-level module's layer.
const LAYERS: &[(&str, u32)] = &[
    ("util", 0),
    ("error", 0),
    ("limits", 1),
    ("text", 2),
    ("transcript", 3),
    ("specificity", 4),
    ("rubric", 4),
    ("matching", 5),
    ("metrics", 5),
    ("scorecard", 6),
    ("display", 6),
    ("rubric::compile", 6),
    ("evidence", 7),
    ("external", 7),
    ("score", 8),
    ("engine", 9),
    ("bundled", 9),
    ("calibration", 10),
    ("practice", 10),
];

fn layer(module: &str) -> Option<u32> {
    let exact = LAYERS.iter().find(|(name, _)| *name == module);
    let top = module.split("::").next().unwrap_or(module);
    exact.or_else(|| LAYERS.iter().find(|(name, _)| *name == top)).map(|(_, layer)| *layer)
}

/// `src/rubric/compile.rs` -> `rubric::compile`; `src/text/mod.rs` -> `text`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let parts = if parts.last().is_some_and(|p| p == "mod") { &parts[..parts.len() - 1] } else { &parts[..] };
    parts.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module part (lower-case segments) of every `crate::a::b` path the code names, comments and
/// tests left out, with `crate::{a, b::c}` groups expanded.
fn crate_paths(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]\nmod tests").next().unwrap_or(source);
    let code: String = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let group = regex::Regex::new(r"crate::((?:[a-z_]+::)*)\{([^{}]*)\}").unwrap();
    let mut expanded = code.clone();
    while let Some(found) = group.captures(&expanded) {
        let prefix = found[1].to_string();
        let items: Vec<String> = found[2]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| format!("crate::{prefix}{}", item.split_whitespace().next().unwrap()))
            .collect();
        let range = found.get(0).unwrap().range();
        expanded.replace_range(range, &items.join(" "));
    }
    let path = regex::Regex::new(r"crate::([a-z_]+(?:::[a-z_]+)*)").unwrap();
    path.captures_iter(&expanded).map(|c| c[1].to_string()).collect()
}

#[test]
fn no_module_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut upwards = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" {
            continue; // the crate root re-exports every layer
        }
        let from = layer(&module).unwrap_or_else(|| panic!("{module} has no layer in LAYERS"));
        for path in crate_paths(&std::fs::read_to_string(file).unwrap()) {
            // The longest prefix of the path that is a module.
            let segments: Vec<&str> = path.split("::").collect();
            let Some(target) =
                (1..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|m| modules.contains(m))
            else {
                continue;
            };
            if target == module || module.starts_with(&format!("{target}::")) {
                continue;
            }
            let to = layer(&target).unwrap();
            if to > from {
                upwards.push(format!("{module} (layer {from}) uses crate::{path} (layer {to})"));
            }
        }
    }
    assert!(upwards.is_empty(), "imports that point upwards:\n{}", upwards.join("\n"));
    assert!(modules.len() > 40, "the sources were read: {modules:?}");
}

#[test]
fn the_reader_sees_grouped_imports() {
    let paths =
        crate_paths("use crate::text::{span::Span, NormalizedText};\nuse crate::score::score;\n// crate::engine\n");
    assert_eq!(paths, ["text::span", "text", "score::score"], "the module part of each path, comments left out");
}
