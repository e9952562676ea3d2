// types.d.ts declares exactly the fields the engine writes: every interface reached from Scorecard
// (and Limits) is checked against the golden JSON the Rust types produce, so a field added on one
// side only fails here (the Python TypedDicts and views have the same check in test_api.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { fixture } from "./builds.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const declarations = readFileSync(path.join(here, "../../src/types.d.ts"), "utf8");

/** name -> { props: Map(name -> { optional, type }), extends: [names] } for every exported interface. */
function interfaces(source) {
  const found = new Map();
  const block = /^export interface (\w+)(?: extends ([\w, ]+))? \{\n([\s\S]*?)^\}/gm;
  for (const [, name, parents, body] of source.matchAll(block)) {
    const props = new Map();
    for (const [, key, optional, type] of body.matchAll(/^ {2}(\w+)(\?)?: (.+);$/gm)) {
      props.set(key, { optional: optional === "?", type });
    }
    found.set(name, { props, extends: parents ? parents.split(",").map((p) => p.trim()) : [] });
  }
  return found;
}

const declared = interfaces(declarations);

function allProps(name) {
  const declaration = declared.get(name);
  const props = new Map(declaration.props);
  for (const parent of declaration.extends) for (const [k, v] of allProps(parent)) props.set(k, v);
  return props;
}

/** The interface a property's type refers to (`CompetencyScore[]`, `Monologue | null`), if any. */
function child(type) {
  return [...type.matchAll(/\b([A-Z]\w*)\b/g)].map((m) => m[1]).find((name) => declared.has(name));
}

function check(name, value, where, seen) {
  seen.add(name);
  const props = allProps(name);
  const keys = Object.keys(value);
  const missing = [...props].filter(([k, p]) => !p.optional && !keys.includes(k)).map(([k]) => k);
  const extra = keys.filter((k) => !props.has(k));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${where}: ${name} differs from the JSON`);
  for (const [key, prop] of props) {
    const inner = child(prop.type);
    const item = value[key];
    if (!inner || item === null || item === undefined) continue;
    const items = Array.isArray(item) ? item : [item];
    items.forEach((each, i) => check(inner, each, `${where}.${key}[${i}]`, seen));
  }
}

test("the declarations were read", () => {
  assert.ok(declared.size > 40, `${declared.size} interfaces`);
  assert.ok(allProps("Scorecard").has("metrics"));
  assert.equal(child("CompetencyScore[]"), "CompetencyScore");
  assert.equal(child("Record<string, number>"), undefined);
});

test("every interface reached from Scorecard declares the golden scorecards' fields", () => {
  const seen = new Set();
  const cases = JSON.parse(fixture("golden/manifest.json")).cases;
  for (const c of cases) check("Scorecard", JSON.parse(fixture(c.golden)), c.golden, seen);
  for (const name of ["Evidence", "DetectorInfo", "ExternalWhy", "AnnotationUse", "QuestionWhy", "InferredEvent"]) {
    assert.ok(seen.has(name), `no golden scorecard reaches ${name}`);
  }
});

test("Limits declares every limit", () => {
  check("Limits", JSON.parse(fixture("golden/limits.json")), "limits.json", new Set());
});
