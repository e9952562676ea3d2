//! `import_srt`: see `rubric_fuzz::run` for what this target does and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // A refusal is a fine outcome; only panics (crashes and broken invariants) are findings.
    let _ = rubric_fuzz::run("import_srt", data);
});
