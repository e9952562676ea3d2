// Patches the JS glue wasm-bindgen 0.2.130 generates around instance reinitialisation (see
// src/panic.rs: after a panic the instance is replaced, with fresh memory, before the next call).
//
// 1. `Rubric` objects survive the replacement. Their Rust struct lived in the old instance's memory,
//    so a `Rubric` remembers how it was made (its YAML or bundled name, and its limits) and, on its
//    first use after a panic, compiles itself again in the new instance. The alternatives are worse:
//    a `Rubric` is immutable and cheap to rebuild from its source, while telling every caller to
//    catch "stale object" errors and rebuild by hand moves the same work into every application.
//    Objects of other classes (none today) would still throw the glue's stale-object error.
// 2. The glue checks `__wbg_inst` against the current instance *before* `__wbg_call_guard()` swaps
//    in the new instance, so the first call after a panic would pass the check and hand an old
//    pointer to the new instance. The check now runs after the guard (in `__rubric_current`), in
//    methods and getters and where a `Rubric` is passed to a function (`renderReport`, ...).
// 3. `free()` (also `[Symbol.dispose]`) has no staleness check at all and would free the old pointer
//    in the new instance's heap. It is a no-op for stale objects (their memory is gone anyway), and
//    a freed `Rubric` is not rebuilt.
//
// Usage: node patch-glue.mjs FILE.js... Fails if the generated code no longer has the expected shape
// (for example after a wasm-bindgen upgrade): re-check the glue then.
import { readFileSync, writeFileSync } from "node:fs";

const MARK = "/* glue patched by crates/rubric-wasm/scripts/patch-glue.mjs */\n";

// The glue's stale-object check, on `this` in methods or on an argument `(rubric)` in functions.
const STALE =
  /if \((this|\((\w+)\))\.__wbg_inst !== undefined && \1\.__wbg_inst !== __wbg_instance_id\) \{\s*throw new Error\('Invalid stale object from previous Wasm instance'\);\s*\}/g;

const FREE = "    free() {\n        const ptr = this.__destroy_into_raw();\n";
const FREE_PATCHED =
  "    free() {\n" +
  "        __wbg_call_guard();\n" +
  "        this.__rubric_rebuild = undefined;\n" +
  "        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {\n" +
  "            this.__destroy_into_raw();\n" +
  "            return;\n" +
  "        }\n" +
  "        const ptr = this.__destroy_into_raw();\n";

// Where a Rubric is made: the constructor and `Rubric.bundled`.
const CONSTRUCTED =
  "        RubricFinalization.register(this, { ptr: ret[0], instance: __wbg_instance_id }, this);\n        return this;\n";
const CONSTRUCTED_PATCHED =
  "        RubricFinalization.register(this, { ptr: ret[0], instance: __wbg_instance_id }, this);\n" +
  "        const source = __rubric_copy(yaml), rebuildOptions = __rubric_copy_options(options);\n" +
  "        __rubric_remember(this, () => new Rubric(source, rebuildOptions));\n" +
  "        return this;\n";
const BUNDLED = /(    static bundled\(name, options\) \{[\s\S]*?)        return Rubric\.__wrap\(ret\[0\]\);\n/;
const BUNDLED_PATCHED =
  "$1        const rubric = Rubric.__wrap(ret[0]), rebuildOptions = __rubric_copy_options(options);\n" +
  "        __rubric_remember(rubric, () => Rubric.bundled(name, rebuildOptions));\n" +
  "        return rubric;\n";

const HELPERS = `
// ---- Added by patch-glue.mjs: Rubric objects outlive a replaced instance (see that script).

/** A copy of what a Rubric was made from, so later changes by the caller do not change it. */
function __rubric_copy(value) {
    return value instanceof Uint8Array ? value.slice() : value;
}

function __rubric_copy_options(options) {
    if (options === undefined || options === null || options.limits === undefined || options.limits === null) {
        return undefined;
    }
    return { limits: { ...options.limits } };
}

function __rubric_remember(rubric, rebuild) {
    Object.defineProperty(rubric, '__rubric_rebuild', { value: rebuild, writable: true });
}

/** Makes \`object\` belong to the current instance: swaps in a new instance first if a panic
 *  scheduled one, then rebuilds a Rubric from before it. Other stale objects throw. */
function __rubric_current(object) {
    __wbg_call_guard();
    if (object.__wbg_inst === undefined || object.__wbg_inst === __wbg_instance_id) return;
    if (typeof object.__rubric_rebuild !== 'function') {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    const fresh = object.__rubric_rebuild();
    const ptr = fresh.__destroy_into_raw();
    object.__wbg_ptr = ptr;
    object.__wbg_inst = __wbg_instance_id;
    RubricFinalization.register(object, { ptr, instance: __wbg_instance_id }, object);
}
`;

function fail(message) {
  console.error(`patch-glue: ${message}`);
  process.exit(1);
}

const files = process.argv.slice(2);
if (files.length === 0) fail("usage: node patch-glue.mjs FILE.js...");
for (const file of files) {
  let text = readFileSync(file, "utf8");
  if (text.includes(MARK)) continue;
  if (!text.includes("function __wbg_call_guard()")) fail(`${file}: no __wbg_call_guard (reinit machinery missing?)`);
  const stale = (text.match(STALE) ?? []).length;
  if (stale < 6) fail(`${file}: expected the stale-object check in every method, getter and Rubric argument, found ${stale}`);
  text = text.replace(STALE, (_, target, argument) => `__rubric_current(${argument ?? target});`);
  if (text.split(FREE).length !== 2) fail(`${file}: expected one free() of the expected shape`);
  text = text.replace(FREE, FREE_PATCHED);
  if (text.split(CONSTRUCTED).length !== 2) fail(`${file}: the Rubric constructor does not have the expected shape`);
  text = text.replace(CONSTRUCTED, CONSTRUCTED_PATCHED);
  if (!BUNDLED.test(text)) fail(`${file}: Rubric.bundled does not have the expected shape`);
  text = text.replace(BUNDLED, BUNDLED_PATCHED);
  const header = text.startsWith("/* @ts-self-types") ? text.indexOf("\n") + 1 : 0;
  writeFileSync(file, text.slice(0, header) + MARK + text.slice(header) + HELPERS);
}
