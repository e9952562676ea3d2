//! How well the engine's position estimate for untimed transcripts (words spoken before a turn at
//! `ESTIMATED_WORDS_PER_MINUTE`) places turns in time, measured on the corpus's timed meetings:
//! each meeting is read as the engine reads a transcript (consecutive segments of one speaker make
//! one turn), the estimate is compared with the turn's real offset from the meeting's first turn,
//! and a time-window rule ("in the first N seconds") is decided both ways.

use std::fmt::Write as _;

use rubric_core::text::segment::count_words;
use rubric_core::text::NormalizedText;
use rubric_core::ESTIMATED_WORDS_PER_MINUTE;

use crate::corpus::Meeting;

/// One turn: its real offset from the meeting's start and its estimated one, in seconds.
struct Placed {
    real: f64,
    estimated: f64,
}

fn place(meeting: &Meeting, words_per_minute: f64) -> Vec<Placed> {
    let mut turns: Vec<(f64, usize)> = Vec::new();
    let mut last_speaker: Option<&str> = None;
    for segment in &meeting.segments {
        let words = count_words(NormalizedText::new(&segment.spoken_text()).as_str());
        if last_speaker == Some(segment.speaker.as_str()) {
            if let Some(last) = turns.last_mut() {
                last.1 += words;
            }
            continue;
        }
        last_speaker = Some(segment.speaker.as_str());
        turns.push((segment.start, words));
    }
    let origin = turns.first().map_or(0.0, |t| t.0);
    let mut spoken = 0usize;
    turns
        .into_iter()
        .map(|(start, words)| {
            let estimated = spoken as f64 * 60.0 / words_per_minute;
            spoken += words;
            Placed { real: start - origin, estimated }
        })
        .collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The markdown section for VALIDITY.md: the engine's rate and, for comparison, others.
pub fn report(meetings: &[Meeting]) -> String {
    let words_of = |s: &crate::corpus::Segment| count_words(NormalizedText::new(&s.spoken_text()).as_str());
    let mut elapsed_rates: Vec<f64> = Vec::new();
    let mut speaking_rates: Vec<f64> = Vec::new();
    for m in meetings {
        let words: usize = m.segments.iter().map(words_of).sum();
        let speaking: f64 = m.segments.iter().map(|s| (s.end - s.start).max(0.0)).sum();
        if let (Some(first), Some(last)) = (m.segments.first(), m.segments.last()) {
            if last.end > first.start {
                elapsed_rates.push(words as f64 / ((last.end - first.start) / 60.0));
            }
        }
        if speaking > 0.0 {
            speaking_rates.push(words as f64 / (speaking / 60.0));
        }
    }
    let turns: usize = meetings.iter().map(|m| place(m, ESTIMATED_WORDS_PER_MINUTE).len()).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} meetings, {turns} turns (consecutive segments of one speaker joined, as the importers do).\n",
        meetings.len()
    );
    let _ = writeln!(
        out,
        "- Words per minute, per meeting: {:.0} over the time someone is speaking (median), {:.0} over elapsed time (median; overlapping talk and pauses roughly cancel out in meetings).",
        median(&mut speaking_rates),
        median(&mut elapsed_rates)
    );
    let _ = writeln!(
        out,
        "- The engine assumes {ESTIMATED_WORDS_PER_MINUTE}: a brisk speaking rate, so that in a two-person interview, whose elapsed time is speaking time plus silences, the estimate rarely runs ahead of the real time and a window errs towards counting a mention.\n"
    );
    let _ = writeln!(
        out,
        "Turns at least a minute in, and a window rule \"in the first 600 s\" decided on estimated positions against real times (share of all turns):\n"
    );
    let _ = writeln!(out, "| words per minute | estimated / real (median) | estimate at or before real | window agrees | counted but really outside | missed but really inside |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let mut rates = vec![130.0, 150.0, 180.0, 220.0];
    if !rates.contains(&ESTIMATED_WORDS_PER_MINUTE) {
        rates.push(ESTIMATED_WORDS_PER_MINUTE);
    }
    rates.sort_by(f64::total_cmp);
    for rate in rates {
        let placed: Vec<Placed> = meetings.iter().flat_map(|m| place(m, rate)).collect();
        let mut ratios: Vec<f64> = placed.iter().filter(|p| p.real >= 60.0).map(|p| p.estimated / p.real).collect();
        let early = ratios.iter().filter(|r| **r <= 1.0).count() as f64 / ratios.len().max(1) as f64;
        let window = 600.0;
        let (mut agree, mut false_in, mut false_out) = (0usize, 0usize, 0usize);
        for p in &placed {
            let (real, est) = (p.real < window, p.estimated < window);
            agree += usize::from(real == est);
            false_in += usize::from(est && !real);
            false_out += usize::from(real && !est);
        }
        let pct = |n: usize| 100.0 * n as f64 / placed.len().max(1) as f64;
        let name =
            if rate == ESTIMATED_WORDS_PER_MINUTE { format!("{rate:.0} (engine)") } else { format!("{rate:.0}") };
        let _ = writeln!(
            out,
            "| {name} | {:.2} | {:.0}% | {:.1}% | {:.1}% | {:.1}% |",
            median(&mut ratios),
            early * 100.0,
            pct(agree),
            pct(false_in),
            pct(false_out)
        );
    }
    out
}
