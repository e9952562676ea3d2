//! YAML text -> `RubricSpec`, with syntax and type errors located by path, line and column.

use super::model::RubricSpec;
use crate::error::{strip_location, RubricError, RubricErrorKind, RubricErrors};
use crate::limits::Limits;
use crate::util::suggest::with_field_suggestion;
use crate::util::yaml_position::PositionIndex;

/// Parses a rubric document. Semantic checks happen later, in `compile`.
pub(crate) fn parse_yaml(yaml: &str, limits: &Limits) -> Result<RubricSpec, RubricErrors> {
    parse_yaml_walking(yaml, limits, false)
}

/// [`parse_yaml`], with the [`preflight`] walk run first on every document when `always_first`
/// (the tests compare the two).
fn parse_yaml_walking(yaml: &str, limits: &Limits, always_first: bool) -> Result<RubricSpec, RubricErrors> {
    // A byte-order mark is an encoding artefact (Windows editors write one), not content.
    let yaml = yaml.strip_prefix('\u{feff}').unwrap_or(yaml);
    if yaml.len() > limits.max_rubric_bytes {
        return Err(RubricErrors::single(RubricError::new(
            RubricErrorKind::LimitExceeded,
            "",
            format!(
                "the rubric is {} bytes, over the limit of {} bytes (max_rubric_bytes)",
                yaml.len(),
                limits.max_rubric_bytes
            ),
        )));
    }
    // Comments alone are no document either: say "empty" rather than "missing field `id`".
    if yaml.lines().all(|line| line.trim().is_empty() || line.trim_start().starts_with('#')) {
        return Err(RubricErrors::single(RubricError::new(RubricErrorKind::Schema, "", "the rubric is empty")));
    }
    // The preflight walk costs as much as serde_yaml's own parse. It must run first only when
    // serde_yaml could otherwise take quadratic time or expand aliases without bound; on other
    // documents it runs only if serde_yaml fails, so its errors still come first (a document
    // serde_yaml accepts fits the schema, which nests 9 levels, and has no aliases to expand).
    let checked_first = always_first || !serde_yaml_is_bounded_on(yaml);
    if checked_first {
        preflight(yaml, limits.max_rubric_bytes).map_err(RubricErrors::single)?;
    }
    // serde_yaml refuses alias expansion bombs ("repetition limit exceeded") with an error, and
    // `preflight` or `serde_yaml_is_bounded_on` has bounded the nesting and the expanded size, so
    // nothing can exhaust memory, time or the stack here.
    let deserializer = serde_yaml::Deserializer::from_str(yaml);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        if !checked_first {
            if let Err(limit) = preflight(yaml, limits.max_rubric_bytes) {
                return RubricErrors::single(limit);
            }
        }
        let path = match error.path().to_string() {
            p if p == "." => String::new(),
            p => p,
        };
        let inner = error.into_inner();
        let first = located_serde_error(&inner, path, yaml);
        if first.kind != RubricErrorKind::Schema {
            return RubricErrors::single(first);
        }
        // A wrong key or type is no reason to stop reading: list the others too, in one run.
        let rest = super::repair::errors_after(yaml, &first);
        RubricErrors::new(std::iter::once(first).chain(rest).collect())
    })
}

/// The deepest YAML nesting a rubric may have. Fixed, not one of the `Limits`: the schema itself
/// needs at most 9 levels, and serde_yaml stops at 128 anyway.
pub(crate) const MAX_YAML_DEPTH: usize = 128;

/// Whether serde_yaml parses `yaml` in linear time and memory without [`preflight`]: when it has
/// at most [`MAX_YAML_DEPTH`] flow-collection openers (`[`, `{`; counted anywhere, quoted or not,
/// so the count bounds the flow nesting that makes libyaml's scanner quadratic) and cannot expand
/// aliases (no `&`, which starts every anchor, or no `*`, which starts every alias). Every bundled
/// rubric passes; a document that does not is walked first, as before.
pub(super) fn serde_yaml_is_bounded_on(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    let flow_openers = bytes.iter().filter(|&&b| b == b'[' || b == b'{').count();
    let can_alias = bytes.contains(&b'&') && bytes.contains(&b'*');
    flow_openers <= MAX_YAML_DEPTH && !can_alias
}

