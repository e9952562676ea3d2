//! The question model: a logistic regression over hashed features, with integer weights.
//!
//! Weights are stored as `i16` in units of 1/[`UNITS`] of a logit, so a sentence's score is an
//! integer sum: exactly the same in Rust, Python and JavaScript, whatever the platform's floats do.
//! The shipped weights (`assets/question-model.bin`) are trained by `make train-question` from the
//! ICSI Meeting Recorder Dialog Act corpus (CC BY 4.0; see `assets/README.md`).
//!
//! The file: `RQM1`, then four little-endian `u32`/`i32` fields (log2 of the table size, the
//! threshold, units per logit, reserved 0), then the table as little-endian `i16`.

use std::sync::OnceLock;

use crate::error::{error_kinds, Located};

#[cfg(test)]
use super::features::feature_hash;
use super::features::{extract, FeatureSink, QuestionContext};

const MAGIC: &[u8; 4] = b"RQM1";

/// Weight units per logit.
pub const UNITS: i32 = 256;

/// The bundled weights, trained on the shared meeting corpus.
static BUNDLED: &[u8] = include_bytes!("../../../assets/question-model.bin");

error_kinds! {
    /// Why model bytes or weights are not a question model.
    pub enum ModelErrorKind in "model" {
        /// Not the asset format: no `RQM1` header, a truncated header, or other units.
        InvalidFormat = "invalid_format",
        /// A weight table of the wrong size.
        InvalidSize = "invalid_size",
    }
}

/// A question model that cannot be read; `path` names the part at fault (`header`, `weights`).
pub type ModelError = Located<ModelErrorKind>;

fn model_error(kind: ModelErrorKind, path: &str, message: impl Into<String>) -> ModelError {
    ModelError::new(kind, path, message)
}

/// A trained question model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionModel {
    log2_size: u32,
    /// A sentence whose score (in weight units) is at least this is a question.
    threshold: i32,
    weights: Vec<i16>,
}

impl QuestionModel {
    /// The model shipped with the engine.
    pub fn bundled() -> &'static Self {
        static MODEL: OnceLock<QuestionModel> = OnceLock::new();
        MODEL.get_or_init(|| Self::from_bytes(BUNDLED).expect("the bundled question model is well formed (tested)"))
    }

    /// A model from its table of `2^log2_size` weights.
    pub fn new(log2_size: u32, threshold: i32, weights: Vec<i16>) -> Result<Self, ModelError> {
        if !(8..=20).contains(&log2_size) || weights.len() != 1 << log2_size {
            let message = format!("a question model has 2^8 to 2^20 weights, and 2^{log2_size} of them");
            return Err(model_error(ModelErrorKind::InvalidSize, "weights", message));
        }
        Ok(Self { log2_size, threshold, weights })
    }

    /// Reads the asset format described in the module documentation.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let format = |message: String| model_error(ModelErrorKind::InvalidFormat, "header", message);
        let field = |i: usize| -> Result<[u8; 4], ModelError> {
            bytes
                .get(4 + 4 * i..8 + 4 * i)
                .map(|b| b.try_into().expect("4 bytes"))
                .ok_or_else(|| format("truncated header".to_string()))
        };
        if bytes.get(..4) != Some(MAGIC.as_slice()) {
            return Err(format("not a question model (no RQM1 header)".into()));
        }
        let log2_size = u32::from_le_bytes(field(0)?);
        let threshold = i32::from_le_bytes(field(1)?);
        if i32::from_le_bytes(field(2)?) != UNITS {
            return Err(format(format!("the model's weights are not in units of 1/{UNITS}")));
        }
        let table = &bytes[20..];
        if log2_size > 20 || table.len() != 2 << log2_size {
            let message = format!("the weight table has {} bytes, not 2 x 2^{log2_size}", table.len());
            return Err(model_error(ModelErrorKind::InvalidSize, "weights", message));
        }
        let weights = table.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
        Self::new(log2_size, threshold, weights)
    }

    /// The asset bytes of this model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20 + 2 * self.weights.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.log2_size.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&UNITS.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    pub fn threshold(&self) -> i32 {
        self.threshold
    }

    pub fn log2_size(&self) -> u32 {
        self.log2_size
    }

    /// Which weight a feature hash reads.
    pub fn bucket(&self, hash: u64) -> usize {
        // The high bits of FNV-1a mix better than its low bits.
        (hash >> (64 - self.log2_size)) as usize
    }

    /// The sentence's score in weight units: the sum of its features' weights.
    pub fn score(&self, sentence: &str, context: QuestionContext<'_>) -> i32 {
        struct Sum<'m> {
            model: &'m QuestionModel,
            total: i32,
        }
        impl FeatureSink for Sum<'_> {
            fn feature(&mut self, _kind: &'static str, _parts: &[&str], hash: u64) {
                let w = self.model.weights[self.model.bucket(hash)];
                self.total += i32::from(w);
            }
        }
        let mut sum = Sum { model: self, total: 0 };
        extract(sentence, context, &mut sum);
        sum.total
    }

    /// The features that pushed the sentence most towards a question, strongest first, with their
    /// weights in units; at most `most` of them.
    pub fn strongest_features(&self, sentence: &str, context: QuestionContext<'_>, most: usize) -> Vec<(String, i32)> {
        struct Named<'m> {
            model: &'m QuestionModel,
            out: Vec<(String, i32)>,
        }
        impl FeatureSink for Named<'_> {
            fn feature(&mut self, kind: &'static str, parts: &[&str], hash: u64) {
                let w = i32::from(self.model.weights[self.model.bucket(hash)]);
                if w > 0 && kind != "bias" {
                    self.out.push((describe(kind, parts), w));
                }
            }
        }
        let mut named = Named { model: self, out: Vec::new() };
        extract(sentence, context, &mut named);
        // Stable: equal weights keep the order in which features are extracted.
        named.out.sort_by_key(|(_, w)| std::cmp::Reverse(*w));
        named.out.dedup_by(|a, b| a.0 == b.0);
        named.out.truncate(most);
        named.out
    }
}

