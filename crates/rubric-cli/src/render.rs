//! Plain-text rendering of scorecards and errors for a terminal.

use std::fmt::Write as _;

use rubric_core::display;
use rubric_core::scorecard::{AnnotationStatus, BehaviorStatus, Evidence, NodeStatus, RedFlagStatus, Scorecard};
use rubric_core::{RubricErrors, Transcript};

/// How many evidence quotes to show per behavior.
const QUOTES_PER_BEHAVIOR: usize = 2;
/// How many feedback items to show.
const FEEDBACK_ITEMS: usize = 8;

pub fn rubric_errors(label: &str, errors: &RubricErrors) -> String {
    let mut out = format!("{label}: {} error{}\n", errors.len(), if errors.len() == 1 { "" } else { "s" });
    for error in errors.errors() {
        let _ = writeln!(out, "  {error}");
    }
    out.trim_end().to_string()
}

fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    format!("{:02}:{:02}", total / 60, total % 60)
}

fn bar(score: f64) -> String {
    let filled = (score * 10.0).round() as usize;
    format!("{}{}", "#".repeat(filled), ".".repeat(10 - filled.min(10)))
}

/// Characters of context shown on each side of a match.
const CONTEXT_CHARS: usize = 40;

/// The evidence in its sentence: up to `CONTEXT_CHARS` characters either side, the match in [brackets].
fn quote(evidence: &Evidence, transcript: &Transcript) -> String {
    let when = evidence.start.map(|s| format!("[{}] ", clock(s))).unwrap_or_default();
    let text = &transcript.turns()[evidence.turn].text;
    let [start, end] = evidence.span.bytes;
    let before: String = {
        let reversed: Vec<char> = text[..start].chars().rev().take(CONTEXT_CHARS + 1).collect();
        let cut = reversed.len() > CONTEXT_CHARS;
        let kept: String = reversed.iter().take(CONTEXT_CHARS).rev().collect();
        if cut {
            format!("...{}", kept.trim_start())
        } else {
            kept
        }
    };
    let after: String = {
        let mut kept: String = text[end..].chars().take(CONTEXT_CHARS).collect();
        if text[end..].chars().nth(CONTEXT_CHARS).is_some() {
            kept = format!("{}...", kept.trim_end());
        }
        kept
    };
    let matched: String = evidence.text.chars().take(120).collect();
    let line = format!("{before}[{matched}]{after}").replace(['\n', '\r'], " ");
    let from = match &evidence.detector.external {
        Some(external) => format!(
            ", from {}{}",
            external.source,
            external.confidence.map(|c| format!(" at confidence {c}")).unwrap_or_default()
        ),
        None => String::new(),
    };
    format!("{when}{} (turn {}{from}): \"{line}\"", evidence.speaker, evidence.turn)
}

/// How many annotations counted, and each one that did not with its reason.
fn annotations(out: &mut String, card: &Scorecard) {
    let uses = &card.transcript.annotations;
    if uses.is_empty() {
        return;
    }
    let counted = uses.iter().filter(|u| u.status == AnnotationStatus::Counted).count();
    let _ = writeln!(out, "annotations: {counted} of {} counted", uses.len());
    for unused in uses.iter().filter(|u| u.status != AnnotationStatus::Counted) {
        let why = unused.reason.as_deref().unwrap_or_default();
        let unverified = if unused.status == AnnotationStatus::Unverified { "unverified, " } else { "" };
        let _ = writeln!(
            out,
            "  not counted: {} ({}, {}): {unverified}{why}",
            unused.annotation, unused.behavior, unused.source
        );
    }
}

/// A node's score and level as `rubric_core::display` words it, then a bar of the score.
fn score_cell(score: Option<f64>, level: Option<i32>, label: Option<&str>, top: i32) -> String {
    let words = display::score(score, level, label, top);
    match score {
        Some(score) => format!("{words:<34} {}", bar(score)),
        None => words,
    }
}