/// Refuses YAML nested more than [`MAX_YAML_DEPTH`] levels deep, and YAML whose aliases expand
/// to more than `max_bytes` of text, in one walk over yaml-rust2's events (a second parser, and
/// as costly as serde_yaml's own parse, so it runs once for both).
///
/// Depth: serde_yaml's parser reads the whole document before its own depth check, in time
/// quadratic in the nesting of flow collections (`[[[...]]]` 20,000 levels deep takes seconds, a
/// 1 MiB one minutes); yaml-rust2's event parser is linear and the walk stops early.
/// Aliases: one anchored scalar aliased many times passes serde_yaml's own checks and expands
/// without bound (see `aliases`); only documents with a `*`, which starts every alias, are counted.
/// Other syntax errors are left to serde_yaml, which reports them as the rest of the engine expects.
pub(super) fn preflight(yaml: &str, max_bytes: usize) -> Result<(), RubricError> {
    use yaml_rust2::parser::{Event, Parser};
    let too_deep = |line: usize, column: usize| {
        let mut error = RubricError::new(
            RubricErrorKind::LimitExceeded,
            "",
            format!("the rubric is nested more than {MAX_YAML_DEPTH} levels deep (a fixed limit)"),
        );
        error.line = Some(line);
        error.column = Some(column);
        error
    };
    let mut expansion = yaml.contains('*').then(|| super::aliases::Expansion::new(max_bytes));
    let mut parser = Parser::new_from_str(yaml);
    let mut depth = 0usize;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            // yaml-rust2 has a depth limit of its own, above ours for flow collections.
            Err(error) if error.info().contains("recursion limit") => {
                return Err(too_deep(error.marker().line(), error.marker().col() + 1));
            }
            Err(_) => break,
        };
        match event {
            Event::StreamEnd => break,
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(too_deep(mark.line(), mark.col() + 1));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
        // A nesting error anywhere in the document is reported before an alias bomb, as when
        // the two were separate walks.
        if let Some(walker) = expansion.as_mut().filter(|w| !w.is_over()) {
            walker.on_event(event, mark);
        }
    }
    expansion.map_or(Ok(()), |walker| walker.result())
}

fn located_serde_error(error: &serde_yaml::Error, path: String, yaml: &str) -> RubricError {
    let raw = error.to_string();
    let kind = if is_yaml_syntax_error(&raw) {
        RubricErrorKind::Syntax
    } else if raw.contains("repetition limit") || raw.contains("recursion limit") {
        RubricErrorKind::LimitExceeded
    } else {
        RubricErrorKind::Schema
    };
    let mut message = strip_location(&raw);
    // serde_yaml prefixes the path of the enclosing node; the path has its own field.
    if let Some((prefix, rest)) = message.split_once(": ") {
        if !prefix.contains(' ') && path.starts_with(prefix) {
            message = rest.to_string();
        }
    }
    let (message, suggestion) = with_field_suggestion(message);
    // A syntax error belongs to the text, not to a node: the path serde had reached when the
    // parser failed would only mislead, so syntax errors carry their line and column alone.
    let path = if kind == RubricErrorKind::Syntax { String::new() } else { path };
    let mut located = RubricError::new(kind, path, message).suggesting(suggestion.as_deref());
    if let Some(location) = error.location() {
        located.line = Some(location.line());
        located.column = Some(location.column());
    } else if let Some((line, column)) = PositionIndex::build(yaml).locate(&located.path) {
        located.line = Some(line);
        located.column = Some(column);
    }
    located
}

