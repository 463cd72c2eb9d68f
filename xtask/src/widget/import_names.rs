//! The release wasm's import names, shortened. wasm-bindgen names each function the glue hands
//! the wasm `__wbg_<name>_<16 hex digits>`, and the glue spells each name again as a key of its
//! imports object. The hex digits do not compress: on this widget the names cost about 3 KB
//! gzip in the wasm and 2 KB in the JavaScript. So after trunk (and esbuild), every import from
//! the glue's module is renamed `a`, `b`, … in both files, the wasm's custom sections (which the
//! browser does not read) are dropped.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use wasm_encoder::{EntityType, ImportSection, Module, RawSection};
use wasmparser::{Parser, Payload};

use super::index_html::Linked;
use crate::process::StepError;

/// Renames the imports of `dist`'s wasm and of its glue (`linked`) in place (index.html's hashes
/// are refreshed after: `Linked::refresh_integrity`).
pub fn shorten(dist: &Path, linked: &Linked) -> Result<(), StepError> {
    let failed = |cause: String| StepError {
        step: "shortening the widget's import names".into(),
        cause,
        fix: "rebuild from a clean dist/ (`rm -rf dist`); if it persists, wasm-bindgen's output \
              changed shape: read xtask/src/widget/import_names.rs"
            .into(),
    };
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| failed(format!("cannot read {}: {e}", path.display())))
    };
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes)
            .map_err(|e| failed(format!("cannot write {}: {e}", path.display())))
    };
    let (glue, wasm) = (dist.join(&linked.glue), dist.join(&linked.wasm));
    let (wasm_bytes, renames) = renamed_wasm(&read(&wasm)?).map_err(failed)?;
    let js = String::from_utf8(read(&glue)?)
        .map_err(|_| failed(format!("{} is not UTF-8", linked.glue)))?;
    let js = renamed_js(&js, &renames).map_err(|e| failed(format!("{}: {e}", linked.glue)))?;
    write(&wasm, &wasm_bytes)?;
    write(&glue, js.as_bytes())
}

/// `wasm` with each import from the glue's module (the one module `__wbg_` names come from)
/// renamed, and without custom sections; and the renames, old name to new.
fn renamed_wasm(wasm: &[u8]) -> Result<(Vec<u8>, HashMap<String, String>), String> {
    let mut module = Module::new();
    let mut renames = HashMap::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| format!("the wasm does not parse: {e}"))?;
        match payload {
            Payload::ImportSection(reader) => {
                let imports = reader
                    .into_imports()
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("the wasm's imports do not parse: {e}"))?;
                let mut glue_modules: Vec<&str> = imports
                    .iter()
                    .filter(|import| import.name.starts_with("__wbg_"))
                    .map(|import| import.module)
                    .collect();
                glue_modules.dedup();
                let [glue] = glue_modules[..] else {
                    return Err(format!(
                        "expected `__wbg_` imports from one module, found {glue_modules:?}"
                    ));
                };
                let mut section = ImportSection::new();
                for import in &imports {
                    let ty = EntityType::try_from(import.ty).map_err(|_| {
                        format!("import {} has a type this step cannot copy", import.name)
                    })?;
                    let name = if import.module == glue {
                        let next = short_name(renames.len());
                        renames
                            .entry(import.name.to_owned())
                            .or_insert(next)
                            .clone()
                    } else {
                        import.name.to_owned()
                    };
                    section.import(import.module, &name, ty);
                }
                module.section(&section);
            }
            // Names, producers, target features, wasm-split's marker: nothing the browser reads.
            Payload::CustomSection(_) => {}
            other => {
                if let Some((id, range)) = other.as_section() {
                    module.section(&RawSection {
                        id,
                        data: &wasm[range],
                    });
                }
            }
        }
    }
    Ok((module.finish(), renames))
}

