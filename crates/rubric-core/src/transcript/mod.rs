//! Transcripts: the model and one module per import format.

mod advice;
mod annotation;
mod import;
mod json;
mod lines;
mod located_json;
mod model;
mod options;
mod speakers;
mod srt;
mod stt;
mod text;
mod vtt;

pub use advice::{advised, Remedies};
pub use annotation::{
    read_annotations, Annotation, AnnotationAt, AnnotationSpan, CheckedAnnotation, Verification, GIVEN_ANNOTATIONS,
};
pub use import::{import, import_bytes, TEXT_LINES_HINT};
pub use json::{import_native, NativeDocument};
pub use located_json::PathError;
pub use model::{
    Event, InferredRole, Role, RoleInference, Round, Segment, Transcript, TranscriptParts, Turn, MAX_TIME_SECONDS,
};
pub use options::{Format, ImportOptions};

impl Transcript {
    /// Reads the native JSON format with default options.
    pub fn from_json(input: &str) -> Result<Transcript, crate::TranscriptError> {
        import(input, None, &ImportOptions { format: Some(Format::Json), ..ImportOptions::default() })
    }
}
