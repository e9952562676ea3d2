//! Where a JSON value starts, by path (`turns[3].end`), for errors found after parsing.
//!
//! serde_json reports positions for syntax and type errors only; semantic checks (an end before its
//! start, unsorted turns) run on parsed values. This scanner walks the text once more, only when
//! there is an error to locate, and stops at the first value whose path matches.

use super::document_path::parent_path;

/// 1-based line and column (in characters) of the value at `target`, or of its nearest ancestor.
pub fn locate(input: &str, target: &str) -> Option<(usize, usize)> {
    let mut path = target;
    loop {
        if let Some(position) = find(input, path) {
            return Some(position);
        }
        path = parent_path(path)?;
    }
}

enum Frame {
    Object { path: String, key: Option<String> },
    Array { path: String, index: usize },
}

fn find(input: &str, target: &str) -> Option<(usize, usize)> {
    let mut found = None;
    walk(input, |path, line, column| {
        if path == target {
            found = Some((line, column));
        }
        found.is_some()
    });
    found
}

/// 1-based line and column of every element of the array at `target` (`annotations`), in one
/// pass: the place each one was written, kept for errors found once a rubric is at hand.
pub fn locate_elements(input: &str, target: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    walk(input, |path, line, column| {
        let element = path.strip_prefix(target).and_then(|rest| rest.strip_prefix('['));
        if element.is_some_and(|rest| rest.ends_with(']') && rest[..rest.len() - 1].bytes().all(|b| b.is_ascii_digit()))
        {
            found.push((line, column));
        }
        false
    });
    found
}

/// Calls `visit` with the path, line and column of every value in `input`, in order, until it
/// returns true. Keys are not values; a malformed document is walked as far as it makes sense.
fn walk(input: &str, mut visit: impl FnMut(&str, usize, usize) -> bool) {
    let bytes = input.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let (mut line, mut column) = (1usize, 1usize);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let start = i;
        match byte {
            b' ' | b'\t' | b'\r' | b':' => i += 1,
            b'\n' => {
                i += 1;
                line += 1;
                column = 0;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Array { index, .. }) => *index += 1,
                    Some(Frame::Object { key, .. }) => *key = None,
                    None => {}
                }
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            _ => {
                if byte == b'"' && matches!(stack.last(), Some(Frame::Object { key: None, .. })) {
                    let end = string_end(bytes, i);
                    // An unterminated key runs to the end of the input, which need not end in `"`.
                    let close = if end > i + 1 && bytes[end - 1] == b'"' { end - 1 } else { end };
                    if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                        *key = Some(input[i + 1..close].to_string());
                    }
                    i = end;
                } else {
                    let path = match stack.last() {
                        None => String::new(),
                        Some(Frame::Array { path, index }) => format!("{path}[{index}]"),
                        Some(Frame::Object { path, key: Some(key) }) if path.is_empty() => key.clone(),
                        Some(Frame::Object { path, key: Some(key) }) => format!("{path}.{key}"),
                        Some(Frame::Object { key: None, .. }) => return,
                    };
                    if visit(&path, line, column) {
                        return;
                    }
                    match byte {
                        b'{' => {
                            stack.push(Frame::Object { path, key: None });
                            i += 1;
                        }
                        b'[' => {
                            stack.push(Frame::Array { path, index: 0 });
                            i += 1;
                        }
                        b'"' => i = string_end(bytes, i),
                        _ => {
                            while i < bytes.len()
                                && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r')
                            {
                                i += 1;
                            }
                            i = i.max(start + 1);
                        }
                    }
                }
            }
        }
        // Columns count characters: UTF-8 continuation bytes do not start one.
        column += input.as_bytes()[start..i.min(bytes.len())].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        if byte == b'\n' {
            column = 1;
        }
    }
}

/// The index just past the string starting at `start` (a `"`), honouring escapes.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_values_by_path() {
        let json = "{\n  \"turns\": [\n    {\"role\": \"candidate\", \"text\": \"héllo, \\\"x\\\"\", \"end\": 2},\n    {\"text\": \"b\", \"end\": 5}\n  ]\n}";
        assert_eq!(locate(json, "turns"), Some((2, 12)));
        assert_eq!(locate(json, "turns[0].end"), Some((3, 58)));
        assert_eq!(locate(json, "turns[1]"), Some((4, 5)));
        assert_eq!(locate(json, "turns[1].end"), Some((4, 26)));
        assert_eq!(locate(json, "turns[1].start"), Some((4, 5)), "falls back to the parent");
        assert_eq!(locate(json, ""), Some((1, 1)));
        assert_eq!(locate("", "x"), None);
    }

    #[test]
    fn locates_every_element_of_an_array_in_one_pass() {
        let json = "{\"turns\": [{\"a\": [1]}],\n \"annotations\": [\n  {\"turn\": [0]},\n  {\"b\": {\"annotations\": [7]}}\n]}";
        assert_eq!(locate_elements(json, "annotations"), vec![(3, 3), (4, 3)]);
        assert_eq!(locate_elements(json, "turns"), vec![(1, 12)]);
        assert!(locate_elements(json, "missing").is_empty());
    }

    #[test]
    fn an_unterminated_key_ending_in_a_multibyte_character_does_not_panic() {
        // Found by the import_utterances fuzz target: the key was cut one byte before the input's end.
        assert_eq!(locate("{\"a\": 1, \"b\u{a0}", "c"), Some((1, 1)), "falls back to the root");
        assert_eq!(locate("{\"\u{a0}", "x"), Some((1, 1)));
    }
}
