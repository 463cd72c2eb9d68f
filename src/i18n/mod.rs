//! Every user-facing string of the pane. Nothing else in the widget holds words a user reads:
//! components take them from here.
//!
//! - this file: which language and formatting locale a pane uses (`choose_locale`), and the list
//!   of languages;
//! - `strings.rs`: the `Strings` type. Fixed texts are fields; texts with names or numbers are
//!   `{placeholder}` templates and `one|other` plural forms that its methods fill;
//! - `errors.rs`: the rules, the same in every language, for which words a failure gets (an HTTP
//!   status, a timeout, an unusable URL or config file);
//! - `en.rs`: English, a `pub static STRINGS: Strings` compiled into the widget: the default,
//!   and the words of any key another language's file lacks;
//! - every other language is a JSON file, `static/i18n/<code>.json` (trunk copies it to
//!   `dist/i18n/`), fetched only by a pane that shows that language, so the wasm carries one
//!   language instead of five (`files.rs` reads it; its tests read every file).
//!
//! **Adding a language** is one new JSON file (copy another, translate every text) plus one line
//! in the `languages!` list below (its code, direction and plural rule). **Adding a text** is one
//! field in `strings.rs`, its English in `en.rs`, and its key in every JSON file (a native test
//! fails while a file lacks a key or has one `Strings` does not know).
//!
//! Use: `let locale = choose_locale(ctx_lang.as_deref(), &navigator_languages);`, then the
//! words: `loaded(locale.lang)` (English, or a file already read) or `load(locale.lang, …)`
//! (wasm32: fetches the file; English when it fails), then `locale.showing(words)`, and
//! `s.title`, `s.open_deals(3)`, `s.close_timing(t)`, `s.context_error(&e)` → `(title, what to
//! do)`. Set `<html lang={locale.lang.code()} dir={locale.dir()}>` and hand `locale.tag` to
//! `browser::intl` for numbers and dates. `lang` and `dir` follow the words shown, never only
//! the language asked for: a pane asked for Persian (no words of its own) shows English, left to
//! right, with Persian number formats; a German pane whose file could not be fetched shows
//! English with `lang="en"`.

mod en;
pub mod errors;
mod files;
mod strings;

#[cfg(target_arch = "wasm32")]
pub use files::load;
pub use files::loaded;
pub use strings::{fill, Forms, Plurals, Share, SignIn, Strings, Templates, WordFile};

/// Declares the languages: `Variant => code, direction, plural rule;`. The code is ISO 639-1
/// and names the language's file, `static/i18n/<code>.json` (English's is `en.rs`); the rule is
/// one of `strings.rs`'s CLDR rules.
macro_rules! languages {
    ($($variant:ident => $code:ident, $dir:ident, $rule:ident;)+) => {
        /// The languages the pane has words for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Lang {
            $($variant),+
        }

        impl Lang {
            /// Every language, the default (English) first.
            pub const ALL: &'static [Lang] = &[$(Lang::$variant),+];

            /// The ISO 639-1 code, for `<html lang>` and the name of its file.
            pub fn code(self) -> &'static str {
                match self {
                    $(Lang::$variant => stringify!($code)),+
                }
            }

            /// The language is written right to left.
            pub fn rtl(self) -> bool {
                match self {
                    $(Lang::$variant => languages!(@rtl $dir)),+
                }
            }

            /// Which of a text's plural forms a number takes.
            pub fn plural_rule(self) -> fn(u64) -> usize {
                match self {
                    $(Lang::$variant => strings::$rule),+
                }
            }
        }
    };
    (@rtl rtl) => { true };
    (@rtl ltr) => { false };
}

languages! {
    En => en, ltr, one_is_1;
    De => de, ltr, one_is_1;
    Fr => fr, ltr, one_is_0_or_1;
    // In Dynamics 365's Arabic terms: an opportunity is «فرصة» (plural «فرص»), Sales is
    // «المبيعات». Plural forms follow CLDR's six categories (zero|one|two|few|many|other).
    Ar => ar, rtl, arabic;
    // In Dynamics 365's Hebrew terms: an opportunity is «הזדמנות» (plural «הזדמנויות»). Plural
    // forms follow CLDR's categories for Hebrew (one|two|other).
    He => he, rtl, hebrew;
}

