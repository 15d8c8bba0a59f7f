//! Timing whole processes, as a user or CI runs them: start the binary, wait for it to exit,
//! and read its peak memory from the kernel's accounting (shared by the benches).
// Each bench uses some of these.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

/// Wall time and peak memory of one run of `program ARGS`; panics if it fails.
pub fn run_process(program: &Path, args: &[&str]) -> (Duration, u64) {
    run_process_env(program, args, &[])
}

/// [`run_process`] with variables added to the environment.
pub fn run_process_env(program: &Path, args: &[&str], env: &[(&str, &str)]) -> (Duration, u64) {
    let start = Instant::now();
    // Reaped with wait4 below, which also gives the peak memory std does not report.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("process starts");
    let mut status = 0;
    // SAFETY: `rusage` is plain data the kernel fills in; the child is ours and is reaped
    // here exactly once (std's `Child` is never waited on).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "{} {args:?} failed (exit 0 or 1 expected: clean or findings)",
        program.display()
    );
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

/// Wall time and peak memory of each of `runs` (each runs one process), run in turns
/// `turns` times after one untimed warm-up turn: all are measured in the same minutes of a
/// machine whose speed drifts, so their ratios hold where figures taken one block after
/// another did not. One list of `turns` results per run, in turn order.
pub fn in_turns<const N: usize>(
    turns: usize,
    mut runs: [&mut dyn FnMut() -> (Duration, u64); N],
) -> [Vec<(Duration, u64)>; N] {
    let mut results: [Vec<(Duration, u64)>; N] = std::array::from_fn(|_| Vec::new());
    for turn in 0..=turns {
        for (run, results) in runs.iter_mut().zip(&mut results) {
            let got = run();
            if turn > 0 {
                results.push(got);
            }
        }
    }
    results
}

/// The best wall time of a run's results, with its peak memory.
pub fn best(results: &[(Duration, u64)]) -> (Duration, u64) {
    *results
        .iter()
        .min_by_key(|(t, _)| *t)
        .expect("at least one turn")
}

/// [`in_turns`], keeping each run's best ([`best`]).
pub fn best_in_turns<const N: usize>(
    turns: usize,
    runs: [&mut dyn FnMut() -> (Duration, u64); N],
) -> [(Duration, u64); N] {
    in_turns(turns, runs).map(|results| best(&results))
}
