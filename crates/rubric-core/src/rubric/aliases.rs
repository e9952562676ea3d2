//! A bound on what YAML aliases expand to. serde_yaml refuses nesting deeper than 128 levels and
//! more alias replays than 100 per event, but one anchored scalar of 500 KB aliased 100,000 times
//! passes both and expands a 1 MiB rubric into 50 GB before any other check runs. In the
//! yaml-rust2 walk that also bounds the nesting (`parse::preflight`), a rubric that uses aliases
//! has the text each alias stands for added up here; it is refused when the expanded text passes
//! `max_rubric_bytes`, the size the same text written out without aliases could have.

use std::collections::HashMap;

use yaml_rust2::parser::Event;
use yaml_rust2::scanner::Marker;

use crate::error::{RubricError, RubricErrorKind};

/// The running count of the text a document's aliases stand for, fed one parser event at a time.
#[derive(Default)]
pub(crate) struct Expansion {
    limit: usize,
    /// Anchor id -> bytes of scalar text in the anchored node, its own aliases expanded.
    sizes: HashMap<usize, usize>,
    /// Open collections: their anchor id (0 for none) and the text inside them so far.
    open: Vec<(usize, usize)>,
    total: usize,
    /// Where the expanded text first passed the limit.
    over: Option<Marker>,
}

impl Expansion {
    pub(crate) fn new(limit: usize) -> Self {
        Self { limit, ..Self::default() }
    }

    /// Whether the limit has been passed (later events can change nothing).
    pub(crate) fn is_over(&self) -> bool {
        self.over.is_some()
    }

    /// The error for the alias that crossed the limit, if one did.
    pub(crate) fn result(&self) -> Result<(), RubricError> {
        let limit = self.limit;
        match self.over {
            None => Ok(()),
            Some(mark) => Err(RubricError {
                line: Some(mark.line()),
                column: Some(mark.col() + 1),
                ..RubricError::new(
                    RubricErrorKind::LimitExceeded,
                    "",
                    format!(
                        "aliases expand the rubric to more than {limit} bytes of text (max_rubric_bytes): \
                         an anchor repeated this often is an alias bomb"
                    ),
                )
            }),
        }
    }

    fn add(&mut self, bytes: usize, mark: Marker) {
        self.total = self.total.saturating_add(bytes);
        if let Some((_, inside)) = self.open.last_mut() {
            *inside = inside.saturating_add(bytes);
        }
        if self.total > self.limit && self.over.is_none() {
            self.over = Some(mark);
        }
    }
}

impl Expansion {
    /// Counts one parser event.
    pub(crate) fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, _, anchor, _) => {
                if anchor > 0 {
                    self.sizes.insert(anchor, value.len());
                }
                self.add(value.len(), mark);
            }
            Event::Alias(anchor) => {
                let bytes = self.sizes.get(&anchor).copied().unwrap_or(0);
                self.add(bytes, mark);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => self.open.push((anchor, 0)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, inside)) = self.open.pop() {
                    if anchor > 0 {
                        self.sizes.insert(anchor, inside);
                    }
                    // The parent's running size already counts this collection's text: `add` credits
                    // only the innermost collection, so pass it up.
                    if let Some((_, parent)) = self.open.last_mut() {
                        *parent = parent.saturating_add(inside);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::super::parse::preflight;
    use super::*;

    #[test]
    fn counts_each_alias_as_the_text_it_repeats() {
        let yaml = "a: &a [xx, yyy]\nb: [*a, *a]\nc: &c zz\nd: *c\n";
        // 5 (a) + 10 (b) + 1 + 2 (c and its key) + 1 + 2 (d)
        assert!(preflight(yaml, 1000).is_ok());
        let error = preflight(yaml, 12).unwrap_err();
        assert_eq!((error.kind, error.line, error.column), (RubricErrorKind::LimitExceeded, Some(2), Some(9)));
    }

    #[test]
    fn nested_aliases_multiply() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            writeln!(yaml, "a{i}: &a{i} [{refs}]").unwrap();
        }
        assert!(preflight(&yaml, 1 << 20).is_err(), "10^12 bytes");
    }
}
