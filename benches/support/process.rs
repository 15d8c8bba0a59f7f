//! Timing whole processes, as a user or CI runs them: start the binary, wait for it to exit,
//! and read its peak memory from the kernel's accounting (shared by the benches).

use std::path::Path;
use std::time::{Duration, Instant};

/// Wall time and peak memory of one run of `program ARGS`; panics if it fails.
pub fn run_process(program: &Path, args: &[&str]) -> (Duration, u64) {
    let start = Instant::now();
    // Reaped with wait4 below, which also gives the peak memory std does not report.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(program)
        .args(args)
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
