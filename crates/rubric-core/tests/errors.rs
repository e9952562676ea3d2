//! Bad input gets a clear error that says where and what was expected — never a panic.

#![allow(clippy::type_complexity)] // the error tables are tuples on purpose: one line per case

use std::fmt::Write as _;

use rubric_core::{
    import, import_bytes, Format, ImportOptions, Limits, Rubric, RubricErrorKind as R, TranscriptErrorKind as T,
};

/// A valid rubric; each case below replaces one line of it.
const BASE: &str = r#"id: base
version: "1"
title: Base
scale:
  levels:
    - { level: 1, label: Low, from: 0.0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1.0 }
lexicons:
  hedges: [maybe, probably]
competencies:
  - id: comp
    title: Competency
    weight: 1
    subcompetencies:
      - id: sub
        title: Sub
        behaviors:
          - id: asks
            title: Asks
            feedback: Ask.
            detectors:
              - phrases: [can i assume]
          - id: tests
            title: Tests
            feedback: Test.
            after: { behavior: asks }
            detectors:
              - regex: 'test(s|ing)?'
"#;

fn with(line: usize, replacement: &str) -> String {
    BASE.lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { replacement.to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn base_rubric_is_valid() {
    Rubric::from_yaml(BASE).unwrap();
}

#[test]
fn rubric_errors_name_kind_path_line_and_column() {
    let table: Vec<(&str, String, R, &str, Option<(usize, usize)>, &str)> = vec![
        ("yaml syntax", with(3, "title: \"unclosed"), R::Syntax, "", None, "found unexpected end of stream"),
        (
            "wrong type",
            with(13, "    weight: heavy"),
            R::Schema,
            "competencies[0].weight",
            Some((13, 13)),
            "invalid type",
        ),
        (
            "unknown key with suggestion",
            with(13, "    wieght: 1"),
            R::Schema,
            "competencies[0].wieght",
            Some((13, 5)),
            "did you mean `weight`",
        ),
        (
            "missing key",
            with(20, "            # no feedback"),
            R::Schema,
            "competencies[0].subcompetencies[0].behaviors[0]",
            None,
            "missing field `feedback`",
        ),
        (
            "invalid regex",
            with(28, "              - regex: 'test(('"),
            R::InvalidRegex,
            "competencies[0].subcompetencies[0].behaviors[1].detectors[0].regex",
            Some((28, 24)),
            "unclosed group",
        ),
        (
            "empty-matching regex",
            with(28, "              - regex: 'x*'"),
            R::InvalidRegex,
            "competencies[0].subcompetencies[0].behaviors[1].detectors[0].regex",
            Some((28, 24)),
            "empty string",
        ),
        (
            "duplicate id",
            with(23, "          - id: asks"),
            R::DuplicateId,
            "competencies[0].subcompetencies[0].behaviors[1].id",
            Some((23, 17)),
            "first defined at competencies[0].subcompetencies[0].behaviors[0].id",
        ),
        (
            "unknown behavior",
            with(26, "            after: { behavior: nobody }"),
            R::UnknownReference,
            "competencies[0].subcompetencies[0].behaviors[1].after.behavior",
            Some((26, 32)),
            "unknown behavior \"nobody\"",
        ),
        (
            "unknown lexicon",
            with(22, "              - lexicon: hedgez"),
            R::UnknownReference,
            "competencies[0].subcompetencies[0].behaviors[0].detectors[0].lexicon",
            Some((22, 26)),
            "defined lexicons: hedges",
        ),
        (
            "unknown question exclusion lexicon",
            with(22, "              - question: { except_lexicon: hedgez }"),
            R::UnknownReference,
            "competencies[0].subcompetencies[0].behaviors[0].detectors[0].question.except_lexicon",
            Some((22, 45)),
            "defined lexicons: hedges",
        ),
        (
            "unknown event",
            with(26, "            after: { event: coffee_break }"),
            R::UnknownReference,
            "competencies[0].subcompetencies[0].behaviors[1].after.event",
            Some((26, 29)),
            "declare others under `events`",
        ),
        (
            "negative weight",
            with(13, "    weight: -2"),
            R::InvalidWeight,
            "competencies[0].weight",
            Some((13, 13)),
            "must be a finite number >= 0",
        ),
        ("all-zero weights", with(13, "    weight: 0"), R::InvalidWeight, "competencies", Some((11, 3)), "all 0"),
        (
            "band gap",
            with(7, "    - { level: 2, label: High, from: 0.6, to: 1.0 }"),
            R::InvalidLevels,
            "scale.levels[1].from",
            Some((7, 38)),
            "gap between level 1 (to 0.5) and level 2 (from 0.6)",
        ),
        (
            "band overlap",
            with(7, "    - { level: 2, label: High, from: 0.4, to: 1.0 }"),
            R::InvalidLevels,
            "scale.levels[1].from",
            Some((7, 38)),
            "overlaps level 1",
        ),
        (
            "empty phrase list",
            with(22, "              - phrases: []"),
            R::EmptyDetector,
            "competencies[0].subcompetencies[0].behaviors[0].detectors[0].phrases",
            Some((22, 26)),
            "empty",
        ),
        (
            "empty question exclusion list",
            with(22, "              - question: { except: [] }"),
            R::EmptyDetector,
            "competencies[0].subcompetencies[0].behaviors[0].detectors[0].question.except",
            Some((22, 37)),
            "leave `except` out",
        ),
        (
            "two detector kinds",
            with(22, "              - { phrases: [x], regex: y }"),
            R::Schema,
            "competencies[0].subcompetencies[0].behaviors[0].detectors[0]",
            Some((22, 19)),
            "exactly one of",
        ),
        (
            "cycle",
            with(18, "          - id: asks\n            after: { behavior: tests }"),
            R::Cycle,
            "competencies[0].subcompetencies[0].behaviors[0]",
            Some((18, 13)),
            "cycle among: asks, tests",
        ),
        ("bad id", with(1, "id: Base Rubric"), R::InvalidValue, "id", Some((1, 5)), "invalid id"),
        (
            "unknown round",
            with(2, "version: \"1\"\nround: lunch"),
            R::Schema,
            "round",
            Some((3, 8)),
            "unknown variant `lunch`",
        ),
    ];
    for (name, yaml, kind, path, position, message) in table {
        let Err(errors) = Rubric::from_yaml(&yaml) else { panic!("{name}: accepted") };
        let error = errors.errors().iter().find(|e| e.kind == kind).unwrap_or_else(|| panic!("{name}: {errors}"));
        assert_eq!(error.path, path, "{name}: {error}");
        if let Some((line, column)) = position {
            assert_eq!((error.line, error.column), (Some(line), Some(column)), "{name}: {error}");
        }
        assert!(error.message.contains(message), "{name}: message {:?} lacks {message:?}", error.message);
    }
}

#[test]
fn every_error_in_a_rubric_is_reported_not_just_the_first() {
    let yaml = with(13, "    weight: -1").replace("regex: 'test(s|ing)?'", "regex: '(('");
    let errors = Rubric::from_yaml(&yaml).unwrap_err();
    let kinds: Vec<R> = errors.errors().iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&R::InvalidWeight) && kinds.contains(&R::InvalidRegex), "{errors}");
}

