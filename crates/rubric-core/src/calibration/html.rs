//! A calibration as a self-contained HTML page in the report's style: per-behavior bars (F1 with
//! its interval, the raters' own alpha marked beside it), a confusion heatmap of the engine's
//! status against the raters' majority (inline SVG), the scored nodes, the disagreements with the
//! engine's evidence, and the label rows left out. No script, no network.

use std::fmt::Write as _;

use super::{describe, Calibration};
use crate::util::html::{escape, CSS};

/// The engine's statuses (rows) and the raters' values (columns) of the heatmap.
const ENGINE: [&str; 4] = ["present", "absent", "against", "not_measurable"];
const RATERS: [&str; 3] = ["present", "absent", "against"];

/// The page for `c`.
pub fn render_calibration_html(c: &Calibration) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Calibration: {rubric}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<header class=\"top\"><h1>Calibration: {rubric}</h1><div class=\"sub\">{} transcripts · raters {} · {} labels used{}</div></header>\n",
        c.transcripts,
        escape(&c.raters.join(", ")),
        c.labels_used,
        if c.label_errors.is_empty() { String::new() } else { format!(" · {} label rows left out", c.label_errors.len()) },
        rubric = escape(&c.rubric),
    );
    behavior_bars(&mut out, c);
    heatmap(&mut out, c);
    nodes(&mut out, c);
    disagreements(&mut out, c);
    if !c.label_errors.is_empty() {
        out.push_str("<section><h2>Label rows left out</h2><table class=\"metrics\">");
        for e in &c.label_errors {
            let line = e.line.unwrap_or(1);
            let at = e.column.map_or_else(|| format!("line {line}"), |col| format!("line {line}, column {col}"));
            let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", escape(&e.message), escape(&at));
        }
        out.push_str("</table></section>\n");
    }
    let _ = write!(
        out,
        "<footer>Made by rubric {}. Intervals: 95% bootstrap over transcripts, {} resamples, seed {}. This file needs no network.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        c.bootstrap_rounds,
        c.seed
    );
    out
}

/// One row per behavior: F1 as a bar on 0-1 with its interval as a whisker, the raters' alpha as
/// a tick (the ceiling to read the engine against), kappa as text.
fn behavior_bars(out: &mut String, c: &Calibration) {
    let (label_w, bar_w, row_h) = (300.0, 420.0, 26.0);
    let height = 30.0 + row_h * c.behaviors.len() as f64;
    let mut body = String::new();
    for (i, b) in c.behaviors.iter().enumerate() {
        let y = 24.0 + row_h * i as f64;
        let _ = write!(
            body,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"12.5\">{}</text><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"12\" rx=\"3\" fill=\"#eef1f6\"/>",
            y + 10.0,
            escape(&crate::display::fit(&b.title, 44)),
            y
        );
        if let Some(f1) = b.f1 {
            let _ = write!(
                body,
                "<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"12\" rx=\"3\" fill=\"#3d5afe\" opacity=\".8\"><title>F1 {}</title></rect>",
                (bar_w * f1.clamp(0.0, 1.0)).max(1.0),
                escape(&describe(b.f1, b.f1_interval, "n/a"))
            );
        }
        if let Some([low, high]) = b.f1_interval {
            let _ = write!(
                body,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1d2433\" stroke-width=\"1.5\"/>",
                label_w + bar_w * low.clamp(0.0, 1.0),
                label_w + bar_w * high.clamp(0.0, 1.0),
                y + 6.0,
                y + 6.0
            );
        }
        if let Some(alpha) = b.raters_alpha {
            let x = label_w + bar_w * alpha.clamp(0.0, 1.0);
            let _ = write!(
                body,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d9534f\" stroke-width=\"2.5\"><title>raters' alpha {alpha:.2}</title></line>",
                y - 3.0,
                y + 15.0
            );
        }
        let _ = write!(
            body,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#46506a\">F1 {} · kappa {} · alpha {}</text>",
            label_w + bar_w + 12.0,
            y + 10.0,
            escape(&describe(b.f1, None, "n/a")),
            escape(&describe(b.kappa, None, "n/a")),
            escape(&describe(b.raters_alpha, None, "n/a"))
        );
    }
    let _ = writeln!(
        out,
        "<section><h2>Behaviors: engine against the raters' majority</h2><p class=\"muted\">Bars: F1 of “present” with its 95% interval. Red tick: the raters' agreement with each other (Krippendorff's alpha), the ceiling to read the engine against.</p><svg viewBox=\"0 0 1000 {height:.0}\" role=\"img\" aria-label=\"agreement per behavior\">{body}</svg></section>"
    );
}

