//! Validity measurement for the engine's detectors (`make validity`), and the training of the
//! question model (`make train-question`). Figures go in VALIDITY.md.

pub mod clock;
pub mod corpus;
pub mod hedges;
pub mod logistic;
pub mod questions;
pub mod report;
