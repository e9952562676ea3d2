//! How a score reads to people: one definition for the CLI's text, the HTML report, the browser page
//! and Python's `repr`, so that one scorecard says the same thing everywhere.
//!
//! - A **score** (0 to 1) is a whole percentage: `93%`. It is rounded half up from hundredths of a
//!   percent, so 0.925 is `93%` in every binding (formatting `92.5` with no decimals would round it
//!   to even, and JavaScript's `Math.round` would not).
//! - Its **level** is the band it falls in, out of the scale's top level, with the band's label:
//!   `level 4 of 4 (Outstanding)`. The two together: `93%, level 4 of 4 (Outstanding)`.
//! - The **scaled** value (`min + score x (max - min)`) stays in the JSON for whoever maps scores
//!   onto another scale, but is not shown: `3.8/4` reads as 95% when the score is 93%, and a score
//!   of 0 read as `1.0/4`.
//! - A **change** of a score (a feedback item's gain, a red flag's penalty) is in percentage points
//!   with at most one decimal: `+3.3 points`, `-20 points`.
//! - A **duration** is seconds under a minute (`4.08 s`), else minutes and seconds (`3:00`), so a
//!   metric such as `time_to_first:code_run` reads `28:58`, not `1738`.

/// `score` as a whole percentage: `"93%"`.
pub fn percent(score: f64) -> String {
    format!("{}%", half_up(score, 100))
}

/// `"level 4 of 4 (Outstanding)"`; without a label, `"level 4 of 4"`.
pub fn level(level: i32, top: i32, label: &str) -> String {
    if label.is_empty() {
        format!("level {level} of {top}")
    } else {
        format!("level {level} of {top} ({label})")
    }
}

/// A node's score and level: `"93%, level 4 of 4 (Outstanding)"`, or `"not measurable"` when it
/// has no score. `top` is the scale's top level.
pub fn score(score: Option<f64>, level_reached: Option<i32>, label: Option<&str>, top: i32) -> String {
    match (score, level_reached) {
        (Some(score), Some(reached)) => format!("{}, {}", percent(score), level(reached, top, label.unwrap_or(""))),
        (Some(score), None) => percent(score),
        _ => "not measurable".to_string(),
    }
}

/// A change of a 0-1 score in percentage points: `"+3.3 points"`, `"-20 points"`, `"+1 point"`.
pub fn points(change: f64) -> String {
    let tenths = half_up(change, 1000);
    let sign = if tenths < 0 { "-" } else { "+" };
    let magnitude = tenths.unsigned_abs();
    let number = if magnitude % 10 == 0 {
        (magnitude / 10).to_string()
    } else {
        format!("{}.{}", magnitude / 10, magnitude % 10)
    };
    let unit = if magnitude == 10 { "point" } else { "points" };
    format!("{sign}{number} {unit}")
}

/// A duration as people read one: `"4.08 s"` under a minute, else `"3:00"` (minutes may pass 59:
/// `"62:05"`).
pub fn duration(seconds: f64) -> String {
    if seconds < 59.5 {
        let rounded = (seconds * 100.0).round() / 100.0;
        format!("{rounded} s")
    } else {
        let total = seconds.round() as u64;
        format!("{}:{:02}", total / 60, total % 60)
    }
}

/// A metric reading `name = value`, the value as [`metric_value`] shows it.
pub fn metric(name: &str, value: f64) -> String {
    format!("{name} = {}", metric_value(name, value))
}

/// A value (or a bound) of metric `name`: durations (names ending in `_seconds`, and
/// `time_to_first:*`) as [`duration`], other figures with at most 3 decimals.
pub fn metric_value(name: &str, value: f64) -> String {
    if name.ends_with("_seconds") || name.starts_with("time_to_first:") {
        duration(value)
    } else {
        ((value * 1000.0).round() / 1000.0).to_string()
    }
}

/// `text` cut to `width` characters with an ellipsis (for a name in a column or beside a chart).
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// `value x scale`, rounded half away from zero. The value is first rounded to hundredths of a
/// step, which is exact for scores (they carry at most 4 decimals), so that 0.925, stored as
/// 0.92499..., still gives 93. Non-finite values count as 0.
fn half_up(value: f64, scale: i64) -> i64 {
    if !value.is_finite() {
        return 0;
    }
    let fine = (value * (scale * 100) as f64).round() as i64;
    let whole = (fine.abs() + 50) / 100;
    if fine < 0 {
        -whole
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_from_the_score_as_written() {
        let table = [
            (0.0, "0%"),
            (0.004, "0%"),
            (0.005, "1%"),
            (0.9249, "92%"),
            (0.925, "93%"),
            (0.9345, "93%"),
            (1.0, "100%"),
        ];
        for (score, expected) in table {
            assert_eq!(percent(score), expected, "{score}");
        }
        assert_eq!(percent(f64::NAN), "0%");
    }

    #[test]
    fn a_node_reads_as_percentage_and_level() {
        assert_eq!(score(Some(0.93), Some(4), Some("Outstanding"), 4), "93%, level 4 of 4 (Outstanding)");
        // A score of 0 is 0%, never "1.0/4".
        assert_eq!(score(Some(0.0), Some(1), Some("Not yet"), 4), "0%, level 1 of 4 (Not yet)");
        assert_eq!(score(Some(0.5), Some(2), None, 3), "50%, level 2 of 3");
        assert_eq!(score(None, None, None, 4), "not measurable");
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(fit("Problem solving", 20), "Problem solving");
        assert_eq!(fit("Code correctness (testing and debugging)", 20), "Code correctness (t…");
        assert_eq!(fit("Checks in with the interviewer", 16), "Checks in with…");
    }

    #[test]
    fn durations_read_as_seconds_or_minutes_and_seconds() {
        assert_eq!(duration(4.08), "4.08 s");
        assert_eq!(duration(4.0), "4 s");
        assert_eq!(duration(59.4), "59.4 s");
        assert_eq!(duration(59.6), "1:00");
        assert_eq!(duration(180.0), "3:00");
        assert_eq!(duration(3725.0), "62:05");
        assert_eq!(metric("time_to_first:code_run", 1738.0), "time_to_first:code_run = 28:58");
        assert_eq!(metric("longest_answer_seconds", 12.5), "longest_answer_seconds = 12.5 s");
        assert_eq!(metric("candidate_talk_ratio", 0.79123), "candidate_talk_ratio = 0.791");
    }

    #[test]
    fn changes_are_percentage_points_with_at_most_one_decimal() {
        let table = [
            (0.0333, "+3.3 points"),
            (0.03, "+3 points"),
            (0.2, "+20 points"),
            (-0.2, "-20 points"),
            (0.01, "+1 point"),
            (0.00049, "+0 points"),
            (0.00051, "+0.1 points"),
            (-0.0005, "-0.1 points"),
        ];
        for (change, expected) in table {
            assert_eq!(points(change), expected, "{change}");
        }
    }
}
