//! The languages that are not compiled in: each is `static/i18n/<code>.json`, read once per
//! page and kept (its texts leaked, so `Strings` keeps `&'static str` fields and nothing else in
//! the widget changes).
//!
//! - in the browser, [`load`] fetches the file through the one request path (`crate::request`:
//!   abort, timeout, retry) and reads it with the browser's `JSON.parse` (no serde: the wasm
//!   stays small);
//! - natively, in tests, the files are compiled into the test binary and read by a small strict
//!   JSON reader, so every language's words are tested as the browser will read them.

use std::cell::RefCell;

use super::{en, Lang, Strings};

thread_local! {
    /// The languages read so far (a page reads each at most once; panes share them).
    static LOADED: RefCell<Vec<&'static Strings>> = const { RefCell::new(Vec::new()) };
}

/// The words for `lang` if the pane has them: English always, another language once its file
/// has been read.
pub fn loaded(lang: Lang) -> Option<&'static Strings> {
    if lang == Lang::En {
        return Some(&en::STRINGS);
    }
    let found = LOADED.with_borrow(|kept| kept.iter().copied().find(|s| s.lang == lang));
    #[cfg(test)]
    if found.is_none() {
        return Some(keep(tests::bundled(lang)));
    }
    found
}

#[cfg(any(target_arch = "wasm32", test))]
fn keep(words: Strings) -> &'static Strings {
    let words: &'static Strings = Box::leak(Box::new(words));
    LOADED.with_borrow_mut(|kept| kept.push(words));
    words
}

/// How long the language file may take, per attempt. Its own budget: `config.json`'s timeout
/// is not known yet (both are fetched at once), and the pane waits for its words, so a stalled
/// file must not keep it empty for the API's 15 s; after this, English.
#[cfg(target_arch = "wasm32")]
const FILE_TIMEOUT_MS: u32 = 5_000;

/// The words for `lang`: at once when already in memory, else its file, fetched now (retried
/// once by the request policy) and kept for the page. English when the file is missing, broken,
/// or does not come within [`FILE_TIMEOUT_MS`], or when `cancel` aborts it. A key the file
/// lacks is English's.
///
/// No `<link rel="preload">` can start this earlier: which file a pane needs is known only
/// once the wasm has read the URL's `lang` and the browser's languages.
#[cfg(target_arch = "wasm32")]
pub async fn load(lang: Lang, cancel: web_sys::AbortSignal) -> &'static Strings {
    use crate::request::{self, Get};

    if let Some(words) = loaded(lang) {
        return words;
    }
    let get = Get {
        accept: "application/json",
        timeout_ms: FILE_TIMEOUT_MS,
        cache: web_sys::RequestCache::Default,
        retry: true,
    };
    let url = ["i18n/", lang.code(), ".json"].concat();
    let file = match request::get(&url, &get, &cancel).await {
        Ok(exchange) if exchange.is_success() => js_sys::JSON::parse(&exchange.body)
            .ok()
            .filter(|file| file.is_object()),
        _ => None,
    };
    match file {
        Some(file) => keep(Strings::read(lang, Some(&file), &en::STRINGS)),
        None => &en::STRINGS,
    }
}

