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

/// Best wall time and its peak memory over `runs` runs, after one untimed warm-up run.
pub fn best_process(program: &Path, args: &[&str], runs: usize) -> (Duration, u64) {
    let _ = run_process(program, args);
    (0..runs)
        .map(|_| run_process(program, args))
        .min_by_key(|(t, _)| *t)
        .expect("at least one run")
}

/// Best wall time and its peak memory of each of `runs` (each runs one process), run in
/// turns `turns` times after one untimed warm-up turn: all are measured in the same minutes
/// of a machine whose speed drifts, so their ratios hold where figures taken one block after
/// another did not.
pub fn best_in_turns<const N: usize>(
    turns: usize,
    mut runs: [&mut dyn FnMut() -> (Duration, u64); N],
) -> [(Duration, u64); N] {
    let mut best = [(Duration::MAX, 0); N];
    for turn in 0..=turns {
        for (run, best) in runs.iter_mut().zip(&mut best) {
            let got = run();
            if turn > 0 && got.0 < best.0 {
                *best = got;
            }
        }
    }
    best
}
