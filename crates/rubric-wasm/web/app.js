// The scoring page: everything runs here, in the browser, on the --target web build.
import init, { Rubric, formatLevel, formatMetricValue, formatPercent, formatPoints, importTranscript } from "./pkg/rubric_wasm.js";

const $ = (id) => document.getElementById(id);
const CUSTOM = "__custom__";

const state = {
  rubricKey: null, // what the compiled rubric was built from
  rubric: null,
  fileName: null, // of an uploaded file or example: a hint for format detection
  examples: [],
};

// ---- Small DOM helpers (no innerHTML: transcripts and rubrics are user input) ------------------

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function svg(tag, attrs) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

// Scores read as the CLI, the report and Python word them (rubric_core::display, through the wasm).
const percent = (score) => (score === null || score === undefined ? "—" : formatPercent(score));
const fixed = (value, digits = 0) => (value === null || value === undefined ? "—" : value.toFixed(digits));

function clock(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

/** A hue from red (0) to green (1) for a fraction of the scale. */
function hue(fraction) {
  return Math.round(Math.max(0, Math.min(1, fraction)) * 130);
}

function levelFraction(card, level) {
  const levels = card.scale.map((l) => l.level);
  const min = Math.min(...levels);
  const max = Math.max(...levels);
  return max === min ? 1 : (level - min) / (max - min);
}

function levelChip(card, level, label) {
  if (level === null) return h("span", { class: "level-chip none", dataset: { level: "" } }, "Not measurable");
  const hval = hue(levelFraction(card, level));
  const top = Math.max(...card.scale.map((l) => l.level));
  return h("span", { class: "level-chip", style: `--h:${hval}`, dataset: { level: String(level) } }, formatLevel(level, top, label ?? ""));
}

function scoreBar(score, card, level, thin = false) {
  const hval = level === null ? 220 : hue(levelFraction(card, level));
  const width = score === null ? 0 : Math.round(score * 1000) / 10;
  return h(
    "div",
    { class: thin ? "bar thin" : "bar", role: "presentation" },
    h("span", { style: `width:${width}%;--h:${hval}` }),
  );
}

/** A level read from under half of the weight says so, as in the CLI and the report. */
function lowConfidence(node) {
  if (!node.low_confidence) return null;
  return h("span", { class: "low-confidence muted small" }, `low confidence (${Math.round(node.coverage * 100)}% of the weight measurable)`);
}

function statusChip(status) {
  return h("span", { class: `status-chip s-${status}` }, status.replaceAll("_", " "));
}

function placeOf(error) {
  if (error.line !== null && error.column !== null) return `line ${error.line}, column ${error.column}`;
  if (error.line !== null) return `line ${error.line}`;
  return null;
}

// ---- Errors ------------------------------------------------------------------------------------

function showErrors(list, error, onPick) {
  list.replaceChildren();
  const details = Array.isArray(error.errors) && error.errors.length ? error.errors : [error];
  for (const detail of details) {
    const where = placeOf(detail);
    const item = h(
      "li",
      {
        class: onPick && detail.line ? "error pickable" : "error",
        dataset: { kind: detail.kind ?? "", line: detail.line ?? "", column: detail.column ?? "" },
        title: onPick && detail.line ? "Show this place in the YAML" : null,
        onclick: onPick && detail.line ? () => onPick(detail) : null,
      },
      h(
        "div",
        { class: "error-head" },
        h("span", { class: "kind" }, (detail.kind ?? "error").replaceAll("_", " ")),
        where ? h("span", { class: "loc" }, where) : null,
        detail.path ? h("code", { class: "path" }, detail.path) : null,
      ),
      h("div", { class: "msg" }, detail.message ?? String(error)),
    );
    list.append(item);
  }
  if (error.kind === "unmapped_speaker") {
    list.append(
      h("li", { class: "hint" }, "Give the speaker a role in ", h("b", null, "Speakers"), ", e.g. ", h("code", null, "Alice=candidate"), "."),
    );
  }
  list.hidden = false;
}

function clearErrors(list) {
  list.replaceChildren();
  list.hidden = true;
}

/** Selects a line (and column) of the YAML so the person sees the problem. */
function revealInYaml(detail) {
  const area = $("rubric-yaml");
  $("yaml-details").open = true;
  const lines = area.value.split("\n");
  const line = Math.min(detail.line, lines.length) - 1;
  let start = 0;
  for (let i = 0; i < line; i++) start += lines[i].length + 1;
  const end = start + lines[line].length;
  area.focus();
  area.setSelectionRange(start + Math.max(0, (detail.column ?? 1) - 1), end);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, line * lineHeight - area.clientHeight / 3);
}

