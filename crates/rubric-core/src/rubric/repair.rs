//! Every structural error of a rubric in one run. serde stops at the first wrong key or type, so a
//! rubric with four mistakes took four runs of `rubric check`. Here the document is deserialised
//! again and again from its YAML tree, each time without the node the last error was about (an
//! unknown key, a value of the wrong type, a mapping that lacks a required key), until it
//! deserialises or [`MAX_STRUCTURAL_ERRORS`] are listed. Paths are reported as written: a sequence
//! element taken out shifts its later siblings, and the shift is undone before a path is reported.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use serde_path_to_error::Segment;
use serde_yaml::Value;

use super::model::RubricSpec;
use crate::error::{strip_location, RubricError, RubricErrorKind};
use crate::util::suggest::{did_you_mean, suggest_field};
use crate::util::yaml_position::PositionIndex;

/// At most this many structural errors are listed; a document with more is likely not a rubric.
pub const MAX_STRUCTURAL_ERRORS: usize = 100;

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

/// The structural errors after `first` (the error serde reported on the text, which has the exact
/// position), each located by path in `yaml`. Empty when the tree cannot be read or repaired.
pub(super) fn errors_after(yaml: &str, first: &RubricError) -> Vec<RubricError> {
    let Ok(mut tree) = serde_yaml::from_str::<Value>(yaml) else { return Vec::new() };
    let mut shifts = Shifts::default();
    // (mapping path, key) taken out for an error already reported: a "missing field" for it is
    // that same error again, and the mapping goes instead.
    let mut taken: BTreeSet<(Vec<Step>, String)> = BTreeSet::new();
    let mut reported: Vec<String> = vec![first.path.clone()];
    let mut errors = Vec::new();
    let mut positions: Option<PositionIndex> = None;
    // Each round takes a node out of a finite tree, so the rounds end; the cap bounds them further.
    for _ in 0..MAX_STRUCTURAL_ERRORS * 2 {
        if reported.len() >= MAX_STRUCTURAL_ERRORS {
            break;
        }
        let Err(error) = serde_path_to_error::deserialize::<_, RubricSpec>(&tree) else { break };
        let current: Vec<Step> = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                Segment::Seq { index } => Some(Step::Index(*index)),
                Segment::Map { key } => Some(Step::Key(key.clone())),
                _ => None,
            })
            .collect();
        let message = strip_location(&error.into_inner().to_string());
        let message = strip_path_prefix(message, &current);
        let missing =
            message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()).map(str::to_string);
        let original = shifts.original(&current);
        let suppressed = missing.as_ref().is_some_and(|field| taken.contains(&(original.clone(), field.clone())));
        let path = render(&original);
        // The field a misspelt key probably meant: said in the error, and kept from being reported
        // missing below.
        let meant = suggest_field(&message);
        if !suppressed && !reported.contains(&path) {
            reported.push(path.clone());
            let hinted = format!("{message}{}", did_you_mean(meant.as_deref()));
            let mut located = RubricError::new(RubricErrorKind::Schema, path, hinted).suggesting(meant.as_deref());
            let index = positions.get_or_insert_with(|| PositionIndex::build(yaml));
            let at = if message.starts_with("unknown field") {
                index.locate_key(&located.path)
            } else {
                index.locate(&located.path)
            };
            if let Some((line, column)) = at {
                located.line = Some(line);
                located.column = Some(column);
            }
            errors.push(located);
        }
        // What to take out: the node the error is about, except that a missing field takes out the
        // mapping that lacks it (it cannot be filled in without knowing its value).
        if current.is_empty() {
            break;
        }
        let Some((last, parent)) = current.split_last() else { break };
        if let Step::Key(key) = last {
            let parent = shifts.original(parent);
            // A misspelt key (`feedbak`) is one mistake, not also a missing `feedback`.
            if let Some(meant) = meant {
                taken.insert((parent.clone(), meant));
            }
            taken.insert((parent, key.clone()));
        }
        if !take_out(&mut tree, &current, &mut shifts) {
            break;
        }
    }
    errors
}

/// Removes the node at `path` from `tree`, noting a removed sequence element in `shifts`. False if
/// there is no such node.
fn take_out(tree: &mut Value, path: &[Step], shifts: &mut Shifts) -> bool {
    let Some((last, parent_path)) = path.split_last() else { return false };
    let mut node = &mut *tree;
    for step in parent_path {
        let next = match (step, node) {
            (Step::Key(key), Value::Mapping(map)) => map.get_mut(key.as_str()),
            (Step::Index(i), Value::Sequence(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => return false,
        }
    }
    match (last, node) {
        // `shift_remove` keeps the other keys in document order (`remove` would swap the last one in).
        (Step::Key(key), Value::Mapping(map)) => map.shift_remove(key.as_str()).is_some(),
        (Step::Index(i), Value::Sequence(items)) if *i < items.len() => {
            items.remove(*i);
            shifts.removed(parent_path, *i);
            true
        }
        _ => false,
    }
}

/// Sequence elements taken out so far, by the sequence's path as written, so that a path in the
/// repaired tree can be turned back into the path in the document.
#[derive(Debug, Default)]
struct Shifts {
    /// Original path of a sequence -> original indices taken out of it, sorted.
    removed: HashMap<Vec<Step>, Vec<usize>>,
}

impl Shifts {
    /// The document's path for `path` in the repaired tree.
    fn original(&self, path: &[Step]) -> Vec<Step> {
        let mut out: Vec<Step> = Vec::with_capacity(path.len());
        for step in path {
            let step = match step {
                Step::Index(i) => Step::Index(self.original_index(&out, *i)),
                key @ Step::Key(_) => key.clone(),
            };
            out.push(step);
        }
        out
    }

    /// The `i`-th element still there in the sequence at `sequence` (a document path) is this
    /// element of the document.
    fn original_index(&self, sequence: &[Step], i: usize) -> usize {
        let Some(removed) = self.removed.get(sequence) else { return i };
        let mut index = i;
        for &gone in removed {
            if gone <= index {
                index += 1;
            }
        }
        index
    }

    /// Element `i` (in the repaired tree) of the sequence at `sequence` (a repaired-tree path) was
    /// taken out.
    fn removed(&mut self, sequence: &[Step], i: usize) {
        let sequence = self.original(sequence);
        let original = self.original_index(&sequence, i);
        let list = self.removed.entry(sequence).or_default();
        let at = list.partition_point(|&gone| gone < original);
        list.insert(at, original);
    }
}

/// serde_yaml prefixes some messages with the path of the enclosing node, which the error carries
/// in its own field (as `parse` does for the first error).
fn strip_path_prefix(message: String, path: &[Step]) -> String {
    let path = render(path);
    match message.split_once(": ") {
        Some((prefix, rest)) if !prefix.contains(' ') && path.starts_with(prefix) => rest.to_string(),
        _ => message,
    }
}

/// `competencies[0].behaviors[2].regex`, as serde_path_to_error writes paths.
fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_turn_repaired_paths_back_into_document_paths() {
        let list = vec![Step::Key("items".into())];
        let mut shifts = Shifts::default();
        // Take out element 1, then (in the repaired tree) element 1 again: the document's 2.
        shifts.removed(&list, 1);
        shifts.removed(&list, 1);
        let at = |i| shifts.original(&[Step::Key("items".into()), Step::Index(i)]);
        assert_eq!(at(0), vec![Step::Key("items".into()), Step::Index(0)]);
        assert_eq!(at(1), vec![Step::Key("items".into()), Step::Index(3)]);
        assert_eq!(render(&at(1)), "items[3]");
    }
}
