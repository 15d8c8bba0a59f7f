//! `guideline serve`: the preview answers on 127.0.0.1 and rebuilds when a file is saved.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body)
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn serves_and_rebuilds_on_save() {
    let tmp = tempfile::tempdir().unwrap();
    let src = common::fixture_copy("clean", tmp.path());
    // A port of our own: bind to 0, read it back, release it for the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_guideline"))
        .args([
            "serve",
            src.to_str().unwrap(),
            "--port",
            &port.to_string(),
            "--out",
            tmp.path().join("preview").to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let page = "/ja/chapters/C-1.html";
    wait_for("the first build", || {
        get(port, page).is_some_and(|b| b.contains("200 OK") && b.contains("検査用の章"))
    });
    assert!(get(port, "/../../etc/passwd").is_some_and(|b| b.contains("404")));
    // Encoded climbs, backslashes, NUL and bytes after `%` that the old hand-written decoder
    // sliced through (a panic there stopped the whole server).
    for hostile in [
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/ja/..%5c..%5c..%5cetc%5cpasswd",
        "/ja/index.html%00.png",
        "/%",
        "/%E3%81",
        "/%\u{e9}",
        "/%a\u{e9}x",
    ] {
        let body = get(port, hostile).unwrap_or_default();
        assert!(
            !body.contains("root:"),
            "{hostile} served a file outside the site"
        );
        assert!(!body.contains("200 OK"), "{hostile}: {body}");
    }
    assert!(
        get(port, page).is_some_and(|b| b.contains("200 OK")),
        "the preview still answers after hostile requests"
    );
    // A link inside the served directory that points out of it is not followed.
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "SECRET-BEHIND-LINK").unwrap();
    std::os::unix::fs::symlink(&outside, tmp.path().join("preview/site/leak")).unwrap();
    let leaked = get(port, "/leak/secret.txt").unwrap_or_default();
    assert!(!leaked.contains("SECRET-BEHIND-LINK"), "{leaked}");
    assert!(leaked.contains("404"), "{leaked}");
    std::fs::remove_file(tmp.path().join("preview/site/leak")).unwrap();
    // Pages reload themselves after a rebuild: the preview adds its polling script.
    assert!(get(port, page)
        .is_some_and(|b| b.contains("<script src=\"/__guideline/reload.js\"></script></body>")));
    let version = || {
        get(port, "/__guideline/version")
            .and_then(|b| b.rsplit("\r\n\r\n").next().map(str::to_string))
    };
    assert_eq!(version().as_deref(), Some("0"));
    let chapter = src.join("parts/1-p/01-c.ja.md");
    let text = std::fs::read_to_string(&chapter)
        .unwrap()
        .replace("検査用の章", "改訂した章");
    std::fs::write(&chapter, text).unwrap();
    wait_for("the rebuild", || {
        get(port, page).is_some_and(|b| b.contains("改訂した章"))
    });
    let _ = child.kill();
    let _ = child.wait();
}