#[test]
fn rubric_limits_are_enforced_and_configurable() {
    let limits = Limits { max_rubric_bytes: 100, ..Limits::default() };
    let errors = Rubric::builder().limits(limits).from_yaml(BASE).unwrap_err();
    assert_eq!(errors.first().kind, R::LimitExceeded);
    let expected = format!("the rubric is {} bytes, over the limit of 100 bytes (max_rubric_bytes)", BASE.len());
    assert_eq!(errors.first().message, expected);
    let limits = Limits { max_criteria: 1, ..Limits::default() };
    assert!(Rubric::builder().limits(limits).from_yaml(BASE).unwrap_err().first().message.contains("limit of 1"));
    // A regex that compiles to more than `max_regex_size` is over a limit, not invalid: the error
    // says so, names the limit and gives the size it needs.
    let limits = Limits { max_regex_size: 100, ..Limits::default() };
    let huge = BASE.replace("'test(s|ing)?'", "'\\w{50}'");
    let errors = Rubric::builder().limits(limits).from_yaml(&huge).unwrap_err();
    let error = errors.first();
    assert_eq!(error.kind, R::LimitExceeded, "{errors}");
    let size = error.message.strip_prefix("the compiled regex takes ").and_then(|rest| rest.split(' ').next());
    let size: usize = size.and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no size in {error}"));
    assert!(size > 100, "{error}");
    assert!(error.message.ends_with("over the limit of 100 bytes (max_regex_size)"), "{error}");
    // The size reported is measured as the limit is checked, so exactly that size compiles.
    let exact = Limits { max_regex_size: size, ..Limits::default() };
    assert!(Rubric::builder().limits(exact).from_yaml(&huge).is_ok());
}

