//! Calibration on bundled fixtures: the engine's scorecards of three coding-round transcripts
//! against two raters' labels (`fixtures/calibration/coding-round-labels.csv`), with each figure
//! worked out by hand from the labels and the engine's statuses.

mod common;

use std::collections::BTreeMap;

use rubric_core::calibration::labels::read_labels;
use rubric_core::calibration::{calibrate, Calibration, CalibrationOptions};
use rubric_core::{Rubric, Transcript};

fn run(options: CalibrationOptions) -> Calibration {
    let rubric = Rubric::bundled("coding-round").unwrap();
    let mut cards = BTreeMap::new();
    for (id, path) in [
        ("coding-round-strong", "transcripts/coding-round/strong.json"),
        ("coding-round-weak", "transcripts/coding-round/weak.json"),
        ("two-sum", "transcripts/formats/two-sum.json"),
    ] {
        let text = std::fs::read_to_string(common::fixtures().join(path)).unwrap();
        cards.insert(id.to_string(), rubric.score(&Transcript::from_json(&text).unwrap()).unwrap());
    }
    let labels = std::fs::read_to_string(common::fixtures().join("calibration/coding-round-labels.csv")).unwrap();
    let (rows, errors) = read_labels(&labels);
    calibrate(&cards, &rows, errors, options)
}

#[test]
fn the_example_gives_the_figures_worked_out_by_hand() {
    let c = run(CalibrationOptions::default());
    assert_eq!((c.transcripts, c.raters.clone(), c.labels_used), (3, vec!["ann".to_string(), "bo".to_string()], 48));
    // Two bad rows, each by line (and column for the value), the good rows kept.
    let errors: Vec<_> = c.label_errors.iter().map(|e| (e.kind.as_str(), e.path.as_str(), e.line, e.column)).collect();
    assert_eq!(errors, [("unknown_reference", "node", Some(50), None), ("invalid_value", "value", Some(51), Some(40))]);
    assert_eq!(c.label_errors[0].suggestion.as_deref(), Some("asks_clarifying_questions"));
    assert!(c.label_errors[0].message.ends_with("did you mean `asks_clarifying_questions`?"));
    let behavior = |id: &str| c.behaviors.iter().find(|b| b.id == id).unwrap();
    // states_assumptions: engine present, present, absent; raters' majority present, absent, tie.
    // Compared: (present, present), (present, absent): precision 1/2, recall 1, F1 2/3; kappa 0
    // (the engine said present both times, so agreement is what chance gives).
    let b = behavior("states_assumptions");
    assert_eq!((b.items, b.tied), (3, 1));
    assert_eq!((b.precision, b.recall, b.f1, b.kappa), (Some(0.5), Some(1.0), Some(0.6667), Some(0.0)));
    assert_eq!(b.confusion["present"]["absent"], 1);
    // uses_helper_functions: the raters split on the strong transcript and agree on the others:
    // coincidences o(p,a) = o(a,p) = 1, o(a,a) = 4, n = 6, so alpha = 1 - 5 x 2 / (2 x 1 x 5) = 0.
    assert_eq!(behavior("uses_helper_functions").raters_alpha, Some(0.0));
    assert_eq!(behavior("asks_clarifying_questions").f1, Some(1.0));
    // The overall level agrees everywhere (0.9 and 0.55 read through the scale's bands).
    let overall = c.nodes.iter().find(|n| n.id == "overall").unwrap();
    assert_eq!(
        (overall.items, overall.quadratic_kappa, overall.mean_absolute_level_difference),
        (3, Some(1.0), Some(0.0))
    );
    // Disagreements, the heavier behavior first, with the engine's evidence where it had some.
    let found: Vec<(&str, &str, &str, &str)> =
        c.disagreements.iter().map(|d| (d.transcript.as_str(), d.behavior.as_str(), d.engine, d.raters)).collect();
    assert_eq!(
        found,
        [
            ("two-sum", "checks_in_with_interviewer", "absent", "present"),
            ("coding-round-weak", "states_assumptions", "present", "absent")
        ]
    );
    assert!(c.disagreements[0].evidence.is_none());
    assert!(c.disagreements[1].evidence.is_some());
    assert!(c.disagreements[0].weight > c.disagreements[1].weight);
}

#[test]
fn calibration_is_deterministic_and_the_seed_drives_the_intervals() {
    let options = CalibrationOptions { bootstrap_rounds: 200, seed: 3 };
    let first = serde_json::to_string(&run(options)).unwrap();
    assert_eq!(first, serde_json::to_string(&run(options)).unwrap());
    let none = run(CalibrationOptions { bootstrap_rounds: 0, seed: 3 });
    assert!(none.behaviors.iter().all(|b| b.f1_interval.is_none() && b.kappa_interval.is_none()));
    let with = run(options);
    let f1 = with.behaviors.iter().find(|b| b.id == "states_assumptions").unwrap().f1_interval.unwrap();
    assert!(f1[0] <= 0.6667 && 0.6667 <= f1[1], "{f1:?}");
}

/// `fixtures/golden/calibration/coding-round.json`: the example's whole result, which the CLI,
/// Python and JavaScript must reproduce exactly. `UPDATE_GOLDEN=1` rewrites it.
#[test]
fn the_example_matches_its_golden_file() {
    let actual = serde_json::to_string_pretty(&run(CalibrationOptions::default())).unwrap() + "\n";
    let path = common::fixtures().join("golden/calibration/coding-round.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), actual, "UPDATE_GOLDEN=1 to accept");
}

#[test]
fn the_html_page_shows_every_part_escaped_and_offline() {
    let mut c = run(CalibrationOptions::default());
    c.label_errors[0].message.push_str(" <script>alert(1)</script>");
    let html = rubric_core::calibration::render_calibration_html(&c);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && html.contains("&lt;script&gt;"), "label text is escaped");
    assert!(!html.contains("http://") && !html.contains("https://"), "no network");
    for part in [
        "Behaviors: engine against",
        "Confusion: engine status",
        "Scored nodes",
        "Disagreements",
        "Label rows left out",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    // The heatmap's cells add up to the items compared (every behavior's non-tied items).
    let heatmap = html.split("aria-label=\"confusion heatmap\"").nth(1).unwrap().split("</svg>").next().unwrap();
    let cells: usize = heatmap
        .split("font-weight=\"600\">")
        .skip(1)
        .map(|piece| piece.split('<').next().unwrap().parse::<usize>().unwrap())
        .sum();
    let compared: usize = c.behaviors.iter().map(|b| b.items - b.tied).sum();
    assert_eq!(cells, compared);
    // One bar per behavior, one whisker per interval.
    assert_eq!(html.matches("<title>F1 ").count(), c.behaviors.iter().filter(|b| b.f1.is_some()).count());
    assert_eq!(html, rubric_core::calibration::render_calibration_html(&c), "deterministic");
}
