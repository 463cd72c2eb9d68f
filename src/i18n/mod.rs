//! Every user-facing string of the pane. Nothing else in the widget holds words a user reads:
//! components take them from here.
//!
//! - this file: which language and formatting locale a pane uses (`choose_locale`), and the list
//!   of languages;
//! - `strings.rs`: the `Strings` type. Fixed texts are fields; texts with names or numbers are
//!   `{placeholder}` templates and `one|other` plural forms that its methods fill;
//! - `errors.rs`: the rules, the same in every language, for which words a failure gets (an HTTP
//!   status, a timeout, an unusable URL or config file);
//! - one file per language (`en.rs`, `de.rs`, …): a `pub static STRINGS: Strings`, data only.
//!
//! **Adding a language** is one new file (copy `en.rs`, translate, set `lang`, `rtl` and the
//! plural `rule`) plus one line in the `languages!` list below.
//!
//! Use: `let locale = choose_locale(ctx_lang.as_deref(), &navigator_languages);` then
//! `let s = locale.strings();` and `s.title`, `s.open_deals(3)`, `s.close_timing(t)`,
//! `s.context_error(&e)` → `(title, what to do)`. Set `<html lang={locale.lang.code()}
//! dir={locale.dir()}>` and hand `locale.tag` to `browser::intl` for numbers and dates.
//! `lang` and `dir` follow the words shown, never only the language asked for: a pane asked for
//! Persian (no words of its own) shows English, left to right, with Persian number formats.

pub mod errors;
mod strings;

pub use strings::{fill, Forms, Plurals, Share, SignIn, Strings, Templates};

/// Declares the languages: `Variant => module`. The module is `src/i18n/<module>.rs` and holds
/// `pub static STRINGS: Strings`; its file name is the ISO 639-1 code.
macro_rules! languages {
    ($($variant:ident => $module:ident),+ $(,)?) => {
        $(mod $module;)+

        /// The languages the pane has words for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Lang {
            $($variant),+
        }

        impl Lang {
            /// Every language, the default (English) first.
            pub const ALL: &'static [Lang] = &[$(Lang::$variant),+];

            /// The ISO 639-1 code, for `<html lang>`.
            pub fn code(self) -> &'static str {
                match self {
                    $(Lang::$variant => stringify!($module)),+
                }
            }
        }

        /// The words for `lang`.
        pub fn strings(lang: Lang) -> &'static Strings {
            match lang {
                $(Lang::$variant => &$module::STRINGS),+
            }
        }
    };
}

languages! {
    En => en,
    De => de,
    Fr => fr,
    Ar => ar,
    He => he,
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
                let lower = subtag.to_ascii_lowercase();
                lower[..1].to_ascii_uppercase() + &lower[1..]
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
        rtl: strings(lang).rtl,
    }
}

#[cfg(test)]
mod tests;