/// Whether a serde_yaml message reports a YAML syntax error (rather than a type error).
pub(crate) fn is_yaml_syntax_error(raw: &str) -> bool {
    raw.contains("did not find expected")
        || raw.contains("found character")
        || raw.contains("mapping values are not allowed")
        || raw.contains("found unexpected")
        || raw.contains("could not find expected")
        || raw.contains("while scanning")
        || raw.contains("while parsing")
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use proptest::prelude::*;

    use super::*;

    /// The bundled rubrics skip the preflight walk; a document that could be slow for serde_yaml,
    /// or could expand aliases, does not.
    #[test]
    fn only_documents_serde_yaml_parses_in_bounded_time_skip_the_preflight() {
        for name in crate::bundled::names() {
            assert!(serde_yaml_is_bounded_on(crate::bundled::source(name).unwrap()), "{name}");
        }
        let openers = |n: usize| format!("id: {}x{}\n", "[".repeat(n), "]".repeat(n));
        assert!(serde_yaml_is_bounded_on(&openers(MAX_YAML_DEPTH)));
        assert!(!serde_yaml_is_bounded_on(&openers(MAX_YAML_DEPTH + 1)));
        // Braces count as brackets do, wherever they are (even quoted).
        assert!(!serde_yaml_is_bounded_on(&format!("id: '{}'\n", "{".repeat(MAX_YAML_DEPTH + 1))));
        assert!(serde_yaml_is_bounded_on("a: &x 1\nb: 2\n"), "an anchor without an alias");
        assert!(serde_yaml_is_bounded_on("a: 'stem*'\n"), "a star without an anchor");
        assert!(!serde_yaml_is_bounded_on("a: &x 1\nb: *x\n"));
    }

    /// When the walk is skipped and serde_yaml fails, the walk's error still comes first, as it
    /// did when the walk always ran before serde_yaml.
    #[test]
    fn a_skipped_preflight_still_reports_its_error_first() {
        let mut block = String::new();
        for level in 0..140 {
            writeln!(block, "{}k{level}:", "  ".repeat(level)).unwrap();
        }
        assert!(serde_yaml_is_bounded_on(&block));
        let limits = Limits::default();
        let walked = preflight(&block, limits.max_rubric_bytes).unwrap_err();
        let errors = parse_yaml(&block, &limits).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors}");
        assert_eq!(errors.first(), &walked);
        assert_eq!(walked.kind, RubricErrorKind::LimitExceeded);
    }

    /// Any line of a small YAML vocabulary: keys, sequences, flow collections, quoted brackets,
    /// anchors and aliases, comments, and lines that are not YAML at all.
    fn yaml_line() -> impl Strategy<Value = String> {
        let fragment = proptest::sample::select(
            &[
                "id: x",
                "k:",
                "- a",
                "- - b",
                "v: [a, [b, {c: d}]]",
                "w: {a: [1, 2], b: '[x'}",
                "s: \"]]{\"",
                "a: &x [1, 2]",
                "b: *x",
                "c: 'stem*'",
                "# comment [",
                "t: : :",
                "[",
                "]",
                "- {",
                "version: '1'",
            ][..],
        );
        (0usize..12, fragment).prop_map(|(indent, fragment)| format!("{}{fragment}", " ".repeat(indent)))
    }

    /// A document: some lines, sometimes after the start of a bundled rubric, sometimes with deep
    /// block or flow nesting appended.
    fn yaml_document() -> impl Strategy<Value = String> {
        let bundled = crate::bundled::source("coding-round").unwrap();
        let lines = bundled.lines().count();
        (proptest::collection::vec(yaml_line(), 0..30), 0..lines, 0usize..3, 100usize..160).prop_map(
            move |(extra, keep, deep, depth)| {
                let mut document: String = bundled.lines().take(keep).flat_map(|line| [line, "\n"]).collect();
                for line in extra {
                    writeln!(document, "{line}").unwrap();
                }
                match deep {
                    1 => (0..depth).for_each(|level| writeln!(document, "{}k{level}:", " ".repeat(level)).unwrap()),
                    2 => writeln!(document, "z: {}x{}", "[".repeat(depth), "]".repeat(depth)).unwrap(),
                    _ => {}
                }
                document
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Skipping the walk changes nothing: every document parses, or fails with the same
        /// errors, as when the walk always runs first.
        #[test]
        fn skipping_the_walk_gives_what_walking_first_gives(document in yaml_document()) {
            let limits = Limits::default();
            let walked_first = parse_yaml_walking(&document, &limits, true);
            prop_assert_eq!(parse_yaml(&document, &limits), walked_first);
        }
    }
}