/// The first error of `yaml` under `limits`: kind, path, line, column, message.
fn first_error(yaml: &str, limits: Limits) -> (R, String, Option<usize>, Option<usize>, String) {
    let errors = Rubric::builder().limits(limits).from_yaml(yaml).unwrap_err();
    let e = errors.first().clone();
    (e.kind, e.path, e.line, e.column, e.message)
}

#[test]
fn regex_cost_limits_point_at_the_detector_that_crosses_them() {
    let yaml = BASE
        .replace("- phrases: [can i assume]", "- regex: 'can i (assume|suppose)'")
        .replace("'test(s|ing)?'", "'(?:\\w{20} ){10}'");
    Rubric::from_yaml(&yaml).unwrap();
    let first = "competencies[0].subcompetencies[0].behaviors[0].detectors[0].regex".to_string();
    let second = "competencies[0].subcompetencies[0].behaviors[1].detectors[0].regex".to_string();
    // Nested counted repetitions multiply.
    let limits = Limits { max_regex_repetition: 199, ..Limits::default() };
    let message = "the counted repetitions `{10}` and `{20}` repeat a part of the regex 200 times, over the limit of \
                   199 (max_regex_repetition)";
    assert_eq!(first_error(&yaml, limits), (R::LimitExceeded, second.clone(), Some(28), Some(24), message.into()));
    Rubric::builder().limits(Limits { max_regex_repetition: 200, ..Limits::default() }).from_yaml(&yaml).unwrap();
    // The total: with room for the first regex only, the error is at the second, not at 1:1.
    let (kind, path, _, _, message) = first_error(&yaml, Limits { max_regex_total_size: 0, ..Limits::default() });
    assert_eq!((kind, path), (R::LimitExceeded, first));
    let size_of = |message: &str| -> usize {
        message.strip_prefix("the compiled regex takes ").and_then(|m| m.split(' ').next()).unwrap().parse().unwrap()
    };
    let one = size_of(&message);
    let limits = Limits { max_regex_total_size: one + 1, ..Limits::default() };
    let (kind, path, line, column, message) = first_error(&yaml, limits);
    let two = size_of(&message);
    assert_eq!((kind, path, line, column), (R::LimitExceeded, second, Some(28), Some(24)));
    assert_eq!(
        message,
        format!(
            "the compiled regex takes {two} bytes, which brings the rubric's regexes to {} bytes, over the limit \
             of {} bytes for all regexes together (max_regex_total_size)",
            one + two,
            one + 1
        )
    );
    Rubric::builder().limits(Limits { max_regex_total_size: one + two, ..Limits::default() }).from_yaml(&yaml).unwrap();
}

#[test]
fn yaml_alias_bombs_and_deep_nesting_are_refused() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 { "a".to_string() } else { format!("b{}", i - 1) };
        let refs = vec![format!("*{prev}"); 10].join(", ");
        writeln!(bomb, "b{i}: &b{i} [{refs}]").unwrap();
    }
    let error = Rubric::from_yaml(&bomb).unwrap_err();
    assert!(matches!(error.first().kind, R::LimitExceeded | R::Schema), "{error}");
    let deep = format!("id: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    let error = Rubric::from_yaml(&deep).unwrap_err();
    assert!(matches!(error.first().kind, R::LimitExceeded | R::Schema | R::Syntax), "{error}");
}

