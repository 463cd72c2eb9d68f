//! Precompressed copies of the release widget: `<file>.br` (brotli, quality 11) and `<file>.gz`
//! (gzip -9) beside each compressible file of `dist/`, which the server sends as they are instead
//! of compressing on each request. A copy is written only where it is smaller than its file.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

/// What compresses: trunk's wasm, js, css and html, the language files and other text.
const COMPRESSIBLE: &[&str] = &["wasm", "js", "mjs", "css", "html", "json", "svg", "txt"];

/// The copies' extensions, which the server (tower-http's `ServeDir`) looks for.
pub const COPY_EXTENSIONS: &[&str] = &["br", "gz"];

/// brotli's window: 4 MiB, more than the largest widget file.
const BROTLI_LGWIN: i32 = 22;

/// Rewrites every copy under `dist`: removes the old ones (so none can outlive its file) and
/// writes `.br` and `.gz` where they are smaller. Returns the copies written.
pub fn write_copies(dist: &Path) -> std::io::Result<Vec<PathBuf>> {
    let files = crate::project::files_under(dist)?;
    let mut written = Vec::new();
    for file in &files {
        if is_copy(file) {
            std::fs::remove_file(file)?;
        }
    }
    for file in files.iter().filter(|f| !is_copy(f) && is_compressible(f)) {
        let bytes = std::fs::read(file)?;
        for (extension, compressed) in [("br", brotli11(&bytes)?), ("gz", gzip9(&bytes)?)] {
            if compressed.len() < bytes.len() {
                let copy = with_extra_extension(file, extension);
                std::fs::write(&copy, compressed)?;
                written.push(copy);
            }
        }
    }
    Ok(written)
}

/// `name.ext.br` or `name.ext.gz`: an encoding of a file already there, not a file of its own.
pub fn is_copy(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COPY_EXTENSIONS.contains(&e))
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e.to_ascii_lowercase().as_str()))
}

fn with_extra_extension(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

fn brotli11(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: BROTLI_LGWIN,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// gzip at level 9, as `gzip -9` does.
pub fn gzip9(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn writes_copies_that_decode_to_their_file_where_they_help() {
        let dir = std::env::temp_dir().join(format!("dealpane-precompress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("i18n")).unwrap();
        let js = "export function deal() { return 42; }\n".repeat(100);
        let json = r#"{"deals": "Deals", "open": "Open"}"#.repeat(50);
        std::fs::write(dir.join("app-0123456789abcdef.js"), &js).unwrap();
        std::fs::write(dir.join("i18n/de.json"), &json).unwrap();
        // Too short to shrink, and not a text or wasm file.
        std::fs::write(dir.join("tiny.css"), "a{}").unwrap();
        std::fs::write(dir.join("logo.png"), [0x89u8; 600]).unwrap();
        // Left by an older build: removed, whatever it held.
        std::fs::write(dir.join("tiny.css.br"), "stale").unwrap();

        let mut written: Vec<String> = write_copies(&dir)
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        written.sort();
        assert_eq!(
            written,
            [
                "app-0123456789abcdef.js.br",
                "app-0123456789abcdef.js.gz",
                "i18n/de.json.br",
                "i18n/de.json.gz",
            ]
        );
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
        assert_eq!(unbrotli(&read("app-0123456789abcdef.js.br")), js.as_bytes());
        assert_eq!(gunzip(&read("app-0123456789abcdef.js.gz")), js.as_bytes());
        assert_eq!(unbrotli(&read("i18n/de.json.br")), json.as_bytes());
        assert_eq!(gunzip(&read("i18n/de.json.gz")), json.as_bytes());
        assert!(!dir.join("tiny.css.br").exists());
        assert!(!dir.join("logo.png.gz").exists());

        // Running again rewrites the same copies, no copies of copies.
        assert_eq!(write_copies(&dir).unwrap().len(), 4);
        assert!(!dir.join("app-0123456789abcdef.js.br.gz").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn copies_are_recognized_by_extension() {
        assert!(is_copy(Path::new("dist/app_bg.wasm.br")));
        assert!(is_copy(Path::new("dist/i18n/de.json.gz")));
        assert!(!is_copy(Path::new("dist/app_bg.wasm")));
        assert!(!is_copy(Path::new("dist/index.html")));
    }
}
