//! Rubrics: the YAML model, parsing with located errors, validation and compilation. The front
//! door that scores with a compiled rubric, [`crate::Rubric`], sits above in `engine.rs`.

mod aliases;
pub(crate) mod compile;
pub mod model;
mod parse;
mod repair;

pub use repair::MAX_STRUCTURAL_ERRORS;

pub use compile::{BACKCHANNELS, BUILT_IN_EVENTS, DEFAULT_FILLERS};
pub use model::{ExternalSpec, RubricSpec};
// The question bank is YAML too: the planner tells its syntax errors apart the same way.
#[cfg(feature = "practice")]
pub(crate) use parse::is_yaml_syntax_error;
pub(crate) use parse::parse_yaml;