/// YAML nesting is a fixed limit of 128 levels (docs/rubric-format.md, "Limits"), checked before
/// serde_yaml parses the document: its parser takes time quadratic in the depth of flow
/// collections, so a 1 MiB `[[[...]]]` would otherwise take minutes to refuse.
#[test]
fn yaml_nesting_is_refused_beyond_128_levels_quickly() {
    // `id:` is level 1; the brackets add one level each.
    let nested = |depth: usize| format!("id: {}x{}\n", "[".repeat(depth), "]".repeat(depth));
    let errors = Rubric::from_yaml(&nested(127)).unwrap_err();
    assert_eq!((errors.first().kind, errors.first().path.as_str()), (R::Schema, "id"), "{errors}");
    for depth in [128, 300, 400_000] {
        let errors = Rubric::from_yaml(&nested(depth)).unwrap_err();
        let error = errors.first();
        assert_eq!(error.kind, R::LimitExceeded, "{depth}: {errors}");
        assert_eq!(error.message, "the rubric is nested more than 128 levels deep (a fixed limit)");
        assert_eq!(error.line, Some(1), "{depth}");
    }
    // The column is the first level too deep (far deeper, where the scanner gave up).
    assert_eq!(Rubric::from_yaml(&nested(128)).unwrap_err().first().column, Some(4 + 128));
    // Block nesting counts the same way.
    let mut block = String::new();
    for level in 0..130 {
        writeln!(block, "{}k{level}:", "  ".repeat(level)).unwrap();
    }
    let errors = Rubric::from_yaml(&block).unwrap_err();
    assert_eq!((errors.first().kind, errors.first().line), (R::LimitExceeded, Some(129)), "{errors}");
}