// ---- Inputs ------------------------------------------------------------------------------------

function titleOf(yaml) {
  const match = /^title:\s*["']?(.+?)["']?\s*$/m.exec(yaml);
  return match ? match[1] : null;
}

function setupRubricSelect() {
  const select = $("rubric-select");
  for (const name of Rubric.bundledNames()) {
    const title = titleOf(Rubric.bundledSource(name));
    select.append(h("option", { value: name }, title ? `${title} (${name})` : name));
  }
  select.append(h("option", { value: CUSTOM }, "Custom YAML (paste your own)"));
  select.addEventListener("change", () => {
    if (select.value === CUSTOM) {
      $("yaml-details").open = true;
      $("rubric-yaml").focus();
    } else {
      $("rubric-yaml").value = Rubric.bundledSource(select.value);
    }
    state.rubricKey = null;
    if ($("transcript").value.trim()) score();
  });
  $("rubric-yaml").addEventListener("input", () => {
    select.value = CUSTOM;
  });
  select.value = "coding-round";
  $("rubric-yaml").value = Rubric.bundledSource("coding-round");
}

function parseSpeakers(text) {
  const speakers = {};
  for (const entry of text.split(/[,;\n]/)) {
    if (!entry.trim()) continue;
    const at = entry.lastIndexOf("=");
    if (at < 0) {
      throw Object.assign(new Error(`expected NAME=ROLE, found "${entry.trim()}"`), {
        kind: "invalid_argument",
        path: "speakers",
        line: null,
        column: null,
      });
    }
    speakers[entry.slice(0, at).trim()] = entry.slice(at + 1).trim().toLowerCase();
  }
  return speakers;
}

function formatSpeakers(speakers) {
  return Object.entries(speakers ?? {})
    .map(([name, role]) => `${name}=${role}`)
    .join(", ");
}

async function setupExamples() {
  const select = $("example-select");
  try {
    const response = await fetch("fixtures/golden/manifest.json");
    if (!response.ok) throw new Error(String(response.status));
    state.examples = (await response.json()).cases;
  } catch {
    select.closest(".field").hidden = true; // served without the fixtures: examples are optional
    return;
  }
  state.examples.forEach((example, index) => {
    const name = example.transcript.replace(/^transcripts\//, "");
    select.append(h("option", { value: String(index) }, `${name}  ·  ${example.rubric}`));
  });
  select.addEventListener("change", () => {
    if (select.value !== "") loadExample(Number(select.value));
  });
}

async function loadExample(index) {
  const example = state.examples[index];
  const text = await (await fetch(`fixtures/${example.transcript}`)).text();
  $("example-select").value = String(index);
  $("transcript").value = text;
  $("speakers").value = formatSpeakers(example.speakers);
  $("format").value = "";
  state.fileName = example.transcript.split("/").pop();
  $("file-name").textContent = state.fileName;
  $("rubric-select").value = example.rubric;
  $("rubric-yaml").value = Rubric.bundledSource(example.rubric);
  state.rubricKey = null;
  score();
}

async function loadFile(file) {
  $("transcript").value = await file.text();
  state.fileName = file.name;
  $("file-name").textContent = `${file.name} · ${(file.size / 1024).toFixed(1)} KB`;
  $("example-select").value = "";
  score();
}

function setupTranscriptInputs() {
  $("file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) loadFile(file);
    event.target.value = "";
  });
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const [file] = event.dataTransfer.files;
    if (file) loadFile(file);
  });
  // Typing or pasting makes it another transcript: the old file's name must not stay as the
  // format hint (pasting speaker lines over the JSON example was read as JSON).
  $("transcript").addEventListener("input", () => {
    $("example-select").value = "";
    state.fileName = null;
    $("file-name").textContent = "";
  });
  $("score").addEventListener("click", () => score());
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      score();
    }
  });
}