/// A file parsed by `JSON.parse`: an object of strings and objects.
#[cfg(target_arch = "wasm32")]
impl super::WordFile for wasm_bindgen::JsValue {
    fn text(&self, key: &str) -> Option<&'static str> {
        let text = js_sys::Reflect::get(self, &key.into()).ok()?.as_string()?;
        Some(Box::leak(text.into_boxed_str()))
    }

    fn group(&self, key: &str) -> Option<Self> {
        js_sys::Reflect::get(self, &key.into())
            .ok()
            .filter(|group| group.is_object())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{en, Lang, Strings, WordFile};

    /// A language's file as the widget ships it.
    fn file_of(lang: Lang) -> Option<&'static str> {
        Some(match lang {
            Lang::En => return None,
            Lang::De => include_str!("../../static/i18n/de.json"),
            Lang::Fr => include_str!("../../static/i18n/fr.json"),
            Lang::Ar => include_str!("../../static/i18n/ar.json"),
            Lang::He => include_str!("../../static/i18n/he.json"),
        })
    }

    /// `lang`'s words, read from its file (a test fails at once if the file is not JSON).
    pub(in super::super) fn bundled(lang: Lang) -> Strings {
        let text = file_of(lang).expect("English is compiled in, not a file");
        let file = parse(text).unwrap_or_else(|e| panic!("{}.json: {e}", lang.code()));
        Strings::read(lang, Some(&file), &en::STRINGS)
    }

    /// What a language file may hold: texts, and groups of texts.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Json {
        Text(String),
        Group(Vec<(String, Json)>),
    }

    impl WordFile for Json {
        fn text(&self, key: &str) -> Option<&'static str> {
            match self.get(key)? {
                Json::Text(text) => Some(Box::leak(text.clone().into_boxed_str())),
                Json::Group(_) => None,
            }
        }

        fn group(&self, key: &str) -> Option<Json> {
            self.get(key)
                .filter(|value| matches!(value, Json::Group(_)))
                .cloned()
        }
    }

    impl Json {
        fn get(&self, key: &str) -> Option<&Json> {
            match self {
                Json::Group(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                Json::Text(_) => None,
            }
        }

        /// Every text's dotted key (`templates.timed_out`).
        fn keys(&self, prefix: &str, out: &mut Vec<String>) {
            if let Json::Group(entries) = self {
                for (key, value) in entries {
                    match value {
                        Json::Text(_) => out.push(format!("{prefix}{key}")),
                        Json::Group(_) => value.keys(&format!("{prefix}{key}."), out),
                    }
                }
            }
        }
    }

    /// A strict reader for what a language file may hold: one object whose values are strings
    /// or objects of the same; no duplicate keys (JSON.parse would keep the last one silently).
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader {
            chars: text.char_indices().peekable(),
        };
        let value = reader.object()?;
        reader.space();
        match reader.chars.next() {
            None => Ok(value),
            Some((at, c)) => Err(format!("{c:?} after the object, at byte {at}")),
        }
    }

    struct Reader<'a> {
        chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    }

    impl Reader<'_> {
        fn space(&mut self) {
            while self
                .chars
                .next_if(|(_, c)| matches!(c, ' ' | '\t' | '\n' | '\r'))
                .is_some()
            {}
        }

        fn expect(&mut self, wanted: char) -> Result<(), String> {
            self.space();
            match self.chars.next() {
                Some((_, c)) if c == wanted => Ok(()),
                Some((at, c)) => Err(format!("expected {wanted:?}, found {c:?} at byte {at}")),
                None => Err(format!("expected {wanted:?}, found the end")),
            }
        }

        fn object(&mut self) -> Result<Json, String> {
            self.expect('{')?;
            let mut entries: Vec<(String, Json)> = Vec::new();
            self.space();
            if self.chars.next_if(|(_, c)| *c == '}').is_some() {
                return Ok(Json::Group(entries));
            }
            loop {
                self.expect('"')?;
                let key = self.string()?;
                if entries.iter().any(|(k, _)| *k == key) {
                    return Err(format!("the key {key:?} twice"));
                }
                self.expect(':')?;
                self.space();
                let value = match self.chars.peek() {
                    Some((_, '"')) => {
                        self.chars.next();
                        Json::Text(self.string()?)
                    }
                    Some((_, '{')) => self.object()?,
                    _ => return Err(format!("{key:?}: only texts and groups of texts")),
                };
                entries.push((key, value));
                self.space();
                match self.chars.next() {
                    Some((_, ',')) => continue,
                    Some((_, '}')) => return Ok(Json::Group(entries)),
                    other => return Err(format!("expected ',' or '}}', found {other:?}")),
                }
            }
        }

        /// The rest of a string whose opening quote was read.
        fn string(&mut self) -> Result<String, String> {
            let mut out = String::new();
            loop {
                match self.chars.next() {
                    None => return Err("a string without its closing quote".into()),
                    Some((_, '"')) => return Ok(out),
                    Some((at, c)) if c < ' ' => {
                        return Err(format!("a raw control character at byte {at}"))
                    }
                    Some((_, '\\')) => match self.chars.next().map(|(_, c)| c) {
                        Some('"') => out.push('"'),
                        Some('\\') => out.push('\\'),
                        Some('/') => out.push('/'),
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('r') => out.push('\r'),
                        Some('b') => out.push('\u{8}'),
                        Some('f') => out.push('\u{c}'),
                        Some('u') => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if self.chars.next().map(|(_, c)| c) != Some('\\')
                                    || self.chars.next().map(|(_, c)| c) != Some('u')
                                {
                                    return Err("a lone surrogate".into());
                                }
                                let low = self.hex4()?;
                                0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00))
                            } else {
                                high
                            };
                            out.push(char::from_u32(code).ok_or("an invalid \\u escape")?);
                        }
                        other => return Err(format!("an unknown escape {other:?}")),
                    },
                    Some((_, c)) => out.push(c),
                }
            }
        }

        fn hex4(&mut self) -> Result<u32, String> {
            let mut code = 0;
            for _ in 0..4 {
                let digit = self
                    .chars
                    .next()
                    .and_then(|(_, c)| c.to_digit(16))
                    .ok_or("a \\u escape without four hex digits")?;
                code = code * 16 + digit;
            }
            Ok(code)
        }
    }

    fn strings_keys() -> Vec<String> {
        let mut keys = Vec::new();
        Strings::keys("", &mut keys);
        keys
    }

    /// Every file has exactly the keys `Strings` reads: none missing (it would show English),
    /// none unknown (a misspelt key, or one `Strings` no longer has), and no empty text.
    #[test]
    fn every_language_file_has_every_key_and_no_other() {
        let wanted = strings_keys();
        assert!(wanted.len() > 150, "every text has a key: {}", wanted.len());
        assert!(wanted.contains(&"title".to_owned()));
        assert!(wanted.contains(&"templates.timed_out".to_owned()));
        assert!(wanted.contains(&"plurals.open_deals".to_owned()));
        assert!(wanted.contains(&"sign_in.not_kept".to_owned()));
        assert!(!wanted
            .iter()
            .any(|k| k.ends_with("rule") || k == "rtl" || k == "lang"));
        for &lang in &Lang::ALL[1..] {
            let name = format!("{}.json", lang.code());
            let file = parse(file_of(lang).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut has = Vec::new();
            file.keys("", &mut has);
            let missing: Vec<_> = wanted.iter().filter(|k| !has.contains(k)).collect();
            let unknown: Vec<_> = has.iter().filter(|k| !wanted.contains(k)).collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            assert!(unknown.is_empty(), "{name} has unknown keys {unknown:?}");
            let mut groups = Vec::new();
            for key in &has {
                let mut value = &file;
                for part in key.split('.') {
                    value = value.get(part).unwrap();
                }
                assert!(
                    !matches!(value, Json::Text(text) if text.trim().is_empty()),
                    "{name}: {key} is empty"
                );
                groups.extend(key.split_once('.').map(|(group, _)| group.to_owned()));
            }
            assert!(groups.contains(&"share".to_owned()), "{name}");
        }
    }

    #[test]
    fn a_file_missing_keys_falls_back_to_english_key_by_key() {
        let file = parse(
            r#"{"title": "Offene Verkaufschancen", "templates": {"timed_out": "nach {seconds} s"},
                "share": "not a group", "sign_in": {}}"#,
        )
        .unwrap();
        let words = Strings::read(Lang::De, Some(&file), &en::STRINGS);
        assert_eq!(words.title, "Offene Verkaufschancen");
        assert_eq!(words.loading, en::STRINGS.loading, "absent: English");
        assert_eq!(words.templates.timed_out, "nach {seconds} s");
        assert_eq!(
            words.templates.try_again_in,
            en::STRINGS.templates.try_again_in
        );
        assert_eq!(
            words.share.send,
            en::STRINGS.share.send,
            "not a group: English"
        );
        assert_eq!(words.sign_in.button, en::STRINGS.sign_in.button);
        assert_eq!(words.plurals.open_deals, en::STRINGS.plurals.open_deals);
        // The language's own properties come from the language, not the file.
        assert_eq!((words.lang, words.rtl), (Lang::De, false));
        assert_eq!((words.plurals.rule)(0), 1, "German's rule: 0 takes 'other'");
        let arabic = Strings::read::<Json>(Lang::Ar, None, &en::STRINGS);
        assert_eq!(
            (arabic.lang, arabic.rtl, arabic.title),
            (Lang::Ar, true, "Open deals")
        );
        assert_eq!((arabic.plurals.rule)(2), 2, "Arabic's 'two'");
    }

    #[test]
    fn the_reader_takes_json_texts_and_refuses_anything_else() {
        assert_eq!(
            parse(r#" { "a" : "x\"\\\/\n\u00e9\ud83d\ude00", "b": {"c": ""} } "#),
            Ok(Json::Group(vec![
                ("a".into(), Json::Text("x\"\\/\né😀".into())),
                (
                    "b".into(),
                    Json::Group(vec![("c".into(), Json::Text(String::new()))])
                ),
            ]))
        );
        assert_eq!(parse("{}"), Ok(Json::Group(vec![])));
        for bad in [
            "",
            "[]",
            r#"{"a": 1}"#,
            r#"{"a": true}"#,
            r#"{"a": "x",}"#,
            r#"{"a": "x" "b": "y"}"#,
            r#"{"a": "x", "a": "y"}"#,
            "{\"a\": \"line\nbreak\"}",
            r#"{"a": "\q"}"#,
            r#"{"a": "\ud83d"}"#,
            r#"{"a": "x"} {}"#,
            r#"{"a": "x""#,
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn english_is_compiled_in_and_other_languages_are_read_once() {
        assert!(std::ptr::eq(super::loaded(Lang::En).unwrap(), &en::STRINGS));
        let first = super::loaded(Lang::He).unwrap();
        assert!(std::ptr::eq(first, super::loaded(Lang::He).unwrap()));
        assert_eq!((first.lang, first.rtl), (Lang::He, true));
        assert_eq!(first.title, "הזדמנויות פתוחות");
    }
}