fn status_note(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Scored => "",
        NodeStatus::EvidenceAgainst => "  (evidence against only)",
        NodeStatus::InsufficientEvidence => "  (insufficient evidence)",
        NodeStatus::NotMeasurable => "  (not measurable)",
    }
}

/// Marks a level read from under half of the weight, so that 4/4 from two measurable behaviors
/// does not pass for a full picture.
fn confidence_note(low_confidence: bool, coverage: f64) -> String {
    if low_confidence {
        format!("  (low confidence: {:.0}% of the weight measurable)", coverage * 100.0)
    } else {
        String::new()
    }
}

/// Each behavior status's mark in text output and what the legend calls it: one table, so the
/// legend cannot drift from the marks.
const MARKS: [(BehaviorStatus, &str, &str); 6] = [
    (BehaviorStatus::Demonstrated, "[x]", "demonstrated"),
    (BehaviorStatus::Partial, "[~]", "partial"),
    (BehaviorStatus::NotObserved, "[ ]", "not observed"),
    (BehaviorStatus::Contradicted, "[!]", "evidence against"),
    (BehaviorStatus::NotMeasurable, "[-]", "not measurable or not applicable"),
    (BehaviorStatus::NotApplicable, "[-]", "not measurable or not applicable"),
];

fn mark(status: BehaviorStatus) -> &'static str {
    MARKS.iter().find(|(s, _, _)| *s == status).map_or("[?]", |(_, mark, _)| mark)
}

