//! The Markdown tables of VALIDITY.md.

use std::fmt::Write;

use crate::corpus::fold_of;
use crate::logistic::Counts;
use crate::questions::{counts, Predictions, Utterance, FOLDS};

/// Picks the utterances of one row of a table.
type Selector = fn(&Utterance) -> bool;

/// One table row: name, precision, recall, F1 and the counts behind them.
pub fn row(out: &mut String, name: &str, c: Counts) {
    let _ = writeln!(
        out,
        "| {name} | {:.3} | {:.3} | {:.3} | {} | {} | {} |",
        c.precision(),
        c.recall(),
        c.f1(),
        c.true_positive,
        c.false_positive,
        c.false_negative
    );
}

/// The question-detection section: overall, per fold, per tag and examples of errors.
pub fn questions(utterances: &[Utterance], p: &Predictions) -> String {
    let mut out = String::new();
    let questions = utterances.iter().filter(|u| u.question).count();
    let meetings = utterances.iter().map(|u| u.meeting).max().map_or(0, |m| m + 1);
    let _ = writeln!(
        out,
        "{} labelled utterances in {meetings} meetings, {questions} of them questions ({:.1}%); {FOLDS} meeting-level folds.\n",
        utterances.len(),
        100.0 * questions as f64 / utterances.len().max(1) as f64
    );
    out.push_str("| detector | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|\n");
    row(&mut out, "model, `?` stripped (cross-validated)", counts(utterances, &p.model, |_| true));
    row(&mut out, "hand-written cues only (the detector before), `?` stripped", counts(utterances, &p.rules, |_| true));
    row(
        &mut out,
        "ends with `?` (the engine on punctuated transcripts)",
        counts(utterances, &p.question_mark, |_| true),
    );
    out.push_str("\nThe model per outer fold (`?` stripped):\n\n| fold | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|\n");
    for fold in 0..FOLDS {
        row(&mut out, &fold.to_string(), counts(utterances, &p.model, |u| fold_of(u.meeting, FOLDS) == fold));
    }
    out.push_str("\nRecall per tag (`?` stripped; precision is defined only over all questions, since the detector does not name a tag):\n\n");
    out.push_str(
        "| questions tagged | count | model recall | cues-only recall | `?` recall |\n|---|---|---|---|---|\n",
    );
    let tags: [(&str, Selector); 8] = [
        ("qy (yes/no)", |u: &Utterance| u.general == "qy"),
        ("qw (wh-)", |u: &Utterance| u.general == "qw"),
        ("qh (rhetorical)", |u: &Utterance| u.general == "qh"),
        ("qo (open)", |u: &Utterance| u.general == "qo"),
        ("qr (or-)", |u: &Utterance| u.general == "qr"),
        ("qrr (or-clause after yes/no)", |u: &Utterance| u.general == "qrr"),
        ("^d (declarative)", |u: &Utterance| u.question && u.tag.contains("^d")),
        ("^g (tag question)", |u: &Utterance| u.question && u.tag.contains("^g")),
    ];
    for (name, keep) in &tags {
        let model = counts(utterances, &p.model, |u| u.question && keep(u));
        let rules = counts(utterances, &p.rules, |u| u.question && keep(u));
        let mark = counts(utterances, &p.question_mark, |u| u.question && keep(u));
        let _ = writeln!(
            out,
            "| {name} | {} | {:.3} | {:.3} | {:.3} |",
            model.true_positive + model.false_negative,
            model.recall(),
            rules.recall(),
            mark.recall()
        );
    }
    out.push_str("\nFalse positives of the model by the utterance's tag (most frequent):\n\n");
    let mut by_tag: Vec<(String, usize)> = Vec::new();
    for (u, &predicted) in utterances.iter().zip(&p.model) {
        if predicted && !u.question {
            match by_tag.iter_mut().find(|(t, _)| *t == u.general) {
                Some((_, n)) => *n += 1,
                None => by_tag.push((u.general.clone(), 1)),
            }
        }
    }
    by_tag.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let listed: Vec<String> = by_tag.iter().take(6).map(|(t, n)| format!("`{t}` {n}")).collect();
    let _ = writeln!(out, "{}\n", listed.join(", "));
    for (title, want) in [("Missed questions", true), ("Statements taken as questions", false)] {
        let _ = writeln!(out, "{title} (every 150th, in corpus order):\n");
        let wrong: Vec<&Utterance> = utterances
            .iter()
            .zip(&p.model)
            .filter(|(u, &pr)| u.question == want && pr != want)
            .map(|(u, _)| u)
            .collect();
        for u in wrong.iter().step_by(150).take(8) {
            let _ = writeln!(out, "- `{}` \"{}\"", u.tag, u.stripped().trim());
        }
        out.push('\n');
    }
    out
}
