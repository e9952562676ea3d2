// Fixes two stale-object gaps in the JS glue wasm-bindgen 0.2.130 generates around instance
// reinitialisation (see src/panic.rs: after a panic the instance is replaced before the next call).
//
// 1. Methods check `this.__wbg_inst` against the current instance id *before* `__wbg_call_guard()`
//    swaps in the new instance, so the first call on an object from before the panic passes the check
//    and then hands its old pointer to the new instance. Run the guard first.
// 2. `free()` (also `[Symbol.dispose]`) has no staleness check at all and would free the old pointer
//    in the new instance's heap. Make it a no-op for stale objects (their memory is gone anyway).
//
// Usage: node patch-glue.mjs FILE.js... Fails if the generated code no longer has the expected shape
// (for example after a wasm-bindgen upgrade): re-check the glue then.
import { readFileSync, writeFileSync } from "node:fs";

const MARK = "/* glue patched by crates/rubric-wasm/scripts/patch-glue.mjs */\n";
const STALE = "if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {";
const FREE = "    free() {\n        const ptr = this.__destroy_into_raw();\n";
const FREE_PATCHED =
  "    free() {\n" +
  "        __wbg_call_guard();\n" +
  "        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {\n" +
  "            this.__destroy_into_raw();\n" +
  "            return;\n" +
  "        }\n" +
  "        const ptr = this.__destroy_into_raw();\n";

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
  const stale = text.split(STALE).length - 1;
  if (stale < 4) fail(`${file}: expected the stale-object check in every method and getter, found ${stale}`);
  text = text.split(STALE).join(`__wbg_call_guard();\n        ${STALE}`);
  if (!text.includes(FREE)) fail(`${file}: free() does not have the expected shape`);
  text = text.replace(FREE, FREE_PATCHED);
  const header = text.startsWith("/* @ts-self-types") ? text.indexOf("\n") + 1 : 0;
  writeFileSync(file, text.slice(0, header) + MARK + text.slice(header));
}