/// The engine's status against the raters' majority, summed over behaviors, as a shaded grid.
fn heatmap(out: &mut String, c: &Calibration) {
    let count = |engine: &str, raters: &str| -> usize {
        c.behaviors.iter().filter_map(|b| b.confusion.get(engine).and_then(|row| row.get(raters))).sum()
    };
    let top = ENGINE.iter().flat_map(|e| RATERS.iter().map(move |r| count(e, r))).max().unwrap_or(0).max(1);
    let (left, cell) = (150.0, 90.0);
    let mut body = String::new();
    for (j, raters) in RATERS.iter().enumerate() {
        let _ = write!(
            body,
            "<text x=\"{:.1}\" y=\"16\" font-size=\"12.5\" text-anchor=\"middle\">{raters}</text>",
            left + cell * (j as f64 + 0.5)
        );
    }
    for (i, engine) in ENGINE.iter().enumerate() {
        let y = 26.0 + 44.0 * i as f64;
        let _ =
            write!(body, "<text x=\"0\" y=\"{:.1}\" font-size=\"12.5\">{}</text>", y + 26.0, engine.replace('_', " "));
        for (j, raters) in RATERS.iter().enumerate() {
            let n = count(engine, raters);
            let shade = n as f64 / top as f64;
            let agree = engine == raters;
            let fill = if agree { "61,90,254" } else { "217,83,79" };
            let _ = write!(
                body,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"40\" rx=\"4\" fill=\"rgba({fill},{:.2})\" stroke=\"#e3e7ef\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"middle\" font-weight=\"600\">{n}</text>",
                left + cell * j as f64,
                cell - 4.0,
                0.08 + 0.8 * shade,
                left + cell * (j as f64 + 0.5) - 2.0,
                y + 26.0
            );
        }
    }
    let _ = writeln!(
        out,
        "<section><h2>Confusion: engine status against the raters' majority</h2><p class=\"muted\">Rows: the engine's status; columns: the raters' majority. Items summed over behaviors; blue where they agree, red where not, darker with more items. Items whose raters tie are left out.</p><svg viewBox=\"0 0 {:.0} 210\" role=\"img\" aria-label=\"confusion heatmap\" style=\"max-width:520px\">{body}</svg></section>",
        left + cell * 3.0
    );
}

fn nodes(out: &mut String, c: &Calibration) {
    out.push_str("<section><h2>Scored nodes (levels)</h2><table class=\"metrics\"><tr><td><strong>node</strong></td><td><strong>items</strong></td><td><strong>quadratic kappa</strong></td><td><strong>Spearman</strong></td><td><strong>mean |level difference|</strong></td><td><strong>raters' alpha</strong></td></tr>");
    for n in &c.nodes {
        let _ = write!(
            out,
            "<tr><td>{} <span class=\"muted\">({})</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&n.id),
            n.kind,
            n.items,
            escape(&describe(n.quadratic_kappa, n.quadratic_kappa_interval, "n/a")),
            escape(&describe(n.spearman, n.spearman_interval, "n/a")),
            escape(&describe(n.mean_absolute_level_difference, None, "n/a")),
            escape(&describe(n.raters_alpha, None, "n/a"))
        );
    }
    out.push_str("</table></section>\n");
}

fn disagreements(out: &mut String, c: &Calibration) {
    out.push_str("<section><h2>Disagreements</h2>");
    if c.disagreements.is_empty() {
        out.push_str(
            "<p class=\"muted\">None: the engine agrees with the raters' majority on every labelled behavior.</p>",
        );
    } else {
        out.push_str("<p class=\"muted\">The behaviors that weigh most in the overall score first.</p><ol>");
        for d in &c.disagreements {
            let votes: Vec<String> = d.votes.iter().map(|(value, n)| format!("{n} {value}")).collect();
            let evidence = d.evidence.as_ref().map_or_else(
                || "the engine found no evidence".to_string(),
                |e| format!("the engine's evidence, turn {}: “{}”", e.turn, e.quote),
            );
            let _ = write!(
                out,
                "<li><strong>{}</strong> / {}: engine {}, raters {} ({}); {} of the overall score<br><span class=\"muted\">{}</span></li>",
                escape(&d.transcript),
                escape(&d.behavior),
                d.engine,
                d.raters,
                escape(&votes.join(", ")),
                crate::display::percent(d.weight),
                escape(&evidence)
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</section>\n");
}
