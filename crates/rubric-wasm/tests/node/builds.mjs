// Loads both builds of the package, so every test runs against the Node build (CommonJS glue,
// `--target nodejs`) and the browser build (ES module glue, `--target web`, initialised with
// `initSync` here instead of `fetch`).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

export const crateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const repoDir = path.resolve(crateDir, "../..");
export const fixturesDir = path.join(repoDir, "fixtures");

const require = createRequire(import.meta.url);
const node = require(path.join(crateDir, "pkg/node/rubric_wasm.js"));
const web = await import(pathToFileURL(path.join(crateDir, "pkg/web/rubric_wasm.js")).href);
web.initSync({ module: readFileSync(path.join(crateDir, "pkg/web/rubric_wasm_bg.wasm")) });

export const builds = [
  ["node build", node],
  ["web build", web],
];

/** Runs `body(api)` inside a `describe` block for each build. */
export function forEachBuild(body) {
  for (const [name, api] of builds) {
    describe(name, () => body(api));
  }
}

export function fixture(relative) {
  return readFileSync(path.join(fixturesDir, relative), "utf8");
}

export function manifest() {
  return JSON.parse(fixture("golden/manifest.json")).cases;
}

/** Calls `fn` and returns what it threw (fails if it did not throw). */
export function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an exception");
}
