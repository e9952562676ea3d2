//! Where each node of a YAML document starts, by path (`competencies[1].behaviors[0].regex`).
//!
//! serde_yaml reports line and column for syntax and type errors but keeps no positions once a value
//! is deserialised, so semantic errors (a bad regex, a duplicate id) would have only a path. This
//! index walks the document's events once more with yaml-rust2, whose parser marks every event with
//! its line and column, and is built only when there is an error to locate.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::document_path::parent_path;

/// 1-based line and column of each node, keyed by path.
#[derive(Debug, Default)]
pub struct PositionIndex {
    positions: HashMap<String, (usize, usize)>,
    /// Where each mapping key is written, by the path of its value.
    keys: HashMap<String, (usize, usize)>,
}

impl PositionIndex {
    /// Indexes `yaml`. A document that fails to parse yields the positions seen before the failure.
    pub fn build(yaml: &str) -> Self {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(yaml);
        // Errors are ignored: serde_yaml has already reported syntax errors with their location.
        let _ = parser.load(&mut walker, false);
        Self { positions: walker.positions, keys: walker.keys }
    }

    /// Where the key of `path` is written (an unknown key is reported there), else [`Self::locate`].
    pub fn locate_key(&self, path: &str) -> Option<(usize, usize)> {
        self.keys.get(path).copied().or_else(|| self.locate(path))
    }

    /// The position of `path`, or of its nearest ancestor that has one.
    pub fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let mut path = path;
        loop {
            if let Some(&position) = self.positions.get(path) {
                return Some(position);
            }
            path = parent_path(path)?;
        }
    }
}

enum Frame {
    /// Inside a mapping: the path of the mapping, and the key whose value comes next (None while
    /// a key is expected).
    Mapping {
        path: String,
        key: Option<String>,
    },
    Sequence {
        path: String,
        next_index: usize,
    },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
    keys: HashMap<String, (usize, usize)>,
}

impl Walker {
    /// Called for every node start. Returns the node's path if the node is a value (not a key).
    /// A block mapping's own mark lies after its first key, so a mapping is located at its first
    /// key instead.
    fn node_path(&mut self, scalar_key: Option<&str>, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, next_index }) => {
                let node = format!("{path}[{next_index}]");
                *next_index += 1;
                Some(node)
            }
            Some(Frame::Mapping { path, key }) => {
                if let Some(key) = key.take() {
                    return Some(join(path, &key));
                }
                // This node is a key; complex (non-scalar) keys get a placeholder name.
                *key = Some(scalar_key.unwrap_or("?").to_string());
                let position = (mark.line(), mark.col() + 1);
                self.positions.entry(path.clone()).or_insert(position);
                if let Some(key) = scalar_key {
                    self.keys.entry(join(path, key)).or_insert(position);
                }
                None
            }
        }
    }

    fn record(&mut self, path: &str, mark: Marker) {
        self.positions.entry(path.to_string()).or_insert((mark.line(), mark.col() + 1));
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(path) = self.node_path(Some(&value), mark) {
                    self.record(&path, mark);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.node_path(None, mark) {
                    self.record(&path, mark);
                }
            }
            Event::MappingStart(..) => {
                let path = self.node_path(None, mark).unwrap_or_else(|| "?".to_string());
                self.stack.push(Frame::Mapping { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.node_path(None, mark).unwrap_or_else(|| "?".to_string());
                self.record(&path, mark);
                self.stack.push(Frame::Sequence { path, next_index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_nodes_and_falls_back_to_ancestors() {
        let yaml = "id: x\ncompetencies:\n  - id: a\n    behaviors:\n      - id: b\n        regex: '(('\n";
        let index = PositionIndex::build(yaml);
        assert_eq!(index.locate("id"), Some((1, 5)));
        assert_eq!(index.locate("competencies[0].id"), Some((3, 9)));
        assert_eq!(index.locate("competencies[0].behaviors[0].regex"), Some((6, 16)));
        // A path below a scalar falls back to the scalar.
        assert_eq!(index.locate("competencies[0].behaviors[0].regex.x"), Some((6, 16)));
        assert_eq!(index.locate("competencies[0]"), Some((3, 5)), "a mapping is located at its first key");
        assert_eq!(index.locate("nothing"), Some((1, 1)), "unknown paths fall back to the root");
        assert_eq!(index.locate_key("competencies[0].behaviors[0].regex"), Some((6, 9)), "where the key is");
        assert_eq!(index.locate_key("competencies[0].nothing"), Some((3, 5)), "else where the node is");
    }

    #[test]
    fn flow_collections_are_indexed() {
        let index = PositionIndex::build("levels: [{level: 1, label: a}, {level: 2, label: b}]\n");
        assert_eq!(index.locate("levels[1].label"), Some((1, 50)));
    }
}