/// Fields a transcript format ignores (speech-to-text output carries many) are skipped without
/// recursion, so deep nesting there costs linear time and no stack.
#[test]
fn deeply_nested_ignored_transcript_fields_are_skipped() {
    let depth = 100_000;
    let utterances = format!(
        r#"{{"utterances": [{{"speaker": "A", "start": 0, "end": 1, "text": "hi", "extra": {}1{}}}]}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let mut options = ImportOptions::default();
    options.map_speaker("A=candidate").unwrap();
    assert_eq!(import(&utterances, None, &options).unwrap().turns().len(), 1);
}

#[test]
fn unknown_bundled_rubric_lists_the_bundled_ones() {
    let error = Rubric::bundled("nope").unwrap_err();
    assert_eq!(error.first().kind, R::NotFound);
    assert!(error.first().message.contains("coding-round"));
}

fn json_error(input: &str) -> rubric_core::TranscriptError {
    import(input, None, &ImportOptions::default()).unwrap_err()
}

#[test]
fn transcript_errors_name_kind_path_and_position() {
    let turn = |extra: &str| format!(r#"{{"turns": [{{"role": "candidate", "text": "hi"{extra}}}]}}"#);
    let table: Vec<(&str, String, T, &str, &str)> = vec![
        ("syntax", "{\"turns\": [".into(), T::Syntax, "turns", "EOF while parsing a list"),
        ("unknown role", r#"{"turns": [{"role": "host", "text": "hi"}]}"#.into(), T::UnknownRole, "turns[0].role", "unknown variant `host`"),
        ("unknown field", turn(r#", "txt": 1"#), T::Schema, "turns[0].txt", "unknown field `txt`"),
        ("end before start", turn(r#", "start": 5, "end": 2"#), T::InvalidTime, "turns[0].end", "end (2) is before start (5)"),
        ("negative time", turn(r#", "start": -1, "end": 2"#), T::InvalidTime, "turns[0].start", "finite number of seconds >= 0"),
        ("start without end", turn(r#", "start": 1"#), T::InvalidTime, "turns[0]", "both start and end"),
        ("no turns", r#"{"turns": []}"#.into(), T::Empty, "turns", "no turns"),
        ("no role", r#"{"turns": [{"speaker": "Alice", "text": "hi"}]}"#.into(), T::UnmappedSpeaker, "turns[0]", "speaker \"Alice\" has no role"),
        (
            "unsorted",
            r#"{"turns": [{"role": "candidate", "text": "a", "start": 5, "end": 6}, {"role": "candidate", "text": "b", "start": 1, "end": 2}]}"#.into(),
            T::Order,
            "turns[1].start",
            "time order",
        ),
        (
            "mixed timing",
            r#"{"turns": [{"role": "candidate", "text": "a", "start": 5, "end": 6}, {"role": "candidate", "text": "b"}]}"#.into(),
            T::InvalidTime,
            "turns[1]",
            "every turn",
        ),
        (
            "segment past the end",
            r#"{"turns": [{"role": "candidate", "text": "a"}], "segments": [{"id": "q", "round": "coding", "start_turn": 3}]}"#.into(),
            T::InvalidReference,
            "segments[0].start_turn",
            "turn 3 does not exist",
        ),
        ("empty input", "   \n".into(), T::Empty, "", "empty"),
    ];
    for (name, input, kind, path, message) in table {
        let error = json_error(&input);
        assert_eq!(error.kind, kind, "{name}: {error}");
        assert_eq!(error.path, path, "{name}: {error}");
        assert!(error.message.contains(message), "{name}: {:?} lacks {message:?}", error.message);
    }
    // serde_json's position is kept.
    let error = json_error("{\"turns\": [\n  {\"role\": \"host\", \"text\": \"hi\"}]}");
    assert_eq!((error.line, error.column), (Some(2,), Some(17)));
}

#[test]
fn text_and_vtt_errors_give_the_line() {
    let options = ImportOptions::default();
    let error = import("hello there\nInterviewer: hi", None, &options).unwrap_err();
    assert_eq!((error.kind, error.line), (T::Syntax, Some(1)));
    let error = import("Interviewer: hi\nAlice Smith: hello", None, &options).unwrap_err();
    assert_eq!((error.kind, error.line), (T::UnmappedSpeaker, Some(2)));
    assert_eq!(*error.names, ["Alice Smith"], "each binding words its own advice from the list");
    assert!(!error.message.contains("--speaker"), "no command-line advice in the core's message");
    let error = import("[00:01] Interviewer: hi\nCandidate: hello", None, &options).unwrap_err();
    assert_eq!((error.kind, error.line), (T::InvalidTime, Some(2)));
    let error = import("WEBVTT\n\n00:00:01.000 --> nonsense\n<v Interviewer>hi\n", None, &options).unwrap_err();
    assert_eq!((error.kind, error.line), (T::Syntax, Some(3)));
    // Captions with no speaker anywhere are unlabelled speech; one unnamed cue among named ones is
    // a syntax error at its line.
    let error = import("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nno speaker here\n", None, &options).unwrap_err();
    assert_eq!((error.kind, error.line), (T::UnlabelledSpeech, Some(4)));
    let error = import(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Interviewer>hi\n\n00:00:03.000 --> 00:00:04.000\nno speaker here\n",
        None,
        &options,
    )
    .unwrap_err();
    assert_eq!((error.kind, error.line), (T::Syntax, Some(7)));
    let error = import(r#"{"utterances": [{"speaker": "A", "start": 0, "end": 10, "text": "hi"}]}"#, None, &options)
        .unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (T::UnmappedSpeaker, "utterances[0].speaker"));
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let error = import_bytes(b"Interviewer: hi\nCandidate: caf\xe9", None, &ImportOptions::default()).unwrap_err();
    assert_eq!(error.kind, T::Syntax);
    assert_eq!((error.line, error.column), (Some(2), Some(15)));
    assert!(error.message.contains("invalid UTF-8 at byte 30"));
}

#[test]
fn transcript_limits_are_enforced_and_configurable() {
    let options = ImportOptions { limits: Limits { max_turns: 1, ..Limits::default() }, ..ImportOptions::default() };
    let error = import("Interviewer: a\nCandidate: b", None, &options).unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (T::LimitExceeded, "turns"));
    assert_eq!(error.message, "2 turns exceed the limit of 1 (max_turns)");
    let options =
        ImportOptions { limits: Limits { max_transcript_bytes: 10, ..Limits::default() }, ..ImportOptions::default() };
    assert_eq!(import("Interviewer: hello there", None, &options).unwrap_err().kind, T::LimitExceeded);
    let options =
        ImportOptions { limits: Limits { max_turn_bytes: 3, ..Limits::default() }, ..ImportOptions::default() };
    let error = import("Interviewer: hello", None, &options).unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (T::LimitExceeded, "turns[0].text"));
    assert_eq!(error.message, "the text is 5 bytes, over the limit of 3 bytes (max_turn_bytes)");
    // A rubric with tighter limits refuses a transcript imported under looser ones.
    let rubric = Rubric::builder().limits(Limits { max_turns: 1, ..Limits::default() }).from_yaml(BASE).unwrap();
    let transcript = import("Interviewer: a\nCandidate: b", None, &ImportOptions::default()).unwrap();
    assert_eq!(rubric.score(&transcript).unwrap_err().kind, T::LimitExceeded);
}

#[test]
fn scoring_costs_past_their_limits_are_refused_at_the_turn() {
    let transcript = import(
        "Interviewer: ok\nCandidate: can i assume it is sorted\nCandidate: can i assume no tests, can i assume so",
        None,
        &ImportOptions::default(),
    )
    .unwrap();
    // Three matches of `can i assume`, one of `tests`: the fourth is in the last turn.
    let rubric = Rubric::builder().limits(Limits { max_matches: 3, ..Limits::default() }).from_yaml(BASE).unwrap();
    let error = rubric.score(&transcript).unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (T::LimitExceeded, "turns[2].text"));
    assert_eq!(
        error.message,
        "this turn takes the matches of the rubric's detectors in the transcript past the limit of 3 (max_matches)"
    );
    Rubric::builder()
        .limits(Limits { max_matches: 4, ..Limits::default() })
        .from_yaml(BASE)
        .unwrap()
        .score(&transcript)
        .unwrap();

    // A regex whose own DFA gives up (two overlapping windows) on text that varies both windows:
    // mostly `h`, with `a` and `z` each about one byte in 50.
    let yaml = BASE.replace("'test(s|ing)?'", "'(?:[a-p]{100}|[h-z]{100})x'");
    let mut state = 7u64;
    let text: String = (0..100_000)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            match (state >> 33) % 50 {
                0 => 'a',
                1 => 'z',
                _ => 'h',
            }
        })
        .collect();
    let transcript = import(&format!("Interviewer: ok\nCandidate: {text}x"), None, &ImportOptions::default()).unwrap();
    let rubric =
        Rubric::builder().limits(Limits { max_regex_fallback_work: 1, ..Limits::default() }).from_yaml(&yaml).unwrap();
    let error = rubric.score(&transcript).unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (T::LimitExceeded, "turns[1].text"));
    assert_eq!(
        error.message,
        "the regex of `competencies[0].subcompetencies[0].behaviors[1].detectors[0]` makes its DFA give up on this \
         turn, and searching the rest of the turn by NFA simulation would pass the limit of 1 KiB of regex x KiB of \
         text (max_regex_fallback_work)"
    );
    Rubric::from_yaml(&yaml).unwrap().score(&transcript).unwrap();
}

#[test]
fn format_names_parse_and_unknown_ones_are_refused() {
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>().unwrap(), format);
    }
    assert!("docx"
        .parse::<Format>()
        .unwrap_err()
        .message
        .contains("expected json, text, vtt, srt, utterances, deepgram, aws, whisper or rev"));
}

/// Every structural error in one run (issue 16, item 4): a wrong key, a wrong type and a missing
/// key each used to stop `check`, so a rubric with five mistakes took five runs.
#[test]
fn structural_errors_are_all_reported_in_one_run() {
    let yaml = std::fs::read_to_string(common_fixture("bad/rubrics/structure-five-mistakes.yaml")).unwrap();
    let errors = Rubric::from_yaml(&yaml).unwrap_err();
    let behaviors = "competencies[0].subcompetencies[0].behaviors";
    let found: Vec<(R, String, Option<usize>, Option<usize>)> =
        errors.errors().iter().map(|e| (e.kind, e.path.clone(), e.line, e.column)).collect();
    assert_eq!(
        found,
        [
            (R::Schema, format!("{behaviors}[0].detectors[0].phrase"), Some(20), Some(17)),
            (R::Schema, format!("{behaviors}[1].type"), Some(23), Some(13)),
            (R::Schema, format!("{behaviors}[2]"), Some(27), Some(13)),
            (R::Schema, format!("{behaviors}[3].weight"), Some(33), Some(21)),
            (R::Schema, format!("{behaviors}[3].feedbak"), Some(34), Some(13)),
        ]
    );
    let messages: Vec<&str> = errors.errors().iter().map(|e| e.message.as_str()).collect();
    assert!(messages[0].ends_with("did you mean `phrases`?"), "{}", messages[0]);
    assert_eq!(messages[2], "missing field `feedback`");
    assert_eq!(messages[3], "invalid type: string \"heavy\", expected f64");
    // The misspelt `feedbak` is one mistake: no "missing field `feedback`" for behaviors[3] too.
    assert!(messages[4].ends_with("did you mean `feedback`?"), "{}", messages[4]);
}

#[test]
fn structural_errors_keep_their_document_paths_when_earlier_siblings_are_set_aside() {
    // Behaviors 1 and 3 lack `feedback` (each is set aside), and behavior 4's detector has a
    // wrong key: its path must still say behaviors[4], not behaviors[2].
    let behavior = |i: usize, feedback: bool, key: &str| {
        format!(
            "          - id: b{i}\n            title: B{i}\n{}            detectors:\n              - {key}: [x{i}]\n",
            if feedback { "            feedback: F.\n" } else { "" }
        )
    };
    let mut yaml = BASE.split("        behaviors:\n").next().unwrap().to_string() + "        behaviors:\n";
    for (i, (feedback, key)) in
        [(true, "phrases"), (false, "phrases"), (true, "phrases"), (false, "phrases"), (true, "phrasez")]
            .iter()
            .enumerate()
    {
        yaml.push_str(&behavior(i, *feedback, key));
    }
    let errors = Rubric::from_yaml(&yaml).unwrap_err();
    let paths: Vec<&str> = errors.errors().iter().map(|e| e.path.as_str()).collect();
    let behaviors = "competencies[0].subcompetencies[0].behaviors";
    assert_eq!(
        paths,
        [format!("{behaviors}[1]"), format!("{behaviors}[3]"), format!("{behaviors}[4].detectors[0].phrasez")]
    );
    let line_of = |needle: &str| yaml.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert_eq!(errors.errors()[2].line, Some(line_of("phrasez")));
    assert_eq!(errors.errors()[1].line, Some(line_of("id: b3")));
}

#[test]
fn structural_errors_stop_at_their_cap() {
    let mut yaml = BASE.to_string();
    for i in 0..150 {
        let _ = writeln!(yaml, "extra_{i}: 1");
    }
    let errors = Rubric::from_yaml(&yaml).unwrap_err();
    assert_eq!(errors.len(), rubric_core::MAX_STRUCTURAL_ERRORS);
    assert_eq!(errors.errors()[99].path, "extra_99");
    // A syntax error stays alone: after it, the document cannot be read.
    assert_eq!(Rubric::from_yaml("id: [unclosed\n").unwrap_err().len(), 1);
}

fn common_fixture(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(relative)
}
