//! A visual report: one self-contained HTML file (inline CSS, inline SVG charts, no scripts, no
//! network) with the scorecard, a chart of competency scores, the transcript with the evidence
//! highlighted, the feedback and, when trends are given, a trend chart per sub-competency and per
//! tracked dimension. Every piece of text from the rubric, transcript or history is HTML-escaped.
//! The output is deterministic: the same inputs give the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::display;
use crate::evidence::ESTIMATED_WORDS_PER_MINUTE;
use crate::metrics::Metrics;
use crate::practice::trends::{Better, Dimensions, Point, RoundTrend, Trend, Trends, Verdict};
use crate::scorecard::{
    AnnotationStatus, BehaviorResult, BehaviorStatus, Evidence, NodeStatus, RedFlagStatus, ScaleLevel, Scorecard,
    SubcompetencyScore,
};
use crate::specificity::Specificity;
use crate::transcript::{Role, Transcript};
pub use crate::util::html::escape;
use crate::util::html::CSS;

/// What goes into a report besides the scorecard and transcript.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// The page title (default: "Interview report").
    pub title: Option<String>,
    pub candidate: Option<String>,
    /// The candidate's trends; adds the progress section.
    pub trends: Option<Trends>,
}

/// Renders the report.
///
/// ```
/// use rubric_core::{report::{render_report, ReportOptions}, Rubric, Transcript};
///
/// let rubric = Rubric::bundled("coding-round").unwrap();
/// let transcript = Transcript::from_json(r#"{"turns": [
///     {"role": "interviewer", "text": "Sort <these> & merge."},
///     {"role": "candidate", "text": "Can I assume the input isn't sorted?"}
/// ]}"#).unwrap();
/// let card = rubric.score(&transcript).unwrap();
/// let html = render_report(&card, &transcript, &ReportOptions::default());
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("Sort &lt;these&gt; &amp; merge."));
/// assert!(!html.contains("http://") && !html.contains("https://"));
/// ```
pub fn render_report(card: &Scorecard, transcript: &Transcript, options: &ReportOptions) -> String {
    let mut page = Page { out: String::with_capacity(64 * 1024), scale: card.scale.clone() };
    page.document(card, transcript, options);
    page.out
}

struct Page {
    out: String,
    scale: Vec<ScaleLevel>,
}

fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    format!("{:02}:{:02}", total / 60, total % 60)
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), display::percent)
}

/// " · low confidence (40% of the weight measurable)".
fn low_confidence_note(coverage: f64) -> String {
    format!(" · low confidence ({:.0}% of the weight measurable)", coverage * 100.0)
}

fn status_name(status: BehaviorStatus) -> (&'static str, &'static str) {
    match status {
        BehaviorStatus::Demonstrated => ("demonstrated", "Demonstrated"),
        BehaviorStatus::Partial => ("partial", "Partial"),
        BehaviorStatus::NotObserved => ("not_observed", "Not observed"),
        BehaviorStatus::Contradicted => ("contradicted", "Evidence against"),
        BehaviorStatus::NotMeasurable => ("not_measurable", "Not measurable"),
        BehaviorStatus::NotApplicable => ("not_applicable", "Not applicable"),
    }
}

impl Page {
    fn w(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// The colour of a 0..1 score: the colour of its level band.
    fn color(&self, score: Option<f64>) -> &'static str {
        let Some(score) = score else { return "#b8bfcc" };
        let n = self.scale.len().max(1);
        let index = self.scale.iter().position(|l| score < l.to || (l.to >= 1.0 && score <= 1.0)).unwrap_or(n - 1);
        let palette = ["#d9534f", "#e9a23b", "#3f9fb0", "#2e9e6b"];
        let slot = if n <= 1 { 3 } else { (index * 3 + (n - 1) / 2) / (n - 1) };
        palette[slot.min(3)]
    }

    fn max_level(&self) -> i32 {
        self.scale.last().map_or(0, |l| l.level)
    }

