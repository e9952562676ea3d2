//! Python values read straight into the core's serde types, without JSON text: a transcript given
//! as a dict is read into `rubric_core::transcript::NativeDocument` by this deserializer, where
//! it used to be written with `json.dumps` for the engine to parse back (a third of
//! `Rubric.score(dict)` at 50 KB).
//!
//! It reads what `json.dumps` writes, and as serde_json reads that text: dicts (and their
//! subclasses), lists and tuples, `str`, `int`, `float`, `bool` and `None`. Keys that are `int`,
//! `float`, `bool` or `None` become the strings `json.dumps` writes for them. Any other value is
//! the `TypeError` `json.dumps` raises, with the path of the value. Nesting deeper than
//! [`MAX_DEPTH`] (serde_json's own limit) is an error, so a dict that holds itself is refused
//! instead of overflowing the stack.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// The deepest nesting read, as serde_json's recursion limit for JSON text.
pub(crate) const MAX_DEPTH: usize = 128;

/// A Python value being deserialized, `depth` levels inside the document.
pub(crate) struct PyValue<'a, 'py> {
    value: &'a Bound<'py, PyAny>,
    depth: usize,
    keys: &'a KeyCache,
}

impl<'a, 'py> PyValue<'a, 'py> {
    /// The document `value`, its keys converted through `keys` (one cache per document).
    pub(crate) fn new(value: &'a Bound<'py, PyAny>, keys: &'a KeyCache) -> Self {
        PyValue { value, depth: 0, keys }
    }
}

/// The text of each `str` key met in one document, by the key object's address. A document's
/// dicts share their key objects (`json.loads` makes one `str` per distinct key, and the literals
/// of a program are shared constants), so a key is converted once per document instead of once
/// per dict: under the stable ABI each conversion copies the string twice. The document keeps
/// every key alive for the whole read and no Python code runs during it, so an address names one
/// object throughout.
#[derive(Default)]
pub(crate) struct KeyCache(RefCell<HashMap<usize, Rc<str>>>);

impl KeyCache {
    fn text(&self, key: &Bound<'_, PyString>) -> Result<Rc<str>, ReadError> {
        let address = key.as_ptr() as usize;
        if let Some(text) = self.0.borrow().get(&address) {
            return Ok(Rc::clone(text));
        }
        let text: Rc<str> = Rc::from(&*key.to_cow()?);
        self.0.borrow_mut().insert(address, Rc::clone(&text));
        Ok(text)
    }
}

/// Why a value could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// What serde says of a value the schema does not take (a transcript error, by path).
    Schema(String),
    /// A value JSON has no form for, or a failure inside Python: raised as it is.
    Python(PyErr),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Schema(message) => f.write_str(message),
            ReadError::Python(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ReadError::Schema(message.to_string())
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        ReadError::Schema(format!("invalid type: {}, expected {expected}", AsJson(unexpected)))
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        ReadError::Schema(format!("invalid value: {}, expected {expected}", AsJson(unexpected)))
    }
}

/// An unexpected value named as serde_json names it, so that a dict's errors read as its JSON
/// text's: `null` for `None`, and a float as serde_json writes it (`5.0`, `1e+300`).
struct AsJson<'a>(de::Unexpected<'a>);

impl fmt::Display for AsJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            de::Unexpected::Unit => f.write_str("null"),
            de::Unexpected::Float(value) => write!(f, "floating point `{}`", json_float(value)),
            unexpected => fmt::Display::fmt(&unexpected, f),
        }
    }
}

/// The shortest text that reads back as `value`, as serde_json writes it: a fraction or `.0`
/// from 1e-5 up to 1e16, an exponent with its sign outside (`1e+300`, `2.5e-7`).
fn json_float(value: f64) -> String {
    let magnitude = value.abs();
    if value.is_finite() && magnitude != 0.0 && !(1e-5..1e16).contains(&magnitude) {
        // Rust writes `1e300` and `2.5e-7`; serde_json `1e+300` and `2.5e-7`.
        let text = format!("{value:e}");
        return match text.split_once('e') {
            Some((digits, exponent)) if !exponent.starts_with('-') => format!("{digits}e+{exponent}"),
            _ => text,
        };
    }
    let text = value.to_string();
    if value.is_finite() && !text.contains('.') {
        format!("{text}.0")
    } else {
        text
    }
}

impl From<PyErr> for ReadError {
    fn from(error: PyErr) -> Self {
        ReadError::Python(error)
    }
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "?".to_string(), |name| name.to_string())
}

