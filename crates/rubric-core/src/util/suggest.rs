//! "Did you mean": the nearest name to a misspelt one, for every error that names what was expected.

/// For an "unknown field `wieght`, ..." message: the message with "; did you mean `weight`?"
/// appended when an expected name is close, and that name (the error's `suggestion`). Rubrics,
/// JSON transcripts and label files all use it, so a misspelt key reads the same in each.
pub(crate) fn with_field_suggestion(message: String) -> (String, Option<String>) {
    let suggestion = suggest_field(&message);
    let hint = did_you_mean(suggestion.as_deref());
    (message + &hint, suggestion)
}

/// "; did you mean `name`?" when a name is close, or nothing: the end of every message that names
/// what was probably meant.
pub(crate) fn did_you_mean(near: Option<&str>) -> String {
    near.map(|name| format!("; did you mean `{name}`?")).unwrap_or_default()
}

/// For "unknown field `wieght`, expected one of `id`, `weight`": the closest expected name.
pub(crate) fn suggest_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    closest(unknown, expected.split('`').skip(1).step_by(2)).map(str::to_string)
}

/// The candidate nearest to `name` when it is near enough to be a slip of the keyboard (within a
/// third of its length, at least 2 edits): what every "did you mean" suggests.
pub(crate) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over chars.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("wieght", "weight"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggests_the_closest_expected_field() {
        let message = "unknown field `wieght`, expected one of `id`, `title`, `weight`";
        assert_eq!(suggest_field(message).as_deref(), Some("weight"));
        assert_eq!(suggest_field("unknown field `zzzzzz`, expected `id`"), None);
        let (hinted, suggestion) = with_field_suggestion(message.to_string());
        assert_eq!((hinted, suggestion.as_deref()), (format!("{message}; did you mean `weight`?"), Some("weight")));
        let far = "unknown field `zzzzzz`, expected `id`".to_string();
        assert_eq!(with_field_suggestion(far.clone()), (far, None));
    }
}