/// `js` with every identifier that `renames` names replaced; an error when one never occurs.
fn renamed_js(js: &str, renames: &HashMap<String, String>) -> Result<String, String> {
    let is_identifier = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(js.len());
    let mut found = HashSet::new();
    let mut rest = js;
    while let Some(start) = rest.find(is_identifier) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c| !is_identifier(c)).unwrap_or(rest.len());
        let word = &rest[..end];
        match renames.get(word) {
            Some(new) => {
                out.push_str(new);
                found.insert(word);
            }
            None => out.push_str(word),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    let mut missing: Vec<&str> = renames
        .keys()
        .map(String::as_str)
        .filter(|old| !found.contains(old))
        .collect();
    if missing.is_empty() {
        Ok(out)
    } else {
        missing.sort_unstable();
        Err(format!("the glue never names the imports {missing:?}"))
    }
}

/// `a` … `z`, `A` … `Z`, `aa`, `ab`, …: the `n`th short name, distinct for every `n`.
fn short_name(n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    let mut n = n + 1;
    while n > 0 {
        n -= 1;
        name.push(LETTERS[n % 52]);
        n /= 52;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, CustomSection, ExportKind, ExportSection, Function, FunctionSection,
        Instruction, TypeSection,
    };

    /// A module importing two functions from the glue and one from elsewhere, exporting a
    /// function that calls the first, with a custom section.
    fn module() -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        module.section(&types);
        let mut imports = ImportSection::new();
        imports.import(
            "./app_bg.js",
            "__wbg_log_0123456789abcdef",
            EntityType::Function(0),
        );
        imports.import("env", "keep_me", EntityType::Function(0));
        imports.import(
            "./app_bg.js",
            "__wbindgen_init_externref_table",
            EntityType::Function(0),
        );
        module.section(&imports);
        let mut functions = FunctionSection::new();
        functions.function(0);
        module.section(&functions);
        let mut exports = ExportSection::new();
        exports.export("main", ExportKind::Func, 3);
        module.section(&exports);
        let mut code = CodeSection::new();
        let mut body = Function::new([]);
        body.instruction(&Instruction::Call(0));
        body.instruction(&Instruction::End);
        code.function(&body);
        module.section(&code);
        module.section(&CustomSection {
            name: "producers".into(),
            data: b"rustc".as_slice().into(),
        });
        module.finish()
    }

    fn imports_of(wasm: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ImportSection(reader) = payload.unwrap() {
                for import in reader.into_imports() {
                    let import = import.unwrap();
                    found.push((import.module.to_owned(), import.name.to_owned()));
                }
            }
        }
        found
    }

    #[test]
    fn the_glues_imports_get_short_names_and_the_rest_stays() {
        let (wasm, renames) = renamed_wasm(&module()).unwrap();
        wasmparser::validate(&wasm).expect("still a valid module");
        assert_eq!(
            imports_of(&wasm),
            [
                ("./app_bg.js".to_owned(), "a".to_owned()),
                ("env".to_owned(), "keep_me".to_owned()),
                ("./app_bg.js".to_owned(), "b".to_owned()),
            ]
        );
        assert_eq!(renames["__wbg_log_0123456789abcdef"], "a");
        assert_eq!(renames["__wbindgen_init_externref_table"], "b");
        let custom = Parser::new(0)
            .parse_all(&wasm)
            .filter(|p| matches!(p, Ok(Payload::CustomSection(_))))
            .count();
        assert_eq!(custom, 0, "custom sections are dropped");
    }

    #[test]
    fn the_glue_is_renamed_by_whole_identifiers() {
        let renames = HashMap::from([("__wbg_x_1".to_owned(), "a".to_owned())]);
        let js = "{__proto__:null,__wbg_x_1:function(){},__wbg_x_12:function(){}}";
        assert_eq!(
            renamed_js(js, &renames).unwrap(),
            "{__proto__:null,a:function(){},__wbg_x_12:function(){}}"
        );
    }

    #[test]
    fn a_glue_that_lacks_an_import_is_an_error() {
        let renames = HashMap::from([("__wbg_gone_2".to_owned(), "a".to_owned())]);
        let error = renamed_js("{__wbg_gone_23:1}", &renames).unwrap_err();
        assert!(error.contains("__wbg_gone_2"), "{error}");
    }

    #[test]
    fn short_names_are_distinct_letters() {
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(51), "Z");
        assert_eq!(short_name(52), "aa");
        let names: std::collections::HashSet<String> = (0..5000).map(short_name).collect();
        assert_eq!(names.len(), 5000);
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_alphabetic())));
    }
}
