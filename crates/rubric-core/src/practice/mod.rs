//! The practice loop on top of the engine: a history of scored sessions, how each dimension moved,
//! the next session's plan and a self-contained HTML report. It reads scorecards and transcripts
//! and calls the engine; the engine never calls it, and builds without it (the `practice`
//! feature, on by default).

pub mod error;
pub mod history;
pub mod planner;
pub mod report;
pub mod trends;