// ---- Scoring -----------------------------------------------------------------------------------

/** The compiled rubric for the current inputs, compiled again only when they changed. */
function currentRubric() {
  const select = $("rubric-select");
  const key = select.value === CUSTOM ? `yaml:${$("rubric-yaml").value}` : `bundled:${select.value}`;
  if (key !== state.rubricKey) {
    state.rubric?.free();
    state.rubric = null;
    state.rubricKey = null;
    const started = performance.now();
    state.rubric = select.value === CUSTOM ? new Rubric($("rubric-yaml").value) : Rubric.bundled(select.value);
    state.rubricKey = key;
    const ms = Math.round(performance.now() - started);
    $("rubric-status").className = "status ok";
    $("rubric-status").textContent = `✓ ${state.rubric.id} v${state.rubric.version} · compiled in ${ms} ms`;
  }
  return state.rubric;
}

function score() {
  clearErrors($("rubric-errors"));
  clearErrors($("transcript-errors"));
  let rubric;
  try {
    rubric = currentRubric();
  } catch (error) {
    const count = error.errors?.length ?? 1;
    $("rubric-status").className = "status bad";
    $("rubric-status").textContent = `✗ ${count} problem${count === 1 ? "" : "s"}`;
    showErrors($("rubric-errors"), error, $("rubric-select").value === CUSTOM ? revealInYaml : null);
    $("transcript-status").textContent = "";
    showEmpty("Fix the rubric to score the transcript.");
    return;
  }
  const text = $("transcript").value;
  if (!text.trim()) {
    $("transcript-status").textContent = "";
    showEmpty("Paste or upload a transcript, or choose an example.");
    return;
  }
  try {
    const options = { speakers: parseSpeakers($("speakers").value) };
    if ($("format").value) options.format = $("format").value;
    if ($("infer-roles").checked) options.inferRoles = true;
    if ($("complete").checked) options.complete = true;
    if (state.fileName) options.fileName = state.fileName;
    const started = performance.now();
    const card = rubric.score(text, options);
    const ms = Math.round(performance.now() - started);
    const transcript = importTranscript(text, options);
    $("transcript-status").className = "status ok";
    $("transcript-status").textContent = `✓ ${transcript.turns.length} turns · scored in ${ms} ms`;
    render(card, transcript);
  } catch (error) {
    $("transcript-status").className = "status bad";
    $("transcript-status").textContent = "✗ cannot read the transcript";
    showErrors($("transcript-errors"), error, null);
    showEmpty("Fix the transcript to see its scorecard.");
  }
}

function showEmpty(message) {
  $("scorecard").hidden = true;
  $("empty").hidden = false;
  $("empty").querySelector("p").textContent = message;
  $("turns").replaceChildren(h("p", { class: "muted" }, "The transcript appears here once it is scored."));
}

// ---- Rendering ---------------------------------------------------------------------------------

/**
 * Numbers every evidence item for cross-links: `ev-0`, `ev-1`, ... in scorecard order (each
 * behavior's evidence, then its evidence against; then triggered red flags). The e2e test relies on
 * this order.
 */
function collectEvidence(card) {
  const all = [];
  const add = (item, kind, owner) => {
    const id = `ev-${all.length}`;
    all.push({ id, item, kind, owner });
    return id;
  };
  const ids = new Map();
  for (const competency of card.competencies) {
    for (const sub of competency.subcompetencies) {
      for (const behavior of sub.behaviors) {
        ids.set(behavior, {
          for: behavior.evidence.map((item) => add(item, "for", behavior.title)),
          against: behavior.against.map((item) => add(item, "against", behavior.title)),
        });
      }
    }
  }
  // Only triggered red flags are highlighted: a flag below its min_count is clear.
  for (const flag of card.red_flags) {
    const items = flag.status === "triggered" ? flag.evidence : [];
    ids.set(flag, { for: items.map((item) => add(item, "flag", flag.title)), against: [] });
  }
  return { all, ids };
}