    fn document(&mut self, card: &Scorecard, transcript: &Transcript, options: &ReportOptions) {
        let title = options.title.clone().unwrap_or_else(|| "Interview report".to_string());
        let page_title = match &options.candidate {
            Some(name) => format!("{title}: {name}"),
            None => title.clone(),
        };
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
            escape(&page_title)
        );
        let transcript_name =
            card.transcript.title.as_deref().or(card.transcript.id.as_deref()).unwrap_or("transcript").to_string();
        let _ = write!(
            self.out,
            "<header class=\"top\"><h1>{}</h1><div class=\"sub\">{} · {} v{} · {} · {} turns{}</div>",
            escape(&title),
            escape(&card.rubric.title),
            escape(&card.rubric.id),
            escape(&card.rubric.version),
            escape(&transcript_name),
            card.transcript.turns,
            if card.transcript.timed {
                String::new()
            } else {
                format!(" · untimed: time windows estimated at {ESTIMATED_WORDS_PER_MINUTE} words per minute")
            }
        );
        for event in &card.transcript.inferred_events {
            let _ = write!(
                self.out,
                "<div class=\"sub\">{} inferred from turn {}: “{}”</div>",
                escape(&event.kind),
                event.evidence.turn,
                escape(&event.evidence.text)
            );
        }
        if let Some(name) = &options.candidate {
            let _ = write!(self.out, "<div class=\"who\">{}</div>", escape(name));
        }
        self.w("</header>\n");
        let specificity = Specificity::measure(transcript);
        self.summary_cards(card, &specificity);
        self.competency_chart(card);
        if let Some(trends) = &options.trends {
            self.progress(card, trends);
        }
        self.feedback(card);
        self.scorecard_detail(card);
        self.red_flags(card);
        self.annotations(card);
        self.metrics(&card.metrics, &specificity);
        self.transcript(card, transcript);
        let _ = write!(
            self.out,
            "<footer>Made by rubric {} from rubric {} v{}. Deterministic scoring; this file needs no network.</footer>\n</main>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION"),
            escape(&card.rubric.id),
            escape(&card.rubric.version)
        );
    }

    fn summary_cards(&mut self, card: &Scorecard, specificity: &Specificity) {
        let overall = &card.overall;
        let max = self.max_level();
        let gauge = self.gauge(overall.score);
        let label = overall.label.clone().unwrap_or_else(|| "Not measurable".into());
        let mut scaled = match (overall.score, overall.level) {
            (Some(_), Some(level)) => display::level(level, max, ""),
            _ => "nothing here could be measured".to_string(),
        };
        if overall.low_confidence {
            scaled.push_str(&low_confidence_note(overall.coverage));
        }
        let _ = write!(
            self.out,
            "<div class=\"cards\"><div class=\"card overall\">{gauge}<div><div class=\"k\">Overall</div><div class=\"label\">{}</div><div class=\"n\">{}</div></div></div>",
            escape(&label),
            escape(&scaled)
        );
        let triggered = card.red_flags.iter().filter(|f| f.status == RedFlagStatus::Triggered).count();
        let demonstrated = card.behaviors().filter(|b| b.status == BehaviorStatus::Demonstrated).count();
        let measurable = card
            .behaviors()
            .filter(|b| !matches!(b.status, BehaviorStatus::NotMeasurable | BehaviorStatus::NotApplicable))
            .count();
        let flag_color = if triggered > 0 { "#b3322e" } else { "inherit" };
        let cards = [
            (
                "Behaviors shown",
                format!("{demonstrated} / {measurable}"),
                "demonstrated of measurable".to_string(),
                "inherit",
            ),
            ("Red flags", triggered.to_string(), format!("triggered of {}", card.red_flags.len()), flag_color),
            (
                "Specificity",
                specificity.per_100_words.map_or_else(|| "n/a".into(), |v| format!("{v:.1}")),
                format!(
                    "specifics per 100 words ({} numbers, {} technologies, {} outcomes)",
                    specificity.numbers, specificity.technologies, specificity.outcomes
                ),
                "inherit",
            ),
        ];
        for (k, v, n, color) in cards {
            let _ = write!(
                self.out,
                "<div class=\"card\"><div class=\"k\">{}</div><div class=\"v\" style=\"color:{color}\">{}</div><div class=\"n\">{}</div></div>",
                escape(k),
                escape(&v),
                escape(&n)
            );
        }
        self.w("</div>\n");
    }

    /// A ring gauge for the overall score.
    fn gauge(&self, score: Option<f64>) -> String {
        let radius: f64 = 38.0;
        let circumference = 2.0 * std::f64::consts::PI * radius;
        let value = score.unwrap_or(0.0).clamp(0.0, 1.0);
        let dash = circumference * value;
        format!(
            "<svg viewBox=\"0 0 100 100\" width=\"96\" height=\"96\" style=\"width:96px;flex:none\" role=\"img\" aria-label=\"overall score {pct}\"><circle cx=\"50\" cy=\"50\" r=\"{radius}\" fill=\"none\" stroke=\"#e7ebf3\" stroke-width=\"11\"/><circle cx=\"50\" cy=\"50\" r=\"{radius}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"11\" stroke-linecap=\"round\" stroke-dasharray=\"{dash:.2} {circumference:.2}\" transform=\"rotate(-90 50 50)\"/><text x=\"50\" y=\"56\" text-anchor=\"middle\" font-size=\"20\" font-weight=\"700\" fill=\"#1d2433\">{pct}</text></svg>",
            pct = percent(score),
            color = self.color(score),
        )
    }

    /// Horizontal bars: every competency and its sub-competencies, on the level bands.
    fn competency_chart(&mut self, card: &Scorecard) {
        let mut bars = String::new();
        let mut y = BARS_TOP;
        for row in &bar_rows(card) {
            // A competency after the first starts a new group.
            if row.major && y > BARS_TOP {
                y += 8.0;
            }
            y = self.bar(&mut bars, row, y);
        }
        let height = y + 4.0;
        let bands = self.level_bands(height);
        let _ = writeln!(
            self.out,
            "<section><h2>Competency scores</h2><svg viewBox=\"0 0 {BARS_VIEW_WIDTH} {height:.0}\" role=\"img\" aria-label=\"competency scores\">{bands}{bars}</svg></section>"
        );
    }

    /// Writes one bar at `y` to `out`: its title, its track, its score and the score in words.
    /// Returns where the next bar goes.
    fn bar(&self, out: &mut String, row: &BarRow, y: f64) -> f64 {
        let BarRow { major, title, score, level, label } = row;
        let h = if *major { 20.0 } else { 14.0 };
        let gap = if *major { 12.0 } else { 6.0 };
        let text_x = if *major { 0.0 } else { 16.0 };
        let _ = write!(
            out,
            "<text x=\"{text_x}\" y=\"{:.1}\" font-size=\"{}\" font-weight=\"{}\" fill=\"{}\">{}</text>",
            y + h / 2.0 + 4.5,
            if *major { "14" } else { "12.5" },
            if *major { 700 } else { 400 },
            if *major { "#1d2433" } else { "#46506a" },
            escape(&truncate(title, if *major { 36 } else { 40 }))
        );
        let _ = write!(
            out,
            "<rect x=\"{BAR_X}\" y=\"{y:.1}\" width=\"{BAR_WIDTH}\" height=\"{h}\" rx=\"4\" fill=\"#f0f2f7\"/>"
        );
        if let Some(s) = score {
            let _ = write!(
                out,
                "<rect x=\"{BAR_X}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h}\" rx=\"4\" fill=\"{}\"/>",
                (BAR_WIDTH * s.clamp(0.0, 1.0)).max(2.0),
                self.color(Some(*s))
            );
        }
        let value = display::score(*score, *level, label.as_deref(), self.max_level());
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12.5\" fill=\"#46506a\">{}</text>",
            BAR_X + BAR_WIDTH + 12.0,
            y + h / 2.0 + 4.5,
            escape(&value)
        );
        y + h + gap
    }

    /// The level bands behind the bars of a chart `height` high: a dashed line where each level
    /// starts and its number and label above.
    fn level_bands(&self, height: f64) -> String {
        let mut bands = String::new();
        for level in &self.scale {
            let x = BAR_X + BAR_WIDTH * level.from;
            if level.from > 0.0 {
                let _ = write!(
                    bands,
                    "<line x1=\"{x:.1}\" y1=\"14\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#c9cfdb\" stroke-dasharray=\"3 3\"/>",
                    height - 4.0
                );
            }
            let mid = BAR_X + BAR_WIDTH * (level.from + level.to) / 2.0;
            let _ = write!(
                bands,
                "<text x=\"{mid:.1}\" y=\"12\" text-anchor=\"middle\" font-size=\"11\" fill=\"#8a91a3\">{} {}</text>",
                level.level,
                escape(&level.label)
            );
        }
        bands
    }

    fn progress(&mut self, card: &Scorecard, trends: &Trends) {
        let _ = write!(
            self.out,
            "<section><h2>Progress over {} session{}</h2>",
            trends.sessions,
            if trends.sessions == 1 { "" } else { "s" }
        );
        if trends.rounds.is_empty() {
            self.w("<p class=\"muted\">No earlier sessions for this candidate yet.</p>");
        }
        // This report's rubric first, then the other rounds.
        let mut rounds: Vec<&RoundTrend> = trends.rounds.iter().collect();
        rounds.sort_by_key(|r| r.rubric.id != card.rubric.id);
        for round in rounds {
            self.round_progress(round);
        }
        self.weakest_areas(trends);
        self.set_aside_sessions(trends);
        self.w("</section>\n");
    }

    /// One round's trends: the tracked dimensions, then every sub-competency.
    fn round_progress(&mut self, round: &RoundTrend) {
        let _ = write!(
            self.out,
            "<h3>{} · {} v{} · {} session{}, {} to {}</h3>",
            escape(round.round.title()),
            escape(&round.rubric.id),
            escape(&round.rubric.version),
            round.sessions,
            if round.sessions == 1 { "" } else { "s" },
            round.first_date,
            round.latest_date
        );
        self.w("<div class=\"grid3\">");
        self.mini_chart("Overall", "overall score", &round.overall, Some(1.0), Figure::Score);
        self.dimension_charts(&round.dimensions);
        self.w("</div>");
        self.w("<h3 class=\"muted\" style=\"font-weight:600\">Sub-competencies</h3><div class=\"grid3\">");
        for node in &round.subcompetencies {
            self.mini_chart(&node.title, &node.id, &node.trend, Some(1.0), Figure::Score);
        }
        self.w("</div>");
    }

    /// The tracked dimensions of a round; time to a first working solution only where some
    /// session measured it (rounds without code have no tests to pass).
    fn dimension_charts(&mut self, d: &Dimensions) {
        let depth_note = if d.technical_depth_subcompetencies.is_empty() {
            "no depth sub-competencies in this rubric".to_string()
        } else {
            format!("mean of {}", d.technical_depth_subcompetencies.join(", "))
        };
        self.mini_chart("Technical depth", &depth_note, &d.technical_depth, Some(1.0), Figure::Score);
        self.mini_chart(
            "Words per answer",
            "mean words per candidate answer",
            &d.words_per_answer,
            None,
            Figure::Number(""),
        );
        self.mini_chart(
            "Specificity",
            "numbers, technologies, outcomes per 100 words",
            &d.specificity_per_100_words,
            None,
            Figure::Number(""),
        );
        if d.time_to_first_solution_seconds.measured > 0 {
            self.mini_chart(
                "Time to first working solution",
                "minutes to the first tests_passed event",
                &minutes(&d.time_to_first_solution_seconds),
                None,
                Figure::Number(" min"),
            );
        }
    }

    fn weakest_areas(&mut self, trends: &Trends) {
        if trends.weakest.is_empty() {
            return;
        }
        self.w("<h3>Weakest areas now</h3><ol>");
        for w in &trends.weakest {
            let _ = write!(
                self.out,
                "<li><strong>{}</strong> <span class=\"muted\">({}, {})</span> latest {}{}</li>",
                escape(&w.title),
                escape(w.round.title()),
                escape(&w.rubric),
                display::percent(w.latest),
                w.change_since_previous
                    .map_or_else(String::new, |c| format!(", {} since the previous session", display::points(c)))
            );
        }
        self.w("</ol>");
    }

    /// The history's sessions that the trends left out, with why.
    fn set_aside_sessions(&mut self, trends: &Trends) {
        if trends.set_aside.is_empty() {
            return;
        }
        self.w("<p class=\"muted\">Left out of the trends: ");
        let notes: Vec<String> =
            trends.set_aside.iter().map(|s| format!("{} (line {}): {}", s.date, s.line, escape(&s.reason))).collect();
        self.w(&notes.join("; "));
        self.w("</p>");
    }

    /// A small line chart of one trend with its latest value and movement.
    fn mini_chart(&mut self, title: &str, note: &str, trend: &Trend, y_max: Option<f64>, figure: Figure<'_>) {
        let (class, arrow) = match (trend.verdict, trend.moved) {
            (Verdict::Improving, _) => ("up", "improving"),
            (Verdict::Declining, _) => ("down", "declining"),
            (Verdict::Steady, _) => ("flat", "steady"),
            (Verdict::Unknown, crate::practice::trends::Movement::Up) => ("flat", "rising"),
            (Verdict::Unknown, crate::practice::trends::Movement::Down) => ("flat", "falling"),
            (Verdict::Unknown, crate::practice::trends::Movement::Flat) => ("flat", "flat"),
            (Verdict::Unknown, crate::practice::trends::Movement::Unknown) => ("flat", ""),
        };
        let value = |v: f64| match figure {
            Figure::Score => display::percent(v),
            Figure::Number(unit) => format!("{}{unit}", number(v)),
        };
        let change = |c: f64| match figure {
            Figure::Score => display::points(c),
            Figure::Number(unit) => format!("{}{}{unit}", if c >= 0.0 { "+" } else { "" }, number(c)),
        };
        let latest = trend.latest.map_or_else(|| "n/a".to_string(), value);
        let since_previous =
            trend.change_since_previous.map_or_else(String::new, |c| format!(" · {} vs previous", change(c)));
        let since_first =
            trend.change_since_first.map_or_else(String::new, |c| format!(" · {} since first", change(c)));
        let best = match (trend.best, trend.better) {
            (Some(b), Better::Higher | Better::Lower) => format!(" · best {}", value(b)),
            _ => String::new(),
        };
        let chart = line_chart(trend, y_max);
        let _ = write!(
            self.out,
            "<div class=\"mini\"><div class=\"t\">{}</div><div class=\"m\">{}</div>{chart}<div class=\"m\"><strong>{}</strong>{}{}{} <span class=\"{class}\">{}</span></div></div>",
            escape(title),
            escape(note),
            escape(&latest),
            escape(&since_previous),
            escape(&since_first),
            escape(&best),
            escape(arrow)
        );
    }

    fn feedback(&mut self, card: &Scorecard) {
        self.w("<section><h2>What to work on next</h2>");
        if card.feedback.is_empty() {
            self.w("<p>Nothing missing: every measurable behavior was demonstrated.</p>");
        } else {
            let top_gain = card.feedback.iter().map(|f| f.gain).fold(0.0_f64, f64::max).max(1e-9);
            self.w("<ol class=\"feedback\">");
            for item in card.feedback.iter().take(10) {
                let area = item.subcompetency.as_deref().or(item.competency.as_deref()).unwrap_or("overall");
                let _ = write!(
                    self.out,
                    "<li>{} <span class=\"muted\">[{}, {}]</span><span class=\"gain\" style=\"width:{:.0}px\"></span></li>",
                    escape(&item.text),
                    escape(area),
                    display::points(item.gain),
                    80.0 * item.gain / top_gain
                );
            }
            self.w("</ol>");
            if card.feedback.len() > 10 {
                let _ =
                    write!(self.out, "<p class=\"muted\">{} more in the JSON scorecard.</p>", card.feedback.len() - 10);
            }
        }
        self.w("</section>\n");
    }

    fn scorecard_detail(&mut self, card: &Scorecard) {
        self.w("<section><h2>Scorecard</h2>");
        for competency in &card.competencies {
            let _ = write!(
                self.out,
                "<div class=\"comp\"><h3>{} <span class=\"muted\" style=\"font-weight:400\">{}</span></h3>",
                escape(&competency.title),
                escape(&self.score_text(
                    (competency.score, competency.level),
                    competency.label.as_deref(),
                    competency.status,
                    (competency.low_confidence, competency.coverage)
                ))
            );
            for sub in &competency.subcompetencies {
                self.subcompetency(sub);
            }
            self.w("</div>");
        }
        self.w("</section>\n");
    }

    /// `confidence` is (low confidence, coverage): a level read from under half of the weight says so.
    fn score_text(
        &self,
        (score, level): (Option<f64>, Option<i32>),
        label: Option<&str>,
        status: NodeStatus,
        confidence: (bool, f64),
    ) -> String {
        let mut note = match status {
            NodeStatus::Scored => "",
            NodeStatus::EvidenceAgainst => " · evidence against only",
            NodeStatus::InsufficientEvidence => " · insufficient evidence",
            NodeStatus::NotMeasurable => " · not measurable",
        }
        .to_string();
        if confidence.0 {
            note.push_str(&low_confidence_note(confidence.1));
        }
        format!("{}{note}", display::score(score, level, label, self.max_level()))
    }

    fn subcompetency(&mut self, sub: &SubcompetencyScore) {
        let color = self.color(sub.score);
        let _ = write!(
            self.out,
            "<div class=\"sub\"><div class=\"subhead\"><span>{}</span><span style=\"color:{color}\">{}</span></div>",
            escape(&sub.title),
            escape(&self.score_text(
                (sub.score, sub.level),
                sub.label.as_deref(),
                sub.status,
                (sub.low_confidence, sub.coverage)
            ))
        );
        if let Some(anchor) = &sub.anchor {
            let _ = write!(self.out, "<div class=\"anchor\">{}</div>", escape(anchor));
        }
        self.w("<ul class=\"behaviors\">");
        for behavior in &sub.behaviors {
            self.behavior(behavior);
        }
        self.w("</ul></div>");
    }

    fn behavior(&mut self, behavior: &BehaviorResult) {
        let (class, name) = status_name(behavior.status);
        let detail = match (behavior.target, &behavior.metric, &behavior.reason) {
            (_, _, Some(reason)) => format!(" — {reason}"),
            (_, Some(metric), _) => {
                metric.value.map_or_else(String::new, |v| format!(" ({})", display::metric(&metric.name, v)))
            }
            (Some(target), _, _) => format!(" ({}/{target})", behavior.count.min(target as usize)),
            (None, _, _) => String::new(),
        };
        let _ = write!(
            self.out,
            "<li><span><span class=\"pill s-{class}\">{name}</span></span><div>{}<span class=\"muted\">{}</span>",
            escape(&behavior.title),
            escape(&detail)
        );
        if let Some(evidence) = behavior.evidence.first() {
            self.quote(evidence, "");
        }
        // External evidence is listed item by item, so that every point from a judge or an
        // annotator shows where it came from.
        for evidence in behavior.evidence.iter().skip(1).filter(|e| e.detector.external.is_some()).take(3) {
            self.quote(evidence, "");
        }
        if let Some(against) = behavior.against.first() {
            let cue = against.negated_by.as_deref().unwrap_or("");
            self.quote(against, &format!("against (\u{201c}{cue}\u{201d}): "));
        }
        self.w("</div></li>");
    }

    fn quote(&mut self, evidence: &Evidence, prefix: &str) {
        let when = evidence.start.map_or_else(String::new, |s| format!("{} ", clock(s)));
        let provenance = evidence.detector.external.as_ref().map_or_else(String::new, |external| {
            let rationale =
                external.rationale.as_deref().map_or_else(String::new, |r| format!(": {}", escape(&truncate(r, 200))));
            format!("<span class=\"muted\"> · from {}{rationale}</span>", escape(&source_label(external)))
        });
        let _ = write!(
            self.out,
            "<div class=\"quote\">{}<a href=\"#turn-{}\">{}turn {}</a>: \u{201c}{}\u{201d}{provenance}</div>",
            escape(prefix),
            evidence.turn,
            escape(&when),
            evidence.turn,
            escape(&truncate(&evidence.text, 140))
        );
    }

    /// Every annotation and what it did, when the transcript carried any.
    fn annotations(&mut self, card: &Scorecard) {
        let uses = &card.transcript.annotations;
        if uses.is_empty() {
            return;
        }
        let counted = uses.iter().filter(|u| u.status == AnnotationStatus::Counted).count();
        let _ = write!(
            self.out,
            "<section><h2>External evidence <span class=\"muted\" style=\"font-weight:400\">{counted} of {} annotations counted</span></h2><table><tr><th>annotation</th><th>behavior</th><th>source</th><th>turn</th><th>status</th></tr>",
            uses.len()
        );
        for annotation in uses {
            let status = match annotation.status {
                AnnotationStatus::Counted => "counted".to_string(),
                AnnotationStatus::NotCounted => {
                    format!("not counted: {}", annotation.reason.as_deref().unwrap_or_default())
                }
                AnnotationStatus::Unverified => {
                    format!("unverified: {}", annotation.reason.as_deref().unwrap_or_default())
                }
            };
            let confidence = annotation.confidence.map_or_else(String::new, |c| format!(" ({c})"));
            let _ = write!(
                self.out,
                "<tr><td>{}</td><td>{}</td><td>{}{}</td><td><a href=\"#turn-{}\">{}</a></td><td>{}</td></tr>",
                escape(&annotation.annotation),
                escape(&annotation.behavior),
                escape(&annotation.source),
                escape(&confidence),
                annotation.turn,
                annotation.turn,
                escape(&status)
            );
        }
        self.w("</table></section>\n");
    }

    fn red_flags(&mut self, card: &Scorecard) {
        let triggered: Vec<_> = card.red_flags.iter().filter(|f| f.status == RedFlagStatus::Triggered).collect();
        let _ = write!(
            self.out,
            "<section><h2>Red flags <span class=\"muted\" style=\"font-weight:400\">{} of {} triggered</span></h2>",
            triggered.len(),
            card.red_flags.len()
        );
        if triggered.is_empty() {
            self.w("<p class=\"muted\">None triggered.</p>");
        } else {
            self.w("<ul class=\"flags\">");
            for flag in triggered {
                let _ = write!(
                    self.out,
                    "<li><span class=\"pill s-contradicted\">{}</span> <strong>{}</strong> <span class=\"muted\">on {}: {}</span>",
                    display::points(-flag.penalty),
                    escape(&flag.title),
                    escape(&flag.applies_to),
                    escape(&flag.explain)
                );
                if let Some(evidence) = flag.evidence.first() {
                    self.quote(evidence, "");
                }
                self.w("</li>");
            }
            self.w("</ul>");
        }
        self.w("</section>\n");
    }

    fn metrics(&mut self, m: &Metrics, specificity: &Specificity) {
        let seconds = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.0} s"));
        let mut rows: Vec<(String, String)> = vec![
            ("Candidate talk time".into(), percent(m.candidate_talk_ratio)),
            ("Candidate word share".into(), percent(m.candidate_word_share)),
            (
                "Words per minute".into(),
                m.candidate_words_per_minute.map_or_else(|| "n/a".into(), |v| format!("{v:.0}")),
            ),
            (
                "Answers, mean words per answer".into(),
                format!(
                    "{}, {}",
                    m.answers,
                    m.mean_words_per_answer.map_or_else(|| "n/a".into(), |v| format!("{v:.0}"))
                ),
            ),
            ("Longest answer".into(), seconds(m.longest_answer_seconds)),
            ("Longest silence".into(), seconds(m.longest_silence_seconds)),
            ("Candidate questions".into(), m.candidate_questions.to_string()),
            (
                "Fillers".into(),
                format!(
                    "{} ({}/100 words)",
                    m.filler_count,
                    m.filler_rate.map_or_else(|| "n/a".into(), |v| format!("{v:.1}"))
                ),
            ),
            ("Backchannels (uh-huh, mm-hmm; not fillers)".into(), m.backchannel_count.to_string()),
            (
                "Specifics (numbers, technologies, outcomes)".into(),
                format!(
                    "{} / {} / {}; {} of {} answers",
                    specificity.numbers,
                    specificity.technologies,
                    specificity.outcomes,
                    specificity.answers_with_specifics,
                    specificity.answers
                ),
            ),
        ];
        if !specificity.named_technologies.is_empty() {
            rows.push(("Technologies named".into(), specificity.named_technologies.join(", ")));
        }
        for (event, time) in &m.time_to_first {
            rows.push((format!("First {event}"), clock(*time)));
        }
        self.w("<section><h2>Conversation metrics</h2><table class=\"metrics\">");
        for (k, v) in rows {
            let _ = write!(self.out, "<tr><td>{}</td><td>{}</td></tr>", escape(&k), escape(&v));
        }
        self.w("</table></section>\n");
    }

    fn transcript(&mut self, card: &Scorecard, transcript: &Transcript) {
        // Every span to highlight, per turn: (start, end, kind, label).
        let mut spans: Vec<Vec<(usize, usize, u8, String)>> = vec![Vec::new(); transcript.turns().len()];
        for behavior in card.behaviors() {
            for e in &behavior.evidence {
                let label = match &e.detector.external {
                    Some(external) => format!("{} (from {})", behavior.title, source_label(external)),
                    None => behavior.title.clone(),
                };
                spans[e.turn].push((e.span.bytes[0], e.span.bytes[1], 0, label));
            }
            for e in &behavior.against {
                spans[e.turn].push((e.span.bytes[0], e.span.bytes[1], 1, format!("against: {}", behavior.title)));
            }
        }
        for flag in &card.red_flags {
            if flag.status == RedFlagStatus::Triggered {
                for e in &flag.evidence {
                    spans[e.turn].push((e.span.bytes[0], e.span.bytes[1], 2, format!("red flag: {}", flag.title)));
                }
            }
        }
        self.w("<section><h2>Transcript</h2><div class=\"legend\"><span><mark class=\"for\">evidence</mark></span><span><mark class=\"against\">evidence against</mark></span><span><mark class=\"flag\">red flag</mark></span></div>");
        for (index, turn) in transcript.turns().iter().enumerate() {
            let role = match turn.role {
                Role::Candidate => "candidate",
                Role::Interviewer => "interviewer",
                Role::Observer => "observer",
            };
            let when = turn.start.map_or_else(String::new, clock);
            let _ = write!(
                self.out,
                "<div class=\"turn {role}\" id=\"turn-{index}\"><div><div class=\"who\">{}</div><div class=\"when\">{} · turn {index}</div></div><div class=\"text\">{}</div></div>",
                escape(&turn.speaker),
                escape(&when),
                highlight(&turn.text, &spans[index])
            );
        }
        self.w("</section>\n");
    }
}

