//! Paths into a document (`turns[3].end`, `competencies[1].behaviors[0].regex`), as errors name places.

/// The path one level up (`a.b[2]` -> `a.b` -> `a` -> ``), or `None` above the document root. Both
/// position indexes fall back along it when a path has no position of its own.
pub(crate) fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    Some(&path[..path.rfind(['.', '[']).unwrap_or(0)])
}