function render(card, transcript) {
  const evidence = collectEvidence(card);
  $("empty").hidden = true;
  $("scorecard").hidden = false;
  renderOverall(card);
  renderCompetencies(card, evidence);
  renderRedFlags(card, evidence);
  renderFeedback(card);
  renderMetrics(card);
  renderTranscript(transcript, evidence);
}

function renderOverall(card) {
  const { overall } = card;
  const fraction = overall.score ?? 0;
  const hval = overall.level === null ? 220 : hue(levelFraction(card, overall.level));
  const radius = 52;
  const circumference = 2 * Math.PI * radius;
  const ring = svg("svg", { viewBox: "0 0 120 120", class: "ring", "aria-hidden": "true" });
  ring.append(
    svg("circle", { cx: 60, cy: 60, r: radius, class: "ring-track" }),
    svg("circle", {
      cx: 60,
      cy: 60,
      r: radius,
      class: "ring-value",
      style: `--h:${hval}`,
      "stroke-dasharray": `${circumference * fraction} ${circumference}`,
      transform: "rotate(-90 60 60)",
    }),
  );
  const scale = h(
    "div",
    { class: "scale" },
    card.scale.map((level) =>
      h(
        "span",
        {
          class: level.level === overall.level ? "scale-step current" : "scale-step",
          style: `--h:${hue(levelFraction(card, level.level))}`,
          title: `${level.label}: scores from ${level.from} to ${level.to}`,
        },
        h("b", null, level.level),
        h("span", null, level.label),
      ),
    ),
  );
  $("overall").replaceChildren(
    h(
      "div",
      { class: "overall-grid" },
      h(
        "div",
        { class: "ring-wrap" },
        ring,
        h(
          "div",
          { class: "ring-label" },
          h("b", { id: "overall-score", dataset: { score: overall.score ?? "" } }, percent(overall.score)),
        ),
      ),
      h(
        "div",
        { class: "overall-text" },
        h("div", { class: "eyebrow" }, "Overall · ", card.rubric.title, h("span", { class: "muted" }, ` v${card.rubric.version}`)),
        h(
          "div",
          { class: "overall-level", id: "overall-level" },
          levelChip(card, overall.level, overall.label),
          lowConfidence(overall),
        ),
        scale,
        h("p", { class: "explain" }, overall.explain),
        h(
          "p",
          { class: "meta" },
          card.transcript.title ?? card.transcript.id ?? "Untitled transcript",
          ` · ${card.transcript.turns} turns · `,
          card.transcript.timed ? "timed" : "untimed (time windows estimated from the words spoken)",
        ),
        card.transcript.role_inference
          ? h(
              "p",
              { class: "meta role-inference" },
              `roles inferred: ${card.transcript.role_inference.speakers.map((s) => `${s.speaker} = ${s.role}`).join(", ")} (${card.transcript.role_inference.rule})`,
            )
          : null,
        ...card.transcript.inferred_events.map((event) =>
          h("p", { class: "meta inferred-event" }, `${event.type} inferred from turn ${event.evidence.turn}: “${event.evidence.text}”`),
        ),
        annotationSummary(card.transcript.annotations),
      ),
    ),
  );
}

/** Where external evidence came from: the annotation's source and confidence. */
function sourceOf(external) {
  const confidence = external.confidence === null ? "" : ` · confidence ${external.confidence}`;
  return h("span", { class: "source" }, `from ${external.source}${confidence}`);
}

function evidenceButton(entry, kind) {
  const { item } = entry;
  const external = item.detector.external;
  return h(
    "li",
    null,
    h(
      "button",
      {
        type: "button",
        class: `ev-item ev-${kind}`,
        dataset: { ev: entry.id, turn: item.turn },
        title: "Show in the transcript",
        onclick: () => jumpToTranscript(entry.id),
      },
      h("span", { class: "quote" }, item.text),
      h(
        "span",
        { class: "who" },
        `${item.speaker}`,
        item.start !== null ? ` · ${clock(item.start)}` : ` · turn ${item.turn + 1}`,
        item.negated_by ? ` · negated by “${item.negated_by}”` : "",
        external ? " · " : null,
        external ? sourceOf(external) : null,
      ),
      external?.rationale ? h("span", { class: "rationale" }, external.rationale) : null,
    ),
  );
}

