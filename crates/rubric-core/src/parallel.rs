//! Scoring many inputs on a few threads, results in input order: what `rubric batch` (per window
//! of lines) and the Python binding's `score_many` both need. Threads take the next unscored input
//! as they finish, so uneven transcript sizes balance out; each thread keeps its own results and
//! they are put in order once at the end, so no lock is taken per input.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Applies `job` to every input on up to `threads` scoped threads (one or none: on this thread)
/// and returns the outcomes in input order.
///
/// A panic inside `job` is propagated when the threads are joined; callers that must survive
/// engine panics catch them inside `job` (both callers turn them into error records).
pub fn map_in_order<T: Sync, R: Send>(inputs: &[T], threads: usize, job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(inputs.len());
    if threads <= 1 {
        return inputs.iter().map(&job).collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(inputs.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(index) else { break };
                        done.push((index, job(input)));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(done) => {
                    for (index, outcome) in done {
                        slots[index] = Some(outcome);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    slots.into_iter().map(|slot| slot.expect("every index below the input length is taken exactly once")).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    #[test]
    fn outcomes_come_back_in_input_order_for_any_thread_count() {
        let inputs: Vec<u64> = (0..257).collect();
        for threads in [0, 1, 2, 3, 8, 300] {
            // Uneven job lengths make threads finish out of order.
            let out = map_in_order(&inputs, threads, |&n| {
                if n % 7 == 0 {
                    std::thread::sleep(Duration::from_micros(200));
                }
                n * n
            });
            assert_eq!(out, inputs.iter().map(|n| n * n).collect::<Vec<_>>(), "{threads} threads");
        }
        assert!(map_in_order(&[] as &[u8], 4, |&b| b).is_empty());
    }

    #[test]
    fn work_is_spread_over_the_threads_asked_for() {
        let seen = Mutex::new(HashSet::new());
        let inputs: Vec<u32> = (0..64).collect();
        map_in_order(&inputs, 4, |_| {
            seen.lock().unwrap().insert(std::thread::current().id());
            std::thread::sleep(Duration::from_millis(2));
        });
        let used = seen.into_inner().unwrap();
        assert!(used.len() > 1 && used.len() <= 4, "{} threads used", used.len());
        assert!(!used.contains(&std::thread::current().id()), "the caller's thread only waits");
    }

    #[test]
    fn a_panic_in_a_job_reaches_the_caller() {
        let inputs: Vec<u32> = (0..16).collect();
        let caught = std::panic::catch_unwind(|| map_in_order(&inputs, 2, |&n| assert!(n != 9, "input nine")));
        let payload = caught.unwrap_err();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        assert!(message.contains("input nine"), "{message:?}");
    }
}
