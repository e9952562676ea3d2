//! The error kinds `types.d.ts` declares are the core's, name for name: a kind added to a domain
//! in Rust without its TypeScript name (or the other way) fails here.

use rubric_core::calibration::labels::LabelErrorKind;
use rubric_core::{BankErrorKind, ErrorKind, HistoryErrorKind, PlanErrorKind, RubricErrorKind, TranscriptErrorKind};

/// The string literals of `export type <name> = "a" | "b" ...;` in the declarations.
fn declared(name: &str) -> Vec<String> {
    let types = include_str!("../src/types.d.ts");
    let start = types.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("{name} is not declared"));
    let body = &types[start..];
    let body = &body[..body.find(';').expect("the type ends")];
    body.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

fn names<K: ErrorKind>() -> Vec<String> {
    K::ALL.iter().map(|kind| kind.name().to_string()).collect()
}

#[test]
fn every_domain_declares_exactly_the_core_kinds() {
    assert_eq!(declared("RubricErrorKind"), names::<RubricErrorKind>());
    assert_eq!(declared("TranscriptErrorKind"), names::<TranscriptErrorKind>());
    assert_eq!(declared("HistoryErrorKind"), names::<HistoryErrorKind>());
    assert_eq!(declared("BankErrorKind"), names::<BankErrorKind>());
    assert_eq!(declared("PlanErrorKind"), names::<PlanErrorKind>());
    assert_eq!(declared("LabelErrorKind"), names::<LabelErrorKind>());
}

#[test]
fn kind_names_are_unique_snake_case_within_each_domain() {
    for list in [
        names::<RubricErrorKind>(),
        names::<TranscriptErrorKind>(),
        names::<HistoryErrorKind>(),
        names::<BankErrorKind>(),
        names::<PlanErrorKind>(),
        names::<LabelErrorKind>(),
    ] {
        let mut sorted = list.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), list.len(), "{list:?}");
        assert!(list.iter().all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')), "{list:?}");
    }
}
