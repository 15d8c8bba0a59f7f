//! `guideline serve`: live preview for editors. Builds the website, serves it on
//! 127.0.0.1, rebuilds whenever a source file is saved, and open pages reload themselves
//! after the rebuild; a save that breaks the check prints the findings and keeps the last
//! good site.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};

/// Content types of the files the site contains.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a request URL to a file under `root`, refusing anything that resolves outside it
/// (`..`, encoded or not, absolute paths, backslashes, NUL, links out of the site).
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    // The rule every output path follows: no climbing, no absolute paths, no backslashes
    // or control characters (NUL among them).
    let relative = decoded.trim_start_matches('/');
    let mut out = if relative.is_empty() {
        root.to_path_buf()
    } else {
        crate::output::contained(root, relative).ok()?
    };
    if out.is_dir() {
        out.push("index.html");
    }
    // The lexical check above cannot see symbolic links; the real paths can.
    let real_root = root.canonicalize().ok()?;
    let real = out.canonicalize().ok()?;
    (real.starts_with(&real_root) && real.is_file()).then_some(out)
}

/// Serves `site` on `port` until the process ends, rebuilding through `rebuild` when files
/// under `watch` change.
pub fn serve(
    watch: &Path,
    site: PathBuf,
    port: u16,
    rebuild: impl Fn() + Send + 'static,
) -> Result<()> {
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    eprintln!(
        "serving http://127.0.0.1:{port}/ (Ctrl-C to stop); watching {}",
        watch.display()
    );
    let (tx, rx) = mpsc::channel();
    // Polling, not inotify: it works on every file system an editor's checkout may sit on
    // (network shares, containers), and a guideline is a few hundred files. Contents are
    // compared, not only times, so a save within the same second as the last is seen.
    let config = notify::Config::default()
        .with_poll_interval(Duration::from_millis(500))
        .with_compare_contents(true);
    let mut watcher = notify::PollWatcher::new(
        move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| e.kind.is_modify() || e.kind.is_create() || e.kind.is_remove()) {
                let _ = tx.send(());
            }
        },
        config,
    )
    .context("cannot watch the source directory")?;
    watcher
        .watch(watch, RecursiveMode::Recursive)
        .context("cannot watch the source directory")?;
    // Bumped after every rebuild; open pages poll it and reload when it changes.
    let version = Arc::new(AtomicU64::new(0));
    let bumped = Arc::clone(&version);
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Editors save in bursts: wait for quiet, then rebuild once.
            while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
            rebuild();
            bumped.fetch_add(1, Ordering::SeqCst);
        }
    });
    let header =
        |value: &str| tiny_http::Header::from_bytes("Content-Type", value).expect("static header");
    for request in server.incoming_requests() {
        let url = request.url().to_string();
        let response = if url.starts_with(VERSION_PATH) {
            tiny_http::Response::from_string(version.load(Ordering::SeqCst).to_string())
                .with_header(header("text/plain"))
        } else if url.starts_with(RELOAD_PATH) {
            tiny_http::Response::from_string(RELOAD_JS)
                .with_header(header("text/javascript; charset=utf-8"))
        } else {
            match resolve(&site, &url).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
                Some((path, body)) => {
                    let body = if path.extension().is_some_and(|e| e == "html") {
                        with_reload(body)
                    } else {
                        body
                    };
                    tiny_http::Response::from_data(body).with_header(header(content_type(&path)))
                }
                None => tiny_http::Response::from_string("not found").with_status_code(404),
            }
        };
        let _ = request.respond(response);
    }
    Ok(())
}

const VERSION_PATH: &str = "/__guideline/version";
const RELOAD_PATH: &str = "/__guideline/reload.js";

/// Polls the build version and reloads the page after a rebuild. Only the preview serves
/// it; built sites never contain it. A same-origin script, so the pages' CSP allows it.
const RELOAD_JS: &str = "(function () {\n  var seen = null;\n  setInterval(function () {\n    fetch('/__guideline/version', { cache: 'no-store' }).then(function (r) { return r.text(); }).then(function (v) {\n      if (seen !== null && v !== seen) { location.reload(); }\n      seen = v;\n    }).catch(function () {});\n  }, 1000);\n})();\n";

/// Adds the reload script to a page served by the preview.
fn with_reload(body: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_PATH}\"></script></body>");
    match String::from_utf8(body) {
        Ok(html) => html.replacen("</body>", &tag, 1).into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "x").unwrap();
        assert_eq!(
            resolve(dir.path(), "/a.html?search=x"),
            Some(dir.path().join("a.html"))
        );
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/missing.html"), None);
        assert_eq!(resolve(dir.path(), "/%2E%2E/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/..%2fetc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/..%5c..%5cetc"), None);
        assert_eq!(resolve(dir.path(), "/a.html%00.png"), None);
        assert_eq!(resolve(dir.path(), "/%ff%fe"), None);
        // Multi-byte characters after `%` once made the hand-written decoder panic.
        assert_eq!(resolve(dir.path(), "/%é"), None);
        assert_eq!(resolve(dir.path(), "/%aé"), None);
        assert_eq!(resolve(dir.path(), "/%"), None);
        assert_eq!(
            resolve(dir.path(), "/a%2Ehtml"),
            Some(dir.path().join("a.html"))
        );
        std::fs::create_dir(dir.path().join("日本")).unwrap();
        std::fs::write(dir.path().join("日本/b.html"), "x").unwrap();
        assert_eq!(
            resolve(dir.path(), "/%E6%97%A5%E6%9C%AC/b.html"),
            Some(dir.path().join("日本/b.html"))
        );
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        assert_eq!(resolve(dir.path(), "/link/secret.txt"), None);
    }
}
