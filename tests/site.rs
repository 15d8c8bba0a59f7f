//! The website and the PDF, built once from the shipped guideline.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{run, stderr};
use unicode_normalization::UnicodeNormalization;

/// Builds site and PDF once for every test in this file.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("guideline-site-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = run(&[
            "build",
            "guideline",
            "--out",
            dir.to_str().unwrap(),
            "--only",
            "site,pdf",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        dir
    })
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(built().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

#[test]
fn chapter_pages_show_controls_with_role_badges() {
    let page = read("site/ja/chapters/C-7.html");
    assert!(page.contains("id=\"C-7.1\""), "control anchor");
    assert!(
        page.contains("<span class=\"badge badge-example\">例示</span>"),
        "text label on the badge"
    );
    assert!(
        page.contains("href=\"../technologies/fido2.html\""),
        "badge links to the technology page"
    );
    assert!(page.contains("要求事項") && page.contains("解説"));
    assert!(page.contains("class=\"language-switch\" href=\"../../en/chapters/C-7.html\""));
    let en = read("site/en/chapters/C-7.html");
    assert!(en.contains("<span class=\"badge badge-example\">example</span>"));
    assert!(read("site/ja/chapters/C-4.html")
        .contains("<span class=\"badge badge-prohibited\">禁止</span>"));
}

#[test]
fn technology_pages_list_every_control_that_names_them() {
    let page = read("site/ja/technologies/tls-client-auth.html");
    assert!(page.contains("TLSクライアント認証"));
    assert!(page.contains("AAL2"));
    assert!(
        page.contains("C-4.6"),
        "the successor of 6.11 C-11 names it"
    );
    for view in [
        "executive",
        "manager",
        "operator",
        "minimum",
        "recommended",
        "index",
    ] {
        assert!(
            built().join(format!("site/ja/views/{view}.html")).is_file(),
            "view {view}"
        );
    }
    let history = read("site/ja/history.html");
    assert!(
        history.contains("新旧対照表") && history.contains("<ins>") && history.contains("<del>")
    );
    assert!(read("site/ja/writing.html").contains("Writing the guideline"));
    assert!(read("site/en/lints.html").contains("G0202"));
}

/// No page loads anything from another host, and every page carries a CSP.
#[test]
fn pages_are_self_contained_with_a_csp() {
    let mut pages = Vec::new();
    html_files(&built().join("site"), &mut pages);
    assert!(pages.len() > 150, "{} pages", pages.len());
    let loader =
        regex::Regex::new(r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*>")
            .unwrap();
    let attribute = regex::Regex::new(r#"\b(src|href|data)="([^"]*)""#).unwrap();
    for p in pages {
        let html = std::fs::read_to_string(&p).unwrap();
        assert!(
            html.contains("http-equiv=\"Content-Security-Policy\""),
            "{} has no CSP",
            p.display()
        );
        // Every element that loads something loads it from the site itself.
        for tag in loader.find_iter(&html) {
            for attr in attribute.captures_iter(tag.as_str()) {
                let value = &attr[2];
                assert!(
                    !(value.starts_with("http:")
                        || value.starts_with("https:")
                        || value.starts_with("//")),
                    "{} loads a remote resource: {}",
                    p.display(),
                    tag.as_str()
                );
            }
        }
        assert!(
            !html.contains("url(http") && !html.contains("url(//"),
            "{} has a remote CSS url",
            p.display()
        );
    }
}

/// Every page links one icon, a small PNG of the site's own: Chromium draws an SVG icon by
/// building a document for it on the page's main thread just after load (about 20 ms, in
/// the way of the reader's first search), and mdBook's theme would link its own SVG logo.
#[test]
fn pages_link_one_small_png_icon() {
    let mut pages = Vec::new();
    html_files(&built().join("site"), &mut pages);
    let icon = regex::Regex::new(r#"<link rel="[^"]*\bicon\b[^"]*" href="([^"]*)""#).unwrap();
    let mut without = Vec::new();
    for p in &pages {
        let html = std::fs::read_to_string(p).unwrap();
        let links: Vec<_> = icon.captures_iter(&html).collect();
        assert!(
            links.len() <= 1,
            "{} links {} icons",
            p.display(),
            links.len()
        );
        let Some(link) = links.first() else {
            let rel = p.strip_prefix(built().join("site")).unwrap();
            without.push(rel.to_string_lossy().replace('\\', "/"));
            continue;
        };
        let file = p.parent().unwrap().join(&link[1]);
        let bytes = std::fs::read(&file)
            .unwrap_or_else(|e| panic!("{} links {}: {e}", p.display(), &link[1]));
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{}: {} is not a PNG",
            p.display(),
            &link[1]
        );
        assert!(bytes.len() <= 2048, "{}: {} bytes", &link[1], bytes.len());
    }
    // Every page has the theme's head but the root's redirect and the sidebar's frame.
    without.sort();
    assert_eq!(without, ["en/toc.html", "index.html", "ja/toc.html"]);
    for lang in ["ja", "en"] {
        for e in std::fs::read_dir(built().join("site").join(lang)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !(name.starts_with("favicon") && name.ends_with(".svg")),
                "{lang}/{name}: an SVG icon is still written"
            );
        }
    }
}

/// The text a reader sees in a page's main column: tags removed, entities left alone
/// (Japanese text has none).
fn page_text(path: &Path) -> String {
    let html = std::fs::read_to_string(path).unwrap();
    let main = html
        .split("<main>")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .unwrap_or("");
    regex::Regex::new("<[^>]*>")
        .unwrap()
        .replace_all(main, "")
        .into_owned()
}

/// The search data: each page's URL, title and segments, and its text.
struct SearchData {
    docs: Vec<(String, String)>,
    texts: Vec<String>,
    bytes: usize,
}

fn search_data(lang: &str) -> SearchData {
    let gz = std::fs::read(built().join(format!("site/{lang}/search/{lang}.bin"))).unwrap();
    let mut bin = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut bin).unwrap();
    let nl = bin
        .iter()
        .position(|&b| b == b'\n')
        .expect("a JSON line first");
    let meta: serde_json::Value = serde_json::from_slice(&bin[..nl]).unwrap();
    let body = &bin[nl + 1..];
    // The literal text, in UTF-16 code units (as the browser's strings count them).
    let literal: Vec<u16> = match meta["encoding"].as_str().unwrap() {
        "utf-16le" => body
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect(),
        _ => std::str::from_utf8(body).unwrap().encode_utf16().collect(),
    };
    // The pages' texts are the literal runs and the copies in turn: for each copy, the
    // length of the run before it, then where its text is in the literal text and its
    // length; last, the length of the final run.
    let copies: Vec<usize> = meta["copies"]
        .as_array()
        .expect("copies in the search data")
        .iter()
        .map(|n| n.as_u64().unwrap() as usize)
        .collect();
    let mut units = Vec::new();
    let mut at = 0;
    for op in copies.chunks(3) {
        units.extend_from_slice(&literal[at..at + op[0]]);
        at += op[0];
        if let [_, from, len] = *op {
            units.extend_from_slice(&literal[from..from + len]);
        }
    }
    assert_eq!(at, literal.len(), "every literal unit is used once");
    let text = String::from_utf16(&units).unwrap();
    let docs: Vec<(String, String)> = meta["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d[0].as_str().unwrap().to_string(),
                d[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let texts: Vec<String> = text.split('\u{1}').map(str::to_string).collect();
    assert_eq!(docs.len(), texts.len());
    SearchData {
        docs,
        texts,
        bytes: gz.len(),
    }
}

fn hits(d: &SearchData, query: &str) -> Vec<String> {
    // The browser's normalisation: NFKC, then lower case, on query and text alike.
    let normal = |s: &str| s.nfkc().collect::<String>().to_lowercase();
    let q = normal(query);
    d.docs
        .iter()
        .zip(&d.texts)
        .filter(|(_, t)| normal(t).contains(&q))
        .map(|((u, _), _)| u.clone())
        .collect()
}

/// Every page of a book as the site holds it (mdBook's 404 page and no-script table of
/// contents are not pages of the guideline), relative to the book.
fn book_pages(lang: &str) -> Vec<String> {
    let root = built().join("site").join(lang);
    let mut files = Vec::new();
    html_files(&root, &mut files);
    let mut pages: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p != "404.html" && p != "toc.html")
        .collect();
    pages.sort();
    pages
}

#[test]
fn japanese_search_finds_words_inside_compounds() {
    let ja = search_data("ja");
    assert!(ja.bytes < 220 * 1000, "search data is {} bytes", ja.bytes);
    let client = hits(&ja, "クライアント証明書");
    assert!(
        client.iter().any(|u| u == "chapters/C-4.html"),
        "{client:?}"
    );
    assert!(
        client
            .iter()
            .any(|u| u == "technologies/tls-client-auth.html"),
        "{client:?}"
    );
    let two = hits(&ja, "二要素");
    assert!(!two.is_empty());
    let auth = hits(&ja, "認証");
    assert!(auth.len() > 50, "{}", auth.len());
    // Full-width and half-width forms find the same pages.
    assert_eq!(hits(&ja, "ＴＬＳ"), hits(&ja, "tls"));
    assert_eq!(hits(&ja, "ｸﾗｲｱﾝﾄ"), hits(&ja, "クライアント"));
    let en = search_data("en");
    assert!(en.bytes < 220 * 1000, "search data is {} bytes", en.bytes);
    assert!(!hits(&en, "client certificate").is_empty());
}

/// Every page of each book is in its search data, once, and for words a reader types the
/// pages found are exactly the pages whose main column shows them, read here from the HTML
/// files with a second, cruder text extraction (tags stripped). The browser test holds the
/// whole query set to `innerText` in Chromium.
#[test]
fn search_indexes_exactly_what_every_page_shows() {
    for (lang, queries) in [
        (
            "ja",
            &[
                "クライアント証明書",
                "サイバー",
                "サイト",
                "二要素",
                "改定",
                "認証",
                "例示",
                "委託",
            ][..],
        ),
        // 認証 in the English book: only pages that show Japanese text (a standard's name),
        // never a page through aliases it does not display.
        ("en", &["authentication", "vendor", "backup", "認証"][..]),
    ] {
        let data = search_data(lang);
        let mut indexed: Vec<String> = data.docs.iter().map(|(u, _)| u.clone()).collect();
        indexed.sort();
        assert_eq!(
            indexed,
            book_pages(lang),
            "{lang}: the pages in the search data"
        );
        for query in queries {
            let found: std::collections::BTreeSet<String> =
                hits(&data, query).into_iter().collect();
            let shown: std::collections::BTreeSet<String> = book_pages(lang)
                .into_iter()
                .filter(|p| {
                    page_text(&built().join("site").join(lang).join(p))
                        .nfkc()
                        .collect::<String>()
                        .to_lowercase()
                        .contains(&query.to_lowercase())
                })
                .collect();
            assert_eq!(found, shown, "{lang}: search for {query}");
        }
    }
}

/// The finishing pass reorders mdBook's theme by patterns (load_early in
/// src/render/site): held here to the pages mdBook really writes, so that a theme that
/// changed under the patterns fails. On every page of both books: mdBook's `path_to_root`
/// script runs before the stylesheet, the search script is loaded from the head without
/// the page waiting for it, the sidebar script runs after the results list, the sidebar's
/// width test reads the window's width (not the body's, a layout), and only the book's
/// first page preloads the search data.
#[test]
fn pages_run_the_search_before_the_sidebar() {
    for lang in ["ja", "en"] {
        for page in book_pages(lang) {
            let html = read(&format!("site/{lang}/{page}"));
            let at = |needle: &str| {
                html.find(needle)
                    .unwrap_or_else(|| panic!("{lang}/{page}: no {needle}"))
            };
            assert!(
                at("const path_to_root") < at("<link rel=\"stylesheet\""),
                "{lang}/{page}"
            );
            // Where the page asks for the script whose file name starts with `name` with
            // the tag `tag` (`<script src="`), and how many times it names the file.
            let script = |tag: &str, name: &str| {
                let found = html
                    .match_indices(tag)
                    .map(|(i, tag)| i + tag.len())
                    .filter(|&src| {
                        let file = &html[src..src + html[src..].find('"').unwrap()];
                        file.rsplit('/').next().unwrap().starts_with(name)
                    })
                    .collect::<Vec<_>>();
                assert_eq!(found.len(), 1, "{lang}/{page}: {tag}{name}");
                found[0]
            };
            // The search script comes from the head, without the page waiting for it or it
            // waiting for the stylesheet, after the root script it reads, and only once.
            let search = script("<script async src=\"", "guideline-search-");
            assert!(at("const path_to_root") < search, "{lang}/{page}");
            assert!(search < at("<link rel=\"stylesheet\""), "{lang}/{page}");
            assert_eq!(
                html.matches("guideline-search-").count(),
                1,
                "{lang}/{page}"
            );
            // The sidebar script runs after the results list, before the content.
            let toc = script("<script src=\"", "toc-");
            assert!(at("id=\"mdbook-searchresults\"") < toc, "{lang}/{page}");
            assert!(toc < at("id=\"mdbook-content\""), "{lang}/{page}");
            assert!(html.contains("window.innerWidth >= 1080"), "{lang}/{page}");
            assert!(!html.contains("document.body.clientWidth"), "{lang}/{page}");
            let preload = format!("href=\"search/{lang}.bin\" as=\"fetch\"");
            assert_eq!(
                html.contains(&preload),
                page == "index.html",
                "{lang}/{page}"
            );
        }
    }
}

/// The root page keeps a search link's query and fragment when it opens the Japanese book.
#[test]
fn root_redirect_keeps_the_query() {
    let root = read("site/index.html");
    assert!(
        root.contains("location.replace('ja/index.html' + location.search + location.hash)"),
        "{root}"
    );
    // The script is allowed by its hash and nothing else runs.
    assert!(root.contains("script-src 'sha256-"), "{root}");
}

/// The same source gives byte-identical output.
#[test]
fn site_build_is_deterministic() {
    let dir = std::env::temp_dir().join(format!("guideline-site-again-{}", std::process::id()));
    let out = run(&[
        "build",
        "guideline",
        "--out",
        dir.to_str().unwrap(),
        "--only",
        "site,pdf",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for rel in [
        "site/ja/chapters/C-7.html",
        "site/en/technologies/fido2.html",
        "site/ja/search/ja.bin",
        "site/ja/history.html",
        "guideline.pdf",
    ] {
        assert_eq!(
            std::fs::read(built().join(rel)).unwrap(),
            std::fs::read(dir.join(rel)).unwrap(),
            "{rel} differs between builds"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The PDF has extractable Japanese text (pdftotext from poppler-utils).
#[test]
fn pdf_has_extractable_japanese_text() {
    let pdf = built().join("guideline.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output();
    let out = out.expect(
        "pdftotext is needed for this test: apt-get install poppler-utils (.ci/setup installs it)",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("医療情報システムの安全管理に関するガイドライン"),
        "title"
    );
    assert!(text.contains("要求事項"));
    assert!(text.contains("C-4.6"));
    assert!(text.contains("〔例示〕"), "role labels print as text");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().unwrap()))
        .unwrap();
    assert!(pages > 50, "{pages} pages");
}