/** How many annotations counted, and why each other one did not. */
function annotationSummary(annotations) {
  if (!annotations.length) return null;
  const counted = annotations.filter((a) => a.status === "counted").length;
  return h(
    "details",
    { class: "meta annotations" },
    h("summary", null, `${counted} of ${annotations.length} annotation${annotations.length === 1 ? "" : "s"} counted`),
    h(
      "ul",
      null,
      annotations
        .filter((a) => a.status !== "counted")
        .map((a) =>
          h(
            "li",
            { class: "annotation", dataset: { annotation: a.annotation } },
            statusChip(a.status),
            ` ${a.source} · ${a.behavior}`,
            a.quote ? ` · “${a.quote}”` : "",
            h("span", { class: "reason" }, a.reason),
          ),
        ),
    ),
  );
}

function renderCompetencies(card, evidence) {
  const byId = new Map(evidence.all.map((e) => [e.id, e]));
  const root = $("competencies");
  root.replaceChildren();
  for (const competency of card.competencies) {
    const subs = competency.subcompetencies.map((sub) => {
      const behaviors = sub.behaviors.map((behavior) => {
        const ids = evidence.ids.get(behavior);
        const target = behavior.target !== null ? `${Math.min(behavior.count, behavior.target)}/${behavior.target}` : null;
        return h(
          "li",
          { class: `behavior s-${behavior.status}`, dataset: { behavior: behavior.id } },
          h(
            "div",
            { class: "behavior-head" },
            statusChip(behavior.status),
            h("span", { class: "behavior-title" }, behavior.title),
            target ? h("span", { class: "count" }, target) : null,
          ),
          behavior.reason ? h("p", { class: "reason" }, behavior.reason) : null,
          behavior.metric ? h("p", { class: "reason" }, metricText(behavior.metric)) : null,
          ids.for.length || ids.against.length
            ? h(
                "ul",
                { class: "evidence" },
                ids.for.map((id) => evidenceButton(byId.get(id), "for")),
                ids.against.map((id) => evidenceButton(byId.get(id), "against")),
              )
            : null,
        );
      });
      const evidenceCount = sub.evidence_for + sub.evidence_against;
      return h(
        "li",
        { class: "sub", dataset: { sub: sub.id } },
        h(
          "div",
          { class: "sub-head" },
          h("span", { class: "sub-title" }, sub.title),
          levelChip(card, sub.level, sub.label),
          lowConfidence(sub),
          h("b", { class: "sub-score", dataset: { score: sub.score ?? "" } }, percent(sub.score)),
        ),
        scoreBar(sub.score, card, sub.level, true),
        sub.anchor ? h("p", { class: "anchor" }, sub.anchor) : null,
        sub.red_flags.length ? h("p", { class: "flag-note" }, `⚑ red flag: ${sub.red_flags.join(", ")}`) : null,
        h(
          "details",
          { class: "behaviors" },
          h(
            "summary",
            null,
            `${sub.behaviors.length} behavior${sub.behaviors.length === 1 ? "" : "s"}`,
            h("span", { class: "muted" }, ` · ${sub.evidence_for} evidence`, sub.evidence_against ? `, ${sub.evidence_against} against` : ""),
            evidenceCount === 0 ? h("span", { class: "muted" }, " · insufficient evidence") : null,
          ),
          h("ul", null, behaviors),
        ),
      );
    });
    root.append(
      h(
        "article",
        { class: "card competency", dataset: { competency: competency.id } },
        h(
          "header",
          { class: "competency-head" },
          h("div", null, h("h3", null, competency.title), h("span", { class: "muted small" }, `weight ${competency.weight}`)),
          levelChip(card, competency.level, competency.label),
          lowConfidence(competency),
          h("b", { class: "score", dataset: { score: competency.score ?? "" } }, percent(competency.score)),
        ),
        scoreBar(competency.score, card, competency.level),
        h("ul", { class: "subs" }, subs),
      ),
    );
  }
}

