//! Helpers shared by the CLI test files: run the built `rubric` binary from the repository root.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn rubric(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rubric")).args(args).current_dir(root()).output().expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}
