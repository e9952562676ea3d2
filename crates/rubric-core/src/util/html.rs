//! What every HTML page the library writes shares: escaping, and one style sheet so the report and
//! the calibration page look alike.

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) const CSS: &str = r#"
:root { --ink: #1d2433; --muted: #5b6478; --line: #e3e7ef; --paper: #ffffff; --bg: #f4f6fa;
  --l1: #d9534f; --l2: #e9a23b; --l3: #3f9fb0; --l4: #2e9e6b; --accent: #3d5afe; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 28px 48px; }
header.top { background: linear-gradient(120deg, #1f2a48, #334a8a); color: #fff; border-radius: 16px; padding: 26px 30px; }
header.top h1 { margin: 0 0 4px; font-size: 26px; letter-spacing: .2px; }
header.top .sub { opacity: .85; font-size: 14px; }
header.top .who { font-size: 17px; font-weight: 600; margin-top: 10px; }
section { background: var(--paper); border-radius: 14px; padding: 20px 24px; margin-top: 20px;
  box-shadow: 0 1px 2px rgba(20,30,60,.06), 0 4px 14px rgba(20,30,60,.05); }
h2 { font-size: 18px; margin: 0 0 14px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: 1.35fr repeat(3, 1fr); gap: 14px; margin-top: 20px; }
.card { background: var(--paper); border-radius: 14px; padding: 16px 18px;
  box-shadow: 0 1px 2px rgba(20,30,60,.06), 0 4px 14px rgba(20,30,60,.05); }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .6px; }
.card .v { font-size: 24px; font-weight: 700; margin-top: 2px; }
.card .n { color: var(--muted); font-size: 13px; }
.overall { display: flex; align-items: center; gap: 16px; }
.overall .label { font-size: 22px; font-weight: 700; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-demonstrated { background: #e3f5ec; color: #1c7a4f; }
.s-partial { background: #fff2dc; color: #9a6310; }
.s-not_observed { background: #eef0f4; color: #5b6478; }
.s-contradicted { background: #fde7e6; color: #b3322e; }
.s-not_measurable, .s-not_applicable { background: #f3f4f7; color: #8a91a3; }
.comp { border-top: 1px solid var(--line); padding-top: 10px; margin-top: 12px; }
.comp:first-of-type { border-top: 0; margin-top: 0; }
.sub { margin: 8px 0 12px; }
.subhead { display: flex; justify-content: space-between; gap: 12px; font-weight: 600; }
.anchor { color: var(--muted); font-size: 13px; margin: 2px 0 6px; }
ul.behaviors { list-style: none; padding: 0; margin: 0; }
ul.behaviors li { display: grid; grid-template-columns: 118px 1fr; gap: 10px; padding: 5px 0; border-bottom: 1px dashed var(--line); }
ul.behaviors li:last-child { border-bottom: 0; }
.quote { color: var(--muted); font-size: 13px; margin-top: 2px; }
.quote a { color: var(--accent); text-decoration: none; }
.flags li, .feedback li { margin: 6px 0; }
.feedback { padding-left: 22px; }
.gain { display: inline-block; height: 8px; background: var(--accent); border-radius: 4px; vertical-align: middle; margin-left: 8px; opacity: .75; }
.grid3 { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
.mini { border: 1px solid var(--line); border-radius: 12px; padding: 10px 12px 6px; }
.mini .t { font-weight: 600; font-size: 13px; }
.mini .m { font-size: 12px; color: var(--muted); }
.up { color: #1c7a4f; } .down { color: #b3322e; } .flat { color: var(--muted); }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; }
.turn { display: grid; grid-template-columns: 150px 1fr; gap: 14px; padding: 9px 0; border-bottom: 1px solid var(--line); }
.turn:last-child { border-bottom: 0; }
.turn .who { font-weight: 600; font-size: 13px; }
.turn .when { color: var(--muted); font-size: 12px; }
.turn .text { white-space: pre-wrap; }
.turn.candidate .who { color: #2b4fd8; }
.turn.interviewer .who { color: #6b4bb8; }
mark { padding: 0 1px; border-radius: 3px; color: inherit; }
mark.for { background: #c9f0da; }
mark.against { background: #ffedd5; box-shadow: inset 0 -2px 0 #e0792b; }
mark.flag { background: #fee2e2; box-shadow: inset 0 -2px 0 #dc3b3b; }
.legend span { margin-right: 14px; font-size: 13px; }
table.metrics { border-collapse: collapse; width: 100%; font-size: 14px; }
table.metrics td { padding: 5px 8px; border-bottom: 1px solid var(--line); }
table.metrics td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 22px; }
@media (max-width: 800px) { .cards, .grid3 { grid-template-columns: 1fr 1fr; } .turn { grid-template-columns: 1fr; } }
@media print { body { background: #fff; } section, .card { box-shadow: none; border: 1px solid var(--line); } }
"#;