/// `llm:gpt-4o at confidence 0.86`: who judged a piece of external evidence.
fn source_label(external: &crate::scorecard::ExternalWhy) -> String {
    match external.confidence {
        Some(confidence) => format!("{} at confidence {confidence}", external.source),
        None => external.source.clone(),
    }
}

/// What a trend chart shows: a 0-1 score (as `display` shows scores) or a figure with a unit.
#[derive(Clone, Copy)]
enum Figure<'a> {
    Score,
    Number(&'a str),
}

/// The competency chart is 1000 units wide; its bars start at `BAR_X`. The value text after each
/// bar ("100%, level 4 of 4 (Outstanding)") needs about 230 units.
const BARS_VIEW_WIDTH: f64 = 1000.0;
const BAR_X: f64 = 310.0;
const BAR_WIDTH: f64 = 440.0;
/// Below the level labels.
const BARS_TOP: f64 = 26.0;

/// One bar of the competency chart.
struct BarRow {
    major: bool,
    title: String,
    score: Option<f64>,
    level: Option<i32>,
    label: Option<String>,
}

/// Every competency's bar, each followed by its sub-competencies' bars.
fn bar_rows(card: &Scorecard) -> Vec<BarRow> {
    card.competencies
        .iter()
        .flat_map(|c| {
            std::iter::once(BarRow {
                major: true,
                title: c.title.clone(),
                score: c.score,
                level: c.level,
                label: c.label.clone(),
            })
            .chain(c.subcompetencies.iter().map(|s| BarRow {
                major: false,
                title: s.title.clone(),
                score: s.score,
                level: s.level,
                label: s.label.clone(),
            }))
        })
        .collect()
}