/// "marks: [x] demonstrated  [~] partial  ...", each mark once.
fn legend() -> String {
    let mut parts: Vec<String> = Vec::new();
    for (_, mark, meaning) in MARKS {
        let part = format!("{mark} {meaning}");
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    format!("marks: {}", parts.join("  "))
}

pub fn scorecard(card: &Scorecard, transcript: &Transcript) -> String {
    let mut out = String::new();
    let max = card.scale.last().map_or(0, |l| l.level);
    let name = card.transcript.id.as_deref().unwrap_or("transcript");
    let _ = writeln!(
        out,
        "{} | {} v{} | {name}, {} turns{}",
        card.rubric.title,
        card.rubric.id,
        card.rubric.version,
        card.transcript.turns,
        if card.transcript.timed {
            String::new()
        } else {
            format!(", untimed (time windows estimated at {} words/min)", rubric_core::ESTIMATED_WORDS_PER_MINUTE)
        }
    );
    if let Some(inference) = &card.transcript.role_inference {
        let roles: Vec<String> = inference.speakers.iter().map(|s| format!("{} = {}", s.speaker, s.role)).collect();
        let _ = writeln!(out, "roles inferred: {} ({})", roles.join(", "), inference.rule);
    }
    for event in &card.transcript.inferred_events {
        let _ =
            writeln!(out, "inferred event {} at turn {}: \"{}\"", event.kind, event.evidence.turn, event.evidence.text);
    }
    annotations(&mut out, card);
    let _ = writeln!(
        out,
        "\nOVERALL  {}{}{}",
        score_cell(card.overall.score, card.overall.level, card.overall.label.as_deref(), max),
        status_note(card.overall.status),
        confidence_note(card.overall.low_confidence, card.overall.coverage)
    );
    let _ = writeln!(out, "{}", legend());
    for competency in &card.competencies {
        let _ = writeln!(
            out,
            "\n{:<40} {}{}{}",
            competency.title,
            score_cell(competency.score, competency.level, competency.label.as_deref(), max),
            status_note(competency.status),
            confidence_note(competency.low_confidence, competency.coverage)
        );
        for sub in &competency.subcompetencies {
            let _ = writeln!(
                out,
                "  {:<38} {}{}{}",
                sub.title,
                score_cell(sub.score, sub.level, sub.label.as_deref(), max),
                status_note(sub.status),
                confidence_note(sub.low_confidence, sub.coverage)
            );
            for behavior in &sub.behaviors {
                let mark = mark(behavior.status);
                let detail = match (behavior.target, &behavior.metric, &behavior.reason) {
                    (_, _, Some(reason)) => format!(" - {reason}"),
                    (_, Some(metric), _) => match metric.value {
                        Some(value) => format!(" ({})", display::metric(&metric.name, value)),
                        None => String::new(),
                    },
                    (Some(target), _, _) => format!(" ({}/{target})", behavior.count.min(target as usize)),
                    (None, _, _) => String::new(),
                };
                let _ = writeln!(out, "    {mark} {}{detail}", behavior.title);
                for evidence in behavior.evidence.iter().take(QUOTES_PER_BEHAVIOR) {
                    let _ = writeln!(out, "          {}", quote(evidence, transcript));
                }
                if let Some(negated) = behavior.against.first() {
                    let cue = negated.negated_by.as_deref().unwrap_or("");
                    let _ = writeln!(out, "          against (\"{cue}\"): {}", quote(negated, transcript));
                }
            }
        }
    }
    let triggered: Vec<_> = card.red_flags.iter().filter(|f| f.status == RedFlagStatus::Triggered).collect();
    let _ = writeln!(out, "\nRED FLAGS  {} of {} triggered", triggered.len(), card.red_flags.len());
    for flag in triggered {
        let _ = writeln!(
            out,
            "  [!] {} ({} on {}): {}",
            flag.title,
            display::points(-flag.penalty),
            flag.applies_to,
            flag.explain
        );
        if let Some(evidence) = flag.evidence.first() {
            let _ = writeln!(out, "          {}", quote(evidence, transcript));
        }
    }
    let m = &card.metrics;
    let _ = writeln!(out, "\nMETRICS");
    let percent = |x: Option<f64>| x.map_or("n/a".to_string(), |v| format!("{:.0}%", v * 100.0));
    let seconds = |x: Option<f64>| x.map_or("n/a".to_string(), display::duration);
    let _ = writeln!(
        out,
        "  candidate talk time {}, word share {}, {} words/min",
        percent(m.candidate_talk_ratio),
        percent(m.candidate_word_share),
        m.candidate_words_per_minute.map_or("n/a".to_string(), |v| format!("{v:.0}"))
    );
    let _ = writeln!(
        out,
        "  {} answers, {} words on average, longest {}; {} over {}",
        m.answers,
        m.mean_words_per_answer.map_or("n/a".to_string(), |v| format!("{v:.0}")),
        seconds(m.longest_answer_seconds),
        m.answers_over_limit.as_ref().map_or("n/a".to_string(), |a| a.len().to_string()),
        display::duration(m.answer_time_limit_seconds)
    );
    let _ = writeln!(
        out,
        "  longest silence {}, {} silences over {}; {} candidate questions; fillers {} ({}/100 words), {} backchannels",
        seconds(m.longest_silence_seconds),
        m.silences.as_ref().map_or("n/a".to_string(), |s| s.len().to_string()),
        display::duration(m.silence_threshold_seconds),
        m.candidate_questions,
        m.filler_count,
        m.filler_rate.map_or("n/a".to_string(), |v| format!("{v:.1}")),
        m.backchannel_count
    );
    for (event, time) in &m.time_to_first {
        let _ = writeln!(out, "  first {event} at {}", clock(*time));
    }
    let _ = writeln!(out, "\nNEXT TIME (most valuable first)");
    if card.feedback.is_empty() {
        let _ = writeln!(out, "  Nothing missing: every measurable behavior was demonstrated.");
    }
    for item in card.feedback.iter().take(FEEDBACK_ITEMS) {
        let area = item.subcompetency.as_deref().or(item.competency.as_deref()).unwrap_or("overall");
        let _ = writeln!(out, "  {}. {} [{area}, {}]", item.rank, item.text, display::points(item.gain));
    }
    if card.feedback.len() > FEEDBACK_ITEMS {
        let _ = writeln!(out, "  ... {} more in --format json", card.feedback.len() - FEEDBACK_ITEMS);
    }
    out
}
