//! Scoring many inputs on a few threads, results in input order: what `rubric batch` (per window
//! of lines) and the Python binding's `score_many` both need. Threads take the next unscored input
//! as they finish, so uneven transcript sizes balance out; each thread keeps its own results and
//! they are put in order once at the end, so no lock is held while scoring.

use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};

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
    let fed: Result<Vec<R>, std::convert::Infallible> = map_in_order_fed(
        threads,
        |send| {
            inputs.iter().for_each(send);
            Ok(())
        },
        |join| join(),
        job,
    );
    match fed {
        Ok(outcomes) => outcomes,
        Err(never) => match never {},
    }
}

/// Like [`map_in_order`], for inputs that are produced one by one on the calling thread while the
/// `threads` worker threads already work on those produced before: `feed` is given a function that
/// hands one input over, and returns once it has handed them all (`Ok`) or failed (`Err`, returned
/// as is, after the workers have finished what they were given; their outcomes are dropped).
/// `wait` is called with the function that joins the workers, so that a caller can give up a lock
/// the workers do not need while it waits (the Python binding releases the GIL).
pub fn map_in_order_fed<T: Send, R: Send, E>(
    threads: usize,
    feed: impl FnOnce(&mut dyn FnMut(T)) -> Result<(), E>,
    wait: impl FnOnce(&mut (dyn FnMut() + Send)),
    job: impl Fn(T) -> R + Sync,
) -> Result<Vec<R>, E> {
    let (sender, receiver) = mpsc::channel::<(usize, T)>();
    let receiver = Mutex::new(receiver);
    let (job, receiver) = (&job, &receiver);
    std::thread::scope(|scope| {
        let mut workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        // The lock is held only while taking the next input.
                        let next = receiver.lock().unwrap_or_else(PoisonError::into_inner).recv();
                        let Ok((index, input)) = next else { break };
                        done.push((index, job(input)));
                    }
                    done
                })
            })
            .collect();
        let mut count = 0;
        let fed = feed(&mut |input| {
            // The workers hold the receiver until the sender is dropped: sending cannot fail.
            let _ = sender.send((count, input));
            count += 1;
        });
        drop(sender);
        let mut finished = Vec::with_capacity(workers.len());
        wait(&mut || finished.extend(workers.drain(..).map(std::thread::ScopedJoinHandle::join)));
        fed?;
        let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(count).collect();
        for worker in finished {
            match worker {
                Ok(done) => {
                    for (index, outcome) in done {
                        slots[index] = Some(outcome);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(slots.into_iter().map(|slot| slot.expect("every input handed over was taken by one worker")).collect())
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
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

    #[test]
    fn fed_inputs_are_scored_while_feeding_and_come_back_in_order() {
        let waited = Mutex::new(false);
        let out: Result<Vec<String>, ()> = map_in_order_fed(
            3,
            |send| {
                for n in 0..100u32 {
                    // Slow feeding: workers must already be running for this to finish in order.
                    if n % 10 == 0 {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    send(n);
                }
                Ok(())
            },
            |join| {
                *waited.lock().unwrap() = true;
                join();
            },
            |n| format!("#{n}"),
        );
        assert_eq!(out.unwrap(), (0..100).map(|n| format!("#{n}")).collect::<Vec<_>>());
        assert!(*waited.lock().unwrap(), "the wait hook joins the workers");
    }

    #[test]
    fn a_failed_feed_is_returned_after_the_workers_finish() {
        let scored = Mutex::new(0);
        let out: Result<Vec<u32>, String> = map_in_order_fed(
            2,
            |send| {
                send(1);
                send(2);
                Err("the third input is not a transcript".to_string())
            },
            |join| join(),
            |n| {
                *scored.lock().unwrap() += 1;
                n
            },
        );
        assert_eq!(out.unwrap_err(), "the third input is not a transcript");
        assert_eq!(*scored.lock().unwrap(), 2, "what was handed over is still scored, then dropped");
    }
}
