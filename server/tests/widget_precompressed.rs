//! The release build's `.br` and `.gz` copies (issue 14): sent as they are, with the file's type,
//! caching and validators, `Vary: Accept-Encoding`, never compressed twice; without copies, or
//! with a copy that does not match its file, every file is compressed on the fly as before.

mod support;

use std::io::Write;
use std::path::Path;

use support::{
    gunzip, header, settings, unbrotli, widget_js, widget_wasm, Dirs, FakeSource, Server,
};

const WASM: &str = "/dealpane-1a2b3c4d5e6f7a8b_bg.wasm";
const JS: &str = "/dealpane-1a2b3c4d5e6f7a8b.js";
const GERMAN: &str = "/i18n/de.json";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// brotli at quality 11, as the release build writes it.
fn brotli11(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
    writer.write_all(bytes).unwrap();
    drop(writer);
    out
}

/// gzip -9 with a file name in its header, which no compression on the fly writes: a body
/// equal to this came from the copy on disk.
fn gzip9_named(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new()
        .filename("precompressed")
        .write(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn german() -> &'static str {
    include_str!("../../static/i18n/de.json")
}

/// The test widget plus a language file, and `.br`/`.gz` copies of each as the build writes.
fn dist_with_copies() -> Dirs {
    let dirs = Dirs::new();
    let dist = dirs.dist();
    std::fs::create_dir_all(dist.join("i18n")).unwrap();
    std::fs::write(dist.join("i18n/de.json"), german()).unwrap();
    for name in ["index.html", &WASM[1..], &JS[1..], &GERMAN[1..]] {
        write_copies(&dist, name);
    }
    dirs
}

fn write_copies(dist: &Path, name: &str) {
    let bytes = std::fs::read(dist.join(name)).unwrap();
    std::fs::write(dist.join(format!("{name}.br")), brotli11(&bytes)).unwrap();
    std::fs::write(dist.join(format!("{name}.gz")), gzip9_named(&bytes)).unwrap();
}

async fn start(dirs: &Dirs) -> Server {
    Server::start(&settings(dirs), FakeSource::new()).await
}

fn varies_on_accept_encoding(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all("vary")
        .iter()
        .any(|v| v.to_str().unwrap().eq_ignore_ascii_case("accept-encoding"))
}

#[tokio::test]
async fn copies_are_sent_as_they_are_with_the_files_headers() {
    let dirs = dist_with_copies();
    let server = start(&dirs).await;
    let index = std::fs::read(dirs.dist().join("index.html")).unwrap();
    for (path, file, content_type, cache, original) in [
        (
            WASM,
            &WASM[1..],
            "application/wasm",
            IMMUTABLE,
            widget_wasm(),
        ),
        (
            JS,
            &JS[1..],
            "text/javascript",
            IMMUTABLE,
            widget_js().into_bytes(),
        ),
        (
            GERMAN,
            &GERMAN[1..],
            "application/json",
            "no-cache",
            german().as_bytes().to_vec(),
        ),
        ("/", "index.html", "text/html", "no-cache", index.clone()),
        ("/index.html", "index.html", "text/html", "no-cache", index),
    ] {
        for (encoding, extension, decode) in [
            ("br", "br", unbrotli as fn(&[u8]) -> Vec<u8>),
            ("gzip", "gz", gunzip),
        ] {
            let copy = std::fs::read(dirs.dist().join(format!("{file}.{extension}"))).unwrap();
            let response = server
                .get_with(path, &[("accept-encoding", encoding)])
                .await;
            assert_eq!(response.status(), 200, "{path} {encoding}");
            assert_eq!(header(&response, "content-encoding"), encoding, "{path}");
            assert!(
                header(&response, "content-type").starts_with(content_type),
                "{path} {encoding}"
            );
            assert_eq!(header(&response, "cache-control"), cache, "{path}");
            assert!(varies_on_accept_encoding(&response), "{path} {encoding}");
            assert_eq!(
                response.headers().get_all("vary").iter().count(),
                1,
                "{path} {encoding}: one Vary"
            );
            // A copy has a known length; compression on the fly streams without one.
            assert_eq!(header(&response, "content-length"), copy.len().to_string());
            if path == "/" {
                assert!(header(&response, "content-security-policy").contains("script-src"));
            }
            let body = response.bytes().await.unwrap();
            assert_eq!(
                body.as_ref(),
                copy.as_slice(),
                "{path} {encoding}: not compressed twice"
            );
            assert_eq!(decode(&body), original, "{path} {encoding}");
        }
    }
}

#[tokio::test]
async fn brotli_is_preferred_and_identity_gets_the_plain_file() {
    let dirs = dist_with_copies();
    let server = start(&dirs).await;
    let brotli = std::fs::read(dirs.dist().join(format!("{}.br", &WASM[1..]))).unwrap();

    let browser = server
        .get_with(WASM, &[("accept-encoding", "gzip, deflate, br, zstd")])
        .await;
    assert_eq!(header(&browser, "content-encoding"), "br");
    assert_eq!(browser.bytes().await.unwrap().as_ref(), brotli.as_slice());

    let refused = server
        .get_with(WASM, &[("accept-encoding", "br;q=0, gzip")])
        .await;
    assert_eq!(header(&refused, "content-encoding"), "gzip");

    for accept in [None, Some("identity")] {
        let headers: Vec<(&str, &str)> =
            accept.map(|a| ("accept-encoding", a)).into_iter().collect();
        let plain = server.get_with(WASM, &headers).await;
        assert_eq!(plain.status(), 200);
        assert!(
            plain.headers().get("content-encoding").is_none(),
            "{accept:?}"
        );
        assert_eq!(header(&plain, "content-type"), "application/wasm");
        assert_eq!(header(&plain, "cache-control"), IMMUTABLE);
        assert!(varies_on_accept_encoding(&plain));
        assert_eq!(
            plain.bytes().await.unwrap().as_ref(),
            widget_wasm().as_slice()
        );
    }
}

/// Widget files are validated by `Last-Modified` (each copy has its own, as a strong ETag would
/// be per encoding); a revalidation answers 304 with the same caching and `Vary`.
#[tokio::test]
async fn revalidation_answers_304_for_a_copy() {
    let dirs = dist_with_copies();
    let server = start(&dirs).await;
    for (path, cache) in [(WASM, IMMUTABLE), (GERMAN, "no-cache"), ("/", "no-cache")] {
        let first = server.get_with(path, &[("accept-encoding", "br")]).await;
        assert_eq!(header(&first, "content-encoding"), "br");
        assert!(
            first.headers().get("etag").is_none(),
            "{path}: files carry Last-Modified, not ETag"
        );
        let modified = header(&first, "last-modified").to_owned();
        let again = server
            .get_with(
                path,
                &[("accept-encoding", "br"), ("if-modified-since", &modified)],
            )
            .await;
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(header(&again, "cache-control"), cache, "{path}");
        assert!(varies_on_accept_encoding(&again), "{path}");
        assert!(again.bytes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn without_copies_files_are_compressed_on_the_fly_as_before() {
    let dirs = Dirs::new();
    let server = start(&dirs).await;
    for (encoding, decode) in [("br", unbrotli as fn(&[u8]) -> Vec<u8>), ("gzip", gunzip)] {
        let response = server
            .get_with(WASM, &[("accept-encoding", encoding)])
            .await;
        assert_eq!(header(&response, "content-encoding"), encoding);
        assert_eq!(header(&response, "content-type"), "application/wasm");
        assert!(response.headers().get("content-length").is_none());
        assert!(varies_on_accept_encoding(&response));
        assert_eq!(decode(&response.bytes().await.unwrap()), widget_wasm());
    }
}

/// A copy left from an older deploy would send stale bytes (an old `index.html` names old
/// scripts, and its loader fails the CSP): then no copy is used at all.
#[tokio::test]
async fn a_copy_that_does_not_match_its_file_turns_copies_off() {
    let dirs = dist_with_copies();
    let dist = dirs.dist();
    std::fs::write(
        dist.join("index.html.gz"),
        gzip9_named(
            b"<!DOCTYPE html><html><head><script type=\"module\">old()</script></head></html>",
        ),
    )
    .unwrap();
    let server = start(&dirs).await;
    let index = std::fs::read(dist.join("index.html")).unwrap();

    let response = server.get_with("/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&response, "content-encoding"), "gzip");
    assert!(response.headers().get("content-length").is_none());
    assert_eq!(gunzip(&response.bytes().await.unwrap()), index);

    let wasm = server.get_with(WASM, &[("accept-encoding", "br")]).await;
    assert_eq!(header(&wasm, "content-encoding"), "br");
    assert!(wasm.headers().get("content-length").is_none(), "on the fly");
    assert_eq!(unbrotli(&wasm.bytes().await.unwrap()), widget_wasm());
}
