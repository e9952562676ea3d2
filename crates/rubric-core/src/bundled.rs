//! Rubrics shipped with the library, compiled into the binary so they work everywhere (including
//! WebAssembly, which has no file system).

/// (id, YAML source), in the order `rubric list` shows them.
const BUNDLED: &[(&str, &str)] = &[
    ("coding-round", include_str!("../../../rubrics/coding-round.yaml")),
    ("system-design", include_str!("../../../rubrics/system-design.yaml")),
    ("behavioral-star", include_str!("../../../rubrics/behavioral-star.yaml")),
    ("code-review", include_str!("../../../rubrics/code-review.yaml")),
    ("recruiter-screen", include_str!("../../../rubrics/recruiter-screen.yaml")),
];

/// The rubric used when none is named.
pub const DEFAULT: &str = "coding-round";

/// Ids of the bundled rubrics.
pub fn names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(name, _)| *name).collect()
}

/// What to say when `name` is not a bundled rubric: the list, and the closest name when one is
/// near enough to be a slip ("coding-rond" -> "did you mean \"coding-round\"?").
pub fn unknown_name_hint(name: &str) -> String {
    let list = format!("bundled rubrics: {}", names().join(", "));
    match crate::util::suggest::closest(name, names()) {
        Some(candidate) => format!("did you mean \"{candidate}\"? {list}"),
        None => list,
    }
}

/// Every bundled rubric, compiled once with default limits, in the order of [`names`]: the
/// versions, depth marks and rounds the practice loop reads from them all come from this one
/// compilation.
pub fn compiled() -> &'static [crate::Rubric] {
    static COMPILED: std::sync::OnceLock<Vec<crate::Rubric>> = std::sync::OnceLock::new();
    COMPILED.get_or_init(|| names().into_iter().filter_map(|name| crate::Rubric::bundled(name).ok()).collect())
}

/// Each bundled rubric's id -> version: what "current" means for histories of bundled rubrics
/// (`TrendOptions::current_versions`).
pub fn versions() -> std::collections::BTreeMap<String, String> {
    compiled().iter().map(|r| (r.id().to_string(), r.version().to_string())).collect()
}

/// The round of bundled rubric `id` (its `round:`), which a session made with it is recorded
/// under when the caller names none; `None` for a rubric that is not bundled.
pub fn round_of(id: &str) -> Option<crate::transcript::Round> {
    compiled_named(id).and_then(|r| r.spec().round)
}

/// The compiled bundled rubric `id`, if there is one.
pub fn compiled_named(id: &str) -> Option<&'static crate::Rubric> {
    compiled().iter().find(|r| r.id() == id)
}

/// The YAML source of a bundled rubric.
pub fn source(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, yaml)| *yaml)
}
