//! Helpers every layer may use; nothing here imports anything above it: suggestions for misspelt
//! names, positions in YAML text, calendar dates, bounded line reading and the parallel map.

pub mod bounded_lines;
pub(crate) mod date;
pub(crate) mod document_path;
pub(crate) mod html;
pub(crate) mod json_position;
pub(crate) mod parallel;
pub(crate) mod suggest;
pub(crate) mod yaml_position;