function metricText(metric) {
  const shown = (v) => formatMetricValue(metric.name, v);
  const value = metric.value === null ? "not measurable" : shown(metric.value);
  const bounds = [metric.min !== null ? `min ${shown(metric.min)}` : null, metric.max !== null ? `max ${shown(metric.max)}` : null].filter(Boolean);
  return `${metric.name} = ${value}${bounds.length ? ` (${bounds.join(", ")})` : ""}`;
}

function renderRedFlags(card, evidence) {
  const byId = new Map(evidence.all.map((e) => [e.id, e]));
  const list = $("red-flags");
  list.replaceChildren();
  const order = { triggered: 0, not_measurable: 1, not_applicable: 2, clear: 3 };
  const flags = [...card.red_flags].sort((a, b) => order[a.status] - order[b.status]);
  for (const flag of flags) {
    const ids = evidence.ids.get(flag);
    list.append(
      h(
        "li",
        { class: `flag f-${flag.status}`, dataset: { flag: flag.id } },
        h(
          "div",
          { class: "behavior-head" },
          statusChip(flag.status),
          h("span", { class: "behavior-title" }, flag.title),
        ),
        flag.status === "triggered"
          ? h("p", { class: "penalty" }, `${formatPoints(-flag.penalty)} on `, h("code", null, flag.applies_to))
          : null,
        flag.metric && flag.status === "triggered"
          ? h("p", { class: "reason" }, metricText(flag.metric))
          : null,
        flag.status === "triggered" && ids.for.length ? h("ul", { class: "evidence" }, ids.for.map((id) => evidenceButton(byId.get(id), "flag"))) : null,
        flag.status !== "clear" && flag.reason ? h("p", { class: "reason" }, flag.reason) : null,
        flag.status === "clear" && flag.count > 0
          ? h("p", { class: "reason" }, `${flag.count} mention${flag.count === 1 ? "" : "s"}, below the ${flag.min_count} that trigger it`)
          : null,
      ),
    );
  }
  if (!flags.length) list.append(h("li", { class: "muted" }, "This rubric has no red flags."));
}

function renderFeedback(card) {
  const list = $("feedback");
  list.replaceChildren();
  for (const item of card.feedback) {
    list.append(
      h(
        "li",
        { class: `fb fb-${item.kind}`, dataset: { id: item.id }, onclick: () => jumpToCriterion(item.id), title: "Show in the scorecard" },
        h(
          "div",
          { class: "fb-head" },
          h("span", { class: "rank" }, item.rank),
          h("span", { class: `status-chip k-${item.kind}` }, item.kind.replaceAll("_", " ")),
          h("span", { class: "fb-title" }, item.title),
          item.gain > 0
            ? h("span", { class: "gain", title: "Points the overall score would gain if this were fixed" }, formatPoints(item.gain))
            : null,
        ),
        h("p", null, item.text),
      ),
    );
  }
  if (!card.feedback.length) list.append(h("li", { class: "muted" }, "Nothing to work on: every behavior was demonstrated."));
}

function renderMetrics(card) {
  const m = card.metrics;
  const rows = [
    ["Duration", m.duration_seconds === null ? "—" : clock(m.duration_seconds)],
    ["Candidate talk time", percent(m.candidate_talk_ratio)],
    ["Candidate words", `${m.candidate_words} (${percent(m.candidate_word_share)})`],
    ["Words per minute", fixed(m.candidate_words_per_minute)],
    ["Answers", `${m.answers} · mean ${fixed(m.mean_words_per_answer)} words`],
    ["Longest answer", m.longest_answer_seconds === null ? "—" : clock(m.longest_answer_seconds)],
    ["Longest silence", m.longest_silence_seconds === null ? "—" : `${fixed(m.longest_silence_seconds)} s`],
    ["Candidate questions", String(m.candidate_questions)],
    ["Fillers", `${m.filler_count}${m.filler_rate === null ? "" : ` · ${fixed(m.filler_rate, 1)} per 100 words`}`],
  ];
  $("metrics").replaceChildren(...rows.map(([term, value]) => h("div", null, h("dt", null, term), h("dd", null, value))));
}