/// The words for `lang` when the pane has them (English always, another language once its
/// file is read), else English's.
pub fn strings(lang: Lang) -> &'static Strings {
    loaded(lang).unwrap_or(&en::STRINGS)
}

impl Lang {
    /// The language of a BCP 47 tag (`de-AT` → `De`), if the pane has its words. `iw`, Hebrew's
    /// withdrawn code, still comes from older Java and Android clients.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let mut primary = primary_subtag(tag);
        if primary == "iw" {
            primary = "he".to_owned();
        }
        Lang::ALL
            .iter()
            .copied()
            .find(|lang| lang.code() == primary)
    }
}

/// The pane's language and the formatting locale for `Intl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    pub lang: Lang,
    /// BCP 47, e.g. `de-DE`, for `Intl` (numbers, dates); may name a language `lang` is not.
    pub tag: String,
    /// Lay the pane out right to left: the words shown are written so.
    pub rtl: bool,
}

impl Locale {
    pub fn strings(&self) -> &'static Strings {
        strings(self.lang)
    }

    /// This locale showing `words`: `lang` and `dir` become the words' own (English, left to
    /// right, when a language's file could not be read); the formats stay `tag`'s.
    pub fn showing(&self, words: &Strings) -> Locale {
        Locale {
            lang: words.lang,
            tag: self.tag.clone(),
            rtl: words.rtl,
        }
    }

    /// The `dir` attribute: `rtl` or `ltr`.
    pub fn dir(&self) -> &'static str {
        if self.rtl {
            "rtl"
        } else {
            "ltr"
        }
    }
}

fn primary_subtag(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// `en`, `de-DE`, `zh-Hant-TW`: letters, then subtags of letters and digits.
pub fn is_language_tag(tag: &str) -> bool {
    normalize_tag(tag).is_some()
}

/// `de_de` → `de-DE`, `zh-hant-tw` → `zh-Hant-TW`; `None` if it is not shaped like a tag.
fn normalize_tag(tag: &str) -> Option<String> {
    let tag = tag.trim();
    if tag.is_empty() || tag.len() > 35 {
        return None;
    }
    let mut out = Vec::new();
    for (i, subtag) in tag.split(['-', '_']).enumerate() {
        let valid = if i == 0 {
            (2..=8).contains(&subtag.len()) && subtag.chars().all(|c| c.is_ascii_alphabetic())
        } else {
            (1..=8).contains(&subtag.len()) && subtag.chars().all(|c| c.is_ascii_alphanumeric())
        };
        if !valid {
            return None;
        }
        out.push(match (i, subtag.len()) {
            (0, _) => subtag.to_ascii_lowercase(),
            (_, 2) => subtag.to_ascii_uppercase(),
            (_, 4) => {
                let mut script = subtag.to_ascii_lowercase();
                if let Some(first) = script.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                script
            }
            _ => subtag.to_ascii_lowercase(),
        });
    }
    Some(out.join("-"))
}

/// The `lang` parameter wins, then the browser's languages in order; English otherwise.
/// The first usable tag sets the formatting locale; the words come from the first tag whose
/// language the pane has, else English; the direction is the words' own.
pub fn choose_locale(param: Option<&str>, browser: &[String]) -> Locale {
    let candidates: Vec<String> = param
        .into_iter()
        .chain(browser.iter().map(String::as_str))
        .filter_map(normalize_tag)
        .collect();
    let Some(first) = candidates.first() else {
        return Locale {
            lang: Lang::En,
            tag: "en-US".to_owned(),
            rtl: false,
        };
    };
    let lang = candidates
        .iter()
        .find_map(|tag| Lang::from_tag(tag))
        .unwrap_or(Lang::En);
    Locale {
        lang,
        tag: first.clone(),
        rtl: lang.rtl(),
    }
}

#[cfg(test)]
mod tests;