impl<'de> de::Deserializer<'de> for PyValue<'_, '_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let value = self.value;
        // Strings first: they are most of a transcript's values.
        if let Ok(text) = value.cast::<PyString>() {
            return visitor.visit_string(text.to_cow()?.into_owned());
        }
        if value.is_none() {
            return visitor.visit_unit();
        }
        // `bool` is a subclass of `int`: it is looked at first.
        if let Ok(flag) = value.cast::<PyBool>() {
            return visitor.visit_bool(flag.is_true());
        }
        if value.is_instance_of::<PyInt>() {
            if let Ok(number) = value.extract::<i64>() {
                return visitor.visit_i64(number);
            }
            if let Ok(number) = value.extract::<u64>() {
                return visitor.visit_u64(number);
            }
            // Beyond 64 bits `json.dumps` writes the digits, which serde_json reads as a float.
            return visitor.visit_f64(value.extract::<f64>()?);
        }
        if let Ok(number) = value.cast::<PyFloat>() {
            return visitor.visit_f64(number.value());
        }
        let inner = self.depth + 1;
        if inner > MAX_DEPTH {
            return Err(ReadError::Schema(format!(
                "recursion limit exceeded (more than {MAX_DEPTH} levels of nesting)"
            )));
        }
        if let Ok(dict) = value.cast::<PyDict>() {
            return visitor.visit_map(DictEntries { entries: dict.iter(), value: None, depth: inner, keys: self.keys });
        }
        let sequence = match (value.cast::<PyList>(), value.cast::<PyTuple>()) {
            (Ok(list), _) => Some(Sequence::List(list.clone())),
            (_, Ok(tuple)) => Some(Sequence::Tuple(tuple.clone())),
            _ => None,
        };
        if let Some(sequence) = sequence {
            return visitor.visit_seq(Items { sequence, next: 0, depth: inner, keys: self.keys });
        }
        Err(ReadError::Python(PyTypeError::new_err(format!(
            "Object of type {} is not JSON serializable",
            type_name(value)
        ))))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.value.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // The transcript's enums (roles, rounds) are unit variants, written as their names.
        match self.value.cast::<PyString>() {
            Ok(text) => visitor.visit_enum(text.to_cow()?.into_owned().into_deserializer()),
            Err(_) => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// A dict's entries, keys as `json.dumps` writes them.
struct DictEntries<'a, 'py> {
    entries: pyo3::types::iter::BoundDictIterator<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
    keys: &'a KeyCache,
}

impl<'de> MapAccess<'de> for DictEntries<'_, '_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        let text = match key.cast::<PyString>() {
            Ok(key) => self.keys.text(key)?,
            Err(_) => Rc::from(key_text(&key)?),
        };
        seed.deserialize(de::value::StrDeserializer::<ReadError>::new(&text)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let value = self.value.take().ok_or_else(|| ReadError::Schema("a value without its key".to_string()))?;
        seed.deserialize(PyValue { value: &value, depth: self.depth, keys: self.keys })
    }
}

/// A key that is not a `str` (those go through [`KeyCache`]) as `json.dumps` writes it: `int` and
/// `float` as their `repr`, `True`, `False` and `None` as `true`, `false` and `null`; any other
/// key is its `TypeError`.
fn key_text(key: &Bound<'_, PyAny>) -> Result<String, ReadError> {
    if key.is_none() {
        return Ok("null".to_string());
    }
    if let Ok(flag) = key.cast::<PyBool>() {
        return Ok(if flag.is_true() { "true" } else { "false" }.to_string());
    }
    // `int.__repr__` and `float.__repr__` themselves, as `json.dumps` calls them: a subclass's own
    // `__repr__` is not run.
    if key.is_instance_of::<PyInt>() {
        return Ok(key.py().get_type::<PyInt>().getattr("__repr__")?.call1((key,))?.extract()?);
    }
    if key.is_instance_of::<PyFloat>() {
        return Ok(key.py().get_type::<PyFloat>().getattr("__repr__")?.call1((key,))?.extract()?);
    }
    Err(ReadError::Python(PyTypeError::new_err(format!(
        "keys must be str, int, float, bool or None, not {}",
        type_name(key)
    ))))
}

/// A list or a tuple, read by index as `json.dumps` reads them: a subclass's `__iter__` is not
/// called, so no Python code runs while the document is read (code that changed a dict being
/// iterated would stop the read).
enum Sequence<'py> {
    List(Bound<'py, PyList>),
    Tuple(Bound<'py, PyTuple>),
}

/// A list's or a tuple's items.
struct Items<'a, 'py> {
    sequence: Sequence<'py>,
    next: usize,
    depth: usize,
    keys: &'a KeyCache,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ReadError> {
        let item = match &self.sequence {
            Sequence::List(list) if self.next < list.len() => list.get_item(self.next)?,
            Sequence::Tuple(tuple) if self.next < tuple.len() => tuple.get_item(self.next)?,
            _ => return Ok(None),
        };
        self.next += 1;
        seed.deserialize(PyValue { value: &item, depth: self.depth, keys: self.keys }).map(Some)
    }
}