/// At most this many labels name a highlighted piece in its `title`; the rest are counted ("and 3
/// more"), so a piece under many overlapping behaviors keeps a bounded title.
const MAX_TITLE_LABELS: usize = 6;

/// The text with every span wrapped in `<mark>`; overlapping spans are split at every boundary and
/// each piece takes the strongest kind covering it (red flag, then against, then for). One sweep
/// over the sorted span boundaries keeps the spans covering the current piece as counts per kind
/// and per label, so rendering is linear in the text plus `n log n` in the spans, not quadratic.
fn highlight(text: &str, spans: &[(usize, usize, u8, String)]) -> String {
    let valid: Vec<&(usize, usize, u8, String)> = spans
        .iter()
        .filter(|(s, e, _, _)| s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .collect();
    if valid.is_empty() {
        return escape(text);
    }
    // Labels numbered in order of first appearance, so titles list them in the rubric's order.
    let mut label_ids: HashMap<&str, usize> = HashMap::new();
    let mut labels: Vec<&str> = Vec::new();
    // (position, is_start, kind, label id); at one position ends sort before starts.
    let mut boundaries: Vec<(usize, bool, u8, usize)> = Vec::with_capacity(valid.len() * 2);
    for (s, e, kind, label) in &valid {
        let id = *label_ids.entry(label.as_str()).or_insert_with(|| {
            labels.push(label.as_str());
            labels.len() - 1
        });
        boundaries.push((*s, true, *kind, id));
        boundaries.push((*e, false, *kind, id));
    }
    boundaries.sort_unstable();
    let mut per_kind = [0usize; 3];
    let mut active: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    for (position, is_start, kind, id) in boundaries {
        if position > at {
            push_piece(&mut out, &text[at..position], &per_kind, &active, &labels);
            at = position;
        }
        let kind = usize::from(kind.min(2));
        if is_start {
            per_kind[kind] += 1;
            *active.entry(id).or_insert(0) += 1;
        } else {
            per_kind[kind] -= 1;
            if let Some(count) = active.get_mut(&id) {
                *count -= 1;
                if *count == 0 {
                    active.remove(&id);
                }
            }
        }
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// One piece of highlighted text: plain when no span covers it, else a `<mark>` of the strongest
/// kind covering it, titled with (at most `MAX_TITLE_LABELS` of) the labels covering it.
fn push_piece(out: &mut String, piece: &str, per_kind: &[usize; 3], active: &BTreeMap<usize, usize>, labels: &[&str]) {
    let piece = escape(piece);
    let Some(kind) = (0..3).rev().find(|&kind| per_kind[kind] > 0) else {
        out.push_str(&piece);
        return;
    };
    let class = ["for", "against", "flag"][kind];
    let mut title: Vec<&str> = active.keys().take(MAX_TITLE_LABELS).map(|&id| labels[id]).collect();
    let more = active.len().saturating_sub(MAX_TITLE_LABELS);
    let more = (more > 0).then(|| format!("and {more} more"));
    title.extend(more.as_deref());
    let _ = write!(out, "<mark class=\"{class}\" title=\"{}\">{piece}</mark>", escape(&title.join("; ")));
}

/// `text` in at most `max` characters: cut after the last whole word that fits, with an ellipsis
/// (mid-word only when the first word alone is too long).
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let next_starts_a_word = text.chars().nth(cut.chars().count()).is_some_and(char::is_whitespace);
    let whole_words = if next_starts_a_word {
        cut.as_str()
    } else {
        cut.rfind(char::is_whitespace).map_or(cut.as_str(), |space| &cut[..space])
    };
    format!("{}…", whole_words.trim_end())
}

/// A number without needless decimals.
fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 && v.abs() >= 10.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A trend in minutes instead of seconds.
fn minutes(trend: &Trend) -> Trend {
    let scale = |x: Option<f64>| x.map(|v| (v / 60.0 * 10.0).round() / 10.0);
    let mut t = trend.clone();
    for p in &mut t.points {
        p.value = scale(p.value);
    }
    t.first = scale(t.first);
    t.previous = scale(t.previous);
    t.latest = scale(t.latest);
    t.best = scale(t.best);
    t.change_since_first = scale(t.change_since_first);
    t.change_since_previous = scale(t.change_since_previous);
    t
}

/// A line chart of a trend's points: measured points joined, gaps where a session was not
/// measurable, the latest point emphasised, first and last dates below. `y_max` fixes the scale
/// (1.0 for scores); otherwise it fits the data.
fn line_chart(trend: &Trend, y_max: Option<f64>) -> String {
    let values: Vec<f64> = trend.points.iter().filter_map(drawn_value).collect();
    let chart = TrendChart::new(axis_max(&values, y_max), trend.points.len());
    let (w, h) = (chart.w, chart.h);
    let mut svg = format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"trend chart\">");
    chart.axis(&mut svg);
    let color = match trend.verdict {
        Verdict::Improving => "#2e9e6b",
        Verdict::Declining => "#d9534f",
        _ => "#3d5afe",
    };
    chart.lines(&mut svg, trend, color);
    chart.points(&mut svg, trend, color);
    if values.is_empty() {
        chart.not_measured(&mut svg);
    }
    chart.dates(&mut svg, trend);
    svg.push_str("</svg>");
    svg
}

/// The value drawn for a point. Only finite values are: a history written by hand or by another
/// tool may hold any number, and an infinite axis maximum would print NaN on the axis (`inf * 0`).
fn drawn_value(point: &Point) -> Option<f64> {
    point.value.filter(|v| v.is_finite())
}

/// The top of the value axis: `y_max` when it is usable, else a round number above the data.
fn axis_max(values: &[f64], y_max: Option<f64>) -> f64 {
    let data_max = values.iter().copied().fold(0.0_f64, f64::max);
    y_max.filter(|m| m.is_finite() && *m > 0.0).unwrap_or_else(|| nice_ceiling(data_max * 1.1))
}

/// The geometry of a trend chart: a `w` x `h` view, margins for the axis labels (left) and the
/// dates (below), `max` at the top of the value axis and `n` sessions spread across.
struct TrendChart {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    max: f64,
    n: usize,
}

#[allow(clippy::many_single_char_names)] // Chart geometry reads best as w, h, x, y.
impl TrendChart {
    fn new(max: f64, n: usize) -> Self {
        TrendChart { w: 300.0, h: 120.0, left: 30.0, right: 10.0, top: 10.0, bottom: 22.0, max, n }
    }

    /// The x of session `i`: spread evenly, or in the middle for a single one.
    fn x_of(&self, i: usize) -> f64 {
        let TrendChart { w, left, right, n, .. } = *self;
        if n <= 1 {
            left + (w - left - right) / 2.0
        } else {
            left + (w - left - right) * i as f64 / (n - 1) as f64
        }
    }

    fn y_of(&self, v: f64) -> f64 {
        let TrendChart { h, top, bottom, max, .. } = *self;
        top + (h - top - bottom) * (1.0 - (v / max).clamp(0.0, 1.0))
    }

    /// Grid lines at 0, half and the maximum, each labelled.
    fn axis(&self, svg: &mut String) {
        let TrendChart { w, left, right, max, .. } = *self;
        for k in 0..=2 {
            let v = max * (f64::from(k) / 2.0);
            let y = self.y_of(v);
            let _ = write!(
                svg,
                "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e3e7ef\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\" fill=\"#8a91a3\">{}</text>",
                w - right,
                left - 5.0,
                y + 3.5,
                number(v)
            );
        }
    }

    /// A line through each run of consecutive measured points (a lone point gets none).
    fn lines(&self, svg: &mut String, trend: &Trend, color: &str) {
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        for (i, p) in trend.points.iter().enumerate() {
            match drawn_value(p) {
                Some(v) => run.push((self.x_of(i), self.y_of(v))),
                None => {
                    if !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                }
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        for run in runs.iter().filter(|run| run.len() > 1) {
            let pts: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>",
                pts.join(" ")
            );
        }
    }

    /// A dot per measured session, the latest one larger, and a dash under each session that was
    /// not measurable.
    fn points(&self, svg: &mut String, trend: &Trend, color: &str) {
        let TrendChart { h, bottom, .. } = *self;
        let last_measured = trend.points.iter().rposition(|p| drawn_value(p).is_some());
        for (i, p) in trend.points.iter().enumerate() {
            if let Some(v) = drawn_value(p) {
                let r = if Some(i) == last_measured { 4.5 } else { 3.0 };
                let _ = write!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{color}\" stroke=\"#fff\" stroke-width=\"1.2\"><title>{}: {}</title></circle>",
                    self.x_of(i),
                    self.y_of(v),
                    p.date,
                    number(v)
                );
            } else {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#b8bfcc\">–</text>",
                    self.x_of(i),
                    h - bottom - 2.0
                );
            }
        }
    }

    fn not_measured(&self, svg: &mut String) {
        let TrendChart { w, h, left, right, top, bottom, .. } = *self;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#8a91a3\">not measured</text>",
            (left + w - right) / 2.0,
            (top + h - bottom) / 2.0
        );
    }

    /// The first session's date at the left, and the last one's at the right.
    fn dates(&self, svg: &mut String, trend: &Trend) {
        let TrendChart { w, h, left, right, n, .. } = *self;
        let (Some(first), Some(last)) = (trend.points.first(), trend.points.last()) else { return };
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"{:.1}\" font-size=\"10\" fill=\"#8a91a3\">{}</text>",
            h - 5.0,
            first.date
        );
        if n > 1 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\" fill=\"#8a91a3\">{}</text>",
                w - right,
                h - 5.0,
                last.date
            );
        }
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at or above `x` (at least 1, always finite: NaN gives 1,
/// and a value whose round ceiling would overflow gives `f64::MAX`).
fn nice_ceiling(x: f64) -> f64 {
    if x.is_nan() || x <= 1.0 {
        return 1.0;
    }
    if !x.is_finite() {
        return f64::MAX;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= x {
            return (step * magnitude).min(f64::MAX);
        }
    }
    (10.0 * magnitude).min(f64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn highlight_splits_overlaps_and_escapes() {
        let text = "I <think> we need a hash map here";
        let spans = vec![
            (10, 17, 0, "asks".to_string()),
            (15, 26, 1, "neg <x>".to_string()),
            (100, 120, 0, "out of range".to_string()),
        ];
        let html = highlight(text, &spans);
        assert_eq!(
            html,
            "I &lt;think&gt; <mark class=\"for\" title=\"asks\">we ne</mark><mark class=\"against\" title=\"asks; neg &lt;x&gt;\">ed</mark><mark class=\"against\" title=\"neg &lt;x&gt;\"> a hash m</mark>ap here"
        );
    }

    /// The straightforward quadratic rendering the sweep replaced: for each piece, every span.
    fn highlight_by_scanning_every_span(text: &str, spans: &[(usize, usize, u8, String)]) -> String {
        let mut cuts: Vec<usize> = vec![0, text.len()];
        cuts.extend(spans.iter().flat_map(|(s, e, _, _)| [*s, *e]));
        cuts.sort_unstable();
        cuts.dedup();
        let mut out = String::new();
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let covering: Vec<_> = spans.iter().filter(|(s, e, _, _)| *s <= a && b <= *e).collect();
            let Some(kind) = covering.iter().map(|(_, _, k, _)| *k).max() else {
                out.push_str(&escape(&text[a..b]));
                continue;
            };
            let mut labels: Vec<&str> = Vec::new();
            for (_, _, _, label) in spans {
                if covering.iter().any(|c| &c.3 == label) && !labels.contains(&label.as_str()) {
                    labels.push(label);
                }
            }
            let class = ["for", "against", "flag"][kind as usize];
            let _ = write!(
                out,
                "<mark class=\"{class}\" title=\"{}\">{}</mark>",
                escape(&labels.join("; ")),
                escape(&text[a..b])
            );
        }
        out
    }

    #[test]
    fn highlight_sweep_equals_scanning_every_span() {
        let text = "abcdefghijklmnopqrstuvwxyz <&> 0123456789";
        // A fixed linear congruential sequence: many overlapping, nested and touching spans.
        let mut seed: u64 = 7;
        let mut next = |bound: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % bound
        };
        for round in 0..200 {
            let spans: Vec<(usize, usize, u8, String)> = (0..=(round % 12))
                .map(|_| {
                    let start = next(text.len());
                    let end = start + 1 + next(text.len() - start);
                    (start, end, next(3) as u8, format!("label {}", next(5)))
                })
                .collect();
            assert_eq!(highlight(text, &spans), highlight_by_scanning_every_span(text, &spans), "{spans:?}");
        }
    }

    #[test]
    fn titles_are_cut_after_a_whole_word() {
        assert_eq!(truncate("Communicates the approach clearly", 20), "Communicates the…");
        assert_eq!(truncate("Communicates the approach", 17), "Communicates the…", "a cut just before a space");
        assert_eq!(truncate("Supercalifragilistic", 10), "Supercali…", "one long word is cut inside it");
        assert_eq!(truncate("Short title", 40), "Short title");
    }

    #[test]
    fn the_report_colours_evidence_as_the_page_does() {
        // One meaning everywhere: evidence against is orange, a red flag red (the page's colours).
        let page = include_str!("../../../rubric-wasm/web/style.css");
        let colour = |name: &str| {
            let line = page.lines().find(|l| l.trim_start().starts_with(&format!("--{name}:"))).expect(name);
            line.split(':').nth(1).unwrap().trim().trim_end_matches(';').to_string()
        };
        let css = |selector: &str| CSS.lines().find(|l| l.starts_with(selector)).expect(selector).to_string();
        for (selector, kind) in [("mark.against", "against"), ("mark.flag", "flag")] {
            let rule = css(selector);
            assert!(rule.contains(&colour(kind)), "{rule} lacks the page's --{kind}");
            assert!(rule.contains(&colour(&format!("{kind}-line"))), "{rule} lacks the page's --{kind}-line");
        }
    }

    #[test]
    fn a_piece_under_many_behaviors_names_a_few_and_counts_the_rest() {
        let text = "we need a hash map";
        let spans: Vec<_> = (0..10).map(|i| (3, 7, 0, format!("behavior {i}"))).collect();
        let html = highlight(text, &spans);
        let title = "behavior 0; behavior 1; behavior 2; behavior 3; behavior 4; behavior 5; and 4 more";
        assert_eq!(html, format!("we <mark class=\"for\" title=\"{title}\">need</mark> a hash map"));
    }

    #[test]
    fn chart_axes_are_finite_for_any_values() {
        use crate::practice::trends::Point;
        let point =
            |value: Option<f64>| Point { date: crate::util::date::Date::parse("2024-01-01").unwrap(), line: 1, value };
        let table: [(&str, Vec<Option<f64>>); 4] = [
            ("huge values overflow data_max * 1.1", vec![Some(1.7e308), Some(1.0e308)]),
            ("infinite and NaN values in memory", vec![Some(f64::INFINITY), Some(f64::NAN), Some(3.0)]),
            ("only non-finite values", vec![Some(f64::NEG_INFINITY), Some(f64::NAN)]),
            ("no value", vec![None, None]),
        ];
        for (name, values) in table {
            let trend = Trend::from_points(values.into_iter().map(point).collect(), Better::Neither, 5, 0.01);
            for y_max in [None, Some(1.0), Some(f64::INFINITY)] {
                let svg = line_chart(&trend, y_max);
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{name}, y_max {y_max:?}: {svg}");
            }
        }
        assert!((nice_ceiling(f64::NAN) - 1.0).abs() < 1e-9);
        assert!(nice_ceiling(f64::INFINITY).is_finite());
        assert!(nice_ceiling(1.7e308).is_finite());
    }

    #[test]
    fn nice_ceiling_rounds_up_to_a_round_number() {
        let table = [(0.3, 1.0), (1.2, 2.0), (2.2, 2.5), (3.0, 5.0), (7.0, 10.0), (87.0, 100.0), (130.0, 200.0)];
        for (x, expected) in table {
            assert!((nice_ceiling(x) - expected).abs() < 1e-9, "{x}");
        }
    }
}