/// A feature as a person would say it.
fn describe(kind: &str, parts: &[&str]) -> String {
    let words = parts.join(" ");
    match kind {
        "b1" | "b2" | "b3" => format!("begins \"{words}\""),
        "s1" | "s2" | "s3" => format!("opens with \"{words}\""),
        "e1" | "e2" => format!("ends \"{words}\""),
        "u" | "bg" => format!("says \"{words}\""),
        "cue" => words,
        "len" => format!("{words} words long"),
        "frag" => "false start".into(),
        "skipped" => "discourse words first".into(),
        "last" => "ends the turn".into(),
        "reply" => format!("reply begins \"{words}\""),
        "short" => format!("short \"{}\" answered \"{}\"", parts[0], parts.get(1).unwrap_or(&"")),
        "next" => format!("the same speaker goes on \"{words}\""),
        "turn" if words == "other" => "opens the turn".into(),
        "turn" => "inside the turn".into(),
        "p1" | "p2" => {
            let said = parts[1..].join(" ");
            let whose = if parts[0] == "other" { "the other speaker" } else { "the same speaker" };
            if said == "none" {
                format!("{whose} said nothing before")
            } else {
                format!("after {whose}'s \"{said}\"")
            }
        }
        other => format!("{other} {words}"),
    }
}

/// The probability a score in weight units stands for.
pub fn probability(units: i32) -> f64 {
    1.0 / (1.0 + (-f64::from(units) / f64::from(UNITS)).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_features_are_described_in_words() {
        assert_eq!(describe("p2", &["other", "is", "it"]), "after the other speaker's \"is it\"");
        assert_eq!(describe("p1", &["same", "none"]), "the same speaker said nothing before");
        assert_eq!(describe("turn", &["other"]), "opens the turn");
        assert_eq!(describe("next", &["or"]), "the same speaker goes on \"or\"");
    }

    #[test]
    fn the_asset_reads_back_as_it_was_written() {
        let model = QuestionModel::bundled();
        assert_eq!(QuestionModel::from_bytes(&model.to_bytes()).as_ref(), Ok(model));
        assert_eq!(model.to_bytes(), BUNDLED, "the shipped file is in the canonical format");
        assert!(BUNDLED.len() <= 512 * 1024, "the asset stays within 512 KB");
    }

    #[test]
    fn malformed_assets_are_refused_with_a_reason() {
        let good = QuestionModel::bundled().to_bytes();
        assert!(QuestionModel::from_bytes(b"nope").unwrap_err().message.contains("RQM1"));
        assert!(QuestionModel::from_bytes(&good[..10]).unwrap_err().message.contains("truncated"));
        assert!(QuestionModel::from_bytes(&good[..good.len() - 1]).unwrap_err().message.contains("weight table"));
        let mut units = good.clone();
        units[12] ^= 1;
        assert!(QuestionModel::from_bytes(&units).unwrap_err().message.contains("units"));
    }

    #[test]
    fn scores_are_integer_sums_of_feature_weights() {
        let mut weights = vec![0i16; 1 << 16];
        let model = QuestionModel::new(16, 0, weights.clone()).unwrap();
        weights[model.bucket(feature_hash("bias", &[]))] = -100;
        weights[model.bucket(feature_hash("s2", &["can", "i"]))] = 300;
        let model = QuestionModel::new(16, 0, weights).unwrap();
        assert_eq!(model.score("can i go", QuestionContext::default()), 200);
        assert_eq!(model.score("we go", QuestionContext::default()), -100);
        let named = model.strongest_features("can i go", QuestionContext::default(), 3);
        assert_eq!(named.first().map(|(n, _)| n.as_str()), Some("opens with \"can i\""), "{named:?}");
    }

    #[test]
    fn probability_is_the_logistic_of_the_logit() {
        assert!((probability(0) - 0.5).abs() < 1e-12);
        assert!((probability(UNITS) - 0.731_058_578_630_004_9).abs() < 1e-12);
    }
}
