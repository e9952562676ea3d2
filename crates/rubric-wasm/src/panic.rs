//! Panic safety: a panic inside the engine reaches JavaScript as an `Error` (`kind: "panic"`), and the
//! module stays usable.
//!
//! `wasm32-unknown-unknown` builds with `panic = "abort"` on stable Rust: nothing unwinds, so
//! `catch_unwind` cannot catch anything, and by default a panic ends in an `unreachable` trap that
//! leaves the instance half-way through a call (its shadow stack pointer not restored, the `RefCell`
//! flag of the object in use still borrowed, the allocator possibly mid-operation). So:
//!
//! 1. `start` installs a panic hook. Under `panic = "abort"` on wasm32 the hook asks the wasm-bindgen
//!    glue to replace the instance before the next call (`wasm_bindgen::handler::schedule_reinit`,
//!    wasm-bindgen >= 0.2.1xx, pinned) and then throws a JS `Error` with the panic message through the
//!    Wasm frames to the caller, instead of returning into the trap. The next call to any export
//!    starts from a fresh instance (fresh memory); objects created before the panic are stale and
//!    throw `Invalid stale object from previous Wasm instance` when used, so create them again.
//! 2. Every export also runs inside [`guard`], which uses `catch_unwind`: a build with
//!    `panic = "unwind"` (nightly `-Zbuild-std`) turns a panic into the same `Error` and keeps the
//!    instance, and on the native target the same code path is unit-tested.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

use wasm_bindgen::JsValue;

thread_local! {
    /// The message of the last panic, recorded by the hook for `guard` (unwinding builds).
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook (called from the module's start function, again after a reinit).
pub fn install_hook() {
    panic::set_hook(Box::new(|info| {
        on_panic(&format!("rubric-wasm panicked (this is a bug, please report it): {info}"));
    }));
}

#[cfg(all(target_arch = "wasm32", panic = "abort"))]
fn on_panic(message: &str) {
    wasm_bindgen::handler::schedule_reinit();
    wasm_bindgen::throw_val(crate::errors::panic(message));
}

#[cfg(not(all(target_arch = "wasm32", panic = "abort")))]
fn on_panic(message: &str) {
    LAST_PANIC.with(|slot| *slot.borrow_mut() = Some(message.to_string()));
}

/// Runs `f`, turning a panic (where it unwinds) into a JS `Error`.
pub fn guard<T>(f: impl FnOnce() -> Result<T, JsValue>) -> Result<T, JsValue> {
    catch(f, |message| crate::errors::panic(&message))
}

/// `catch_unwind` with the panic message handed to `to_error`.
fn catch<T, E>(f: impl FnOnce() -> Result<T, E>, to_error: impl FnOnce(String) -> E) -> Result<T, E> {
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = LAST_PANIC.with(|slot| slot.borrow_mut().take()).unwrap_or_else(|| {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            format!("rubric-wasm panicked (this is a bug, please report it): {text}")
        });
        Err(to_error(message))
    })
}

#[cfg(test)]
mod tests {
    use super::catch;

    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        let result: Result<(), String> = catch(|| panic!("boom at {}", 42), |message| message);
        let message = result.unwrap_err();
        assert!(message.contains("boom at 42"), "{message}");
        assert!(message.starts_with("rubric-wasm panicked"), "{message}");
    }

    #[test]
    fn results_pass_through() {
        assert_eq!(catch(|| Ok::<_, String>(7), |m| m), Ok(7));
        assert_eq!(catch(|| Err::<i32, _>("no".to_string()), |m| m), Err("no".to_string()));
    }
}