/** The transcript, each turn's evidence highlighted (overlapping evidence split into segments). */
function renderTranscript(transcript, evidence) {
  const byTurn = new Map();
  for (const entry of evidence.all) {
    if (!byTurn.has(entry.item.turn)) byTurn.set(entry.item.turn, []);
    byTurn.get(entry.item.turn).push(entry);
  }
  const severity = { for: 0, against: 1, flag: 2 };
  const turns = transcript.turns.map((turn, index) => {
    const entries = byTurn.get(index) ?? [];
    const cuts = new Set([0, turn.text.length]);
    for (const { item } of entries) cuts.add(item.span.utf16[0]).add(item.span.utf16[1]);
    const points = [...cuts].sort((a, b) => a - b);
    const text = h("p", { class: "turn-text" });
    for (let i = 0; i + 1 < points.length; i++) {
      const [start, end] = [points[i], points[i + 1]];
      const piece = turn.text.slice(start, end);
      const covering = entries.filter(({ item }) => item.span.utf16[0] <= start && end <= item.span.utf16[1]);
      if (!covering.length) {
        text.append(piece);
        continue;
      }
      const kind = covering.reduce((worst, e) => (severity[e.kind] > severity[worst] ? e.kind : worst), "for");
      text.append(
        h(
          "mark",
          {
            class: `ev ev-${kind}`,
            dataset: { ev: covering.map((e) => e.id).join(" ") },
            title: [...new Set(covering.map((e) => e.owner))].join(" · "),
            onclick: () => jumpToScorecard(covering[0].id),
          },
          piece,
        ),
      );
    }
    const initial = (turn.speaker.trim()[0] ?? "?").toUpperCase();
    return h(
      "article",
      { class: `turn r-${turn.role}`, id: `turn-${index}`, dataset: { turn: index } },
      h(
        "div",
        { class: "turn-head" },
        h("span", { class: "avatar", "aria-hidden": "true" }, initial),
        h("b", null, turn.speaker),
        h("span", { class: "role" }, turn.role),
        turn.start !== undefined ? h("time", null, clock(turn.start)) : null,
        h("span", { class: "turn-no" }, `#${index + 1}`),
        entries.length ? h("span", { class: "turn-count" }, `${entries.length}`) : null,
      ),
      text,
    );
  });
  $("turns").replaceChildren(...turns);
}

// ---- Cross-links ---------------------------------------------------------------------------------

function flash(elements) {
  for (const el of elements) {
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation
    el.classList.add("flash");
  }
}

function jumpToTranscript(id) {
  const marks = [...document.querySelectorAll(`mark[data-ev~="${id}"]`)];
  if (!marks.length) return;
  document.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
  marks.forEach((m) => m.classList.add("active"));
  marks[0].scrollIntoView({ behavior: "smooth", block: "center" });
  flash(marks);
}

function jumpToScorecard(id) {
  const button = document.querySelector(`.ev-item[data-ev="${id}"]`);
  if (!button) return;
  const details = button.closest("details");
  if (details) details.open = true;
  button.scrollIntoView({ behavior: "smooth", block: "center" });
  flash([button]);
}

function jumpToCriterion(id) {
  const target = document.querySelector(`[data-behavior="${id}"], [data-flag="${id}"]`);
  if (!target) return;
  const details = target.closest("details");
  if (details) details.open = true;
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  flash([target]);
}

// ---- Start ---------------------------------------------------------------------------------------

const started = performance.now();
await init();
const loadMs = Math.round(performance.now() - started);
$("engine").textContent = `rubric-wasm · WebAssembly engine loaded in ${loadMs} ms · ${Rubric.bundledNames().length} bundled rubrics`;
setupRubricSelect();
setupTranscriptInputs();
await setupExamples();
if (state.examples.length && !new URLSearchParams(window.location.search).has("blank")) await loadExample(0);
document.body.dataset.ready = "true";
