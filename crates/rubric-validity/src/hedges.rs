//! The hedge detector measured on the hand-labelled dev set (`validity/data/hedge-dev.*`).
//!
//! 400 utterances of the shared corpus: 200 drawn at random from labelled statements of at least
//! four words, and 200 at random from those that also contain a word often used to hedge (so that
//! the set has enough positives and enough look-alikes). Each was labelled 1 (hedged) or 0 by the
//! written rule in VALIDITY.md, by an annotator who did not see the detector or its output.

use std::fmt::Write;
use std::path::Path;

use rubric_core::text::hedge::find_hedges;
use rubric_core::text::NormalizedText;
use serde::Deserialize;

use crate::logistic::Counts;

#[derive(Debug, Clone, Deserialize)]
struct Sampled {
    id: usize,
    stratum: String,
    text: String,
}

/// One labelled utterance.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub stratum: String,
    pub text: String,
    pub hedged: bool,
}

pub fn load(dir: &Path) -> Result<Vec<Labelled>, String> {
    let read =
        |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()));
    let sample = read("hedge-dev.sample.jsonl")?;
    let labels = read("hedge-dev.labels.tsv")?;
    let mut out = Vec::new();
    for (n, (line, label)) in sample.lines().zip(labels.lines()).enumerate() {
        let sampled: Sampled =
            serde_json::from_str(line).map_err(|e| format!("hedge-dev.sample.jsonl line {}: {e}", n + 1))?;
        let mut fields = label.split('\t');
        let id: usize =
            fields.next().and_then(|f| f.parse().ok()).ok_or(format!("hedge-dev.labels.tsv line {}: no id", n + 1))?;
        if id != sampled.id {
            return Err(format!("hedge-dev.labels.tsv line {}: id {id}, but the sample has {}", n + 1, sampled.id));
        }
        let hedged = match fields.next() {
            Some("1") => true,
            Some("0") => false,
            other => return Err(format!("hedge-dev.labels.tsv line {}: label {other:?} is not 0 or 1", n + 1)),
        };
        out.push(Labelled { stratum: sampled.stratum, text: sampled.text, hedged });
    }
    if out.len() != sample.lines().count() || out.len() != labels.lines().count() {
        return Err("hedge-dev.sample.jsonl and hedge-dev.labels.tsv have different lengths".into());
    }
    Ok(out)
}

fn predicted(text: &str) -> Vec<&'static str> {
    let folded = NormalizedText::new(text);
    find_hedges(folded.as_str()).into_iter().map(|h| h.cue).collect()
}

pub fn report(set: &[Labelled]) -> String {
    let mut out = String::new();
    let positives = set.iter().filter(|l| l.hedged).count();
    let _ = writeln!(out, "{} utterances, {positives} labelled hedged.\n", set.len());
    out.push_str("| utterances | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|\n");
    for (name, stratum) in
        [("all", None), ("random statements", Some("random")), ("with a hedge-like word", Some("cue"))]
    {
        let mut c = Counts::default();
        for l in set.iter().filter(|l| stratum.is_none_or(|s| l.stratum == s)) {
            c.add(!predicted(&l.text).is_empty(), l.hedged);
        }
        crate::report::row(&mut out, name, c);
    }
    for (title, want) in [("Missed hedges", true), ("Utterances taken as hedged", false)] {
        let _ = writeln!(out, "\n{title} (the first 8):\n");
        for l in set.iter().filter(|l| l.hedged == want && predicted(&l.text).is_empty() == want).take(8) {
            let cues = predicted(&l.text);
            let found = if cues.is_empty() { String::new() } else { format!(" (found: {})", cues.join(", ")) };
            let _ = writeln!(out, "- \"{}\"{found}", l.text.trim());
        }
    }
    out
}
