//! The words and the locale negotiation, natively.

use dealpane_contract::{ForecastCategory, GuidError};

use super::*;
use crate::config::WidgetConfigError;
use crate::context::ContextError;
use crate::format::{Age, CloseTiming};

fn browser(tags: &[&str]) -> Vec<String> {
    tags.iter().map(|t| t.to_string()).collect()
}

#[test]
fn param_wins_over_browser() {
    let locale = choose_locale(Some("de"), &browser(&["fr-FR", "en-US"]));
    assert_eq!(
        locale,
        Locale {
            lang: Lang::De,
            tag: "de".into(),
            rtl: false
        }
    );
    let locale = choose_locale(None, &browser(&["fr-CA", "en"]));
    assert_eq!((locale.lang, locale.tag.as_str()), (Lang::Fr, "fr-CA"));
}

#[test]
fn defaults_to_english_and_skips_malformed_tags() {
    assert_eq!(
        choose_locale(None, &[]),
        Locale {
            lang: Lang::En,
            tag: "en-US".into(),
            rtl: false
        }
    );
    let locale = choose_locale(Some("<script>"), &browser(&["", "de_at"]));
    assert_eq!((locale.lang, locale.tag.as_str()), (Lang::De, "de-AT"));
}

#[test]
fn unsupported_language_keeps_its_formats_and_borrows_words() {
    let locale = choose_locale(None, &browser(&["ja-JP", "de-DE"]));
    assert_eq!(
        (locale.lang, locale.tag.as_str(), locale.rtl),
        (Lang::De, "ja-JP", false)
    );
    let locale = choose_locale(Some("zh-hant-tw"), &[]);
    assert_eq!((locale.lang, locale.tag.as_str()), (Lang::En, "zh-Hant-TW"));
}

#[test]
fn direction_and_language_follow_the_words_shown() {
    for (tag, lang) in [
        ("ar", Lang::Ar),
        ("ar-SA", Lang::Ar),
        ("he-IL", Lang::He),
        ("iw", Lang::He),
    ] {
        let locale = choose_locale(Some(tag), &browser(&["de-DE"]));
        assert_eq!((locale.lang, locale.dir()), (lang, "rtl"), "{tag}");
        assert_eq!(locale.tag, tag, "{tag}: its own formats");
    }
    // Right-to-left languages without words of their own borrow the next language's words and
    // its direction, keeping their own number and date formats.
    for tag in ["fa", "ur-PK"] {
        let locale = choose_locale(Some(tag), &browser(&["de-DE"]));
        assert_eq!((locale.lang, locale.dir()), (Lang::De, "ltr"), "{tag}");
        assert_eq!(locale.tag, tag);
        let locale = choose_locale(Some(tag), &[]);
        assert_eq!((locale.lang, locale.dir()), (Lang::En, "ltr"), "{tag}");
    }
    // Hebrew words asked for after a language the pane lacks: Hebrew, right to left.
    let locale = choose_locale(None, &browser(&["fa-IR", "he"]));
    assert_eq!((locale.lang, locale.dir()), (Lang::He, "rtl"));
    assert_eq!(choose_locale(Some("en"), &[]).dir(), "ltr");
    for &lang in Lang::ALL {
        let rtl = matches!(lang, Lang::Ar | Lang::He);
        assert_eq!(strings(lang).rtl, rtl, "{lang:?}");
        assert_eq!(choose_locale(Some(lang.code()), &[]).rtl, rtl);
    }
}

#[test]
fn lang_codes_and_tags() {
    for &lang in Lang::ALL {
        assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        assert_eq!(strings(lang).lang, lang);
    }
    assert_eq!(Lang::from_tag("DE-ch"), Some(Lang::De));
    assert_eq!(Lang::from_tag("es"), None);
    let locale = choose_locale(Some("fr"), &[]);
    assert_eq!(locale.strings().title, "Opportunités ouvertes");
}

#[test]
fn every_fixed_string_is_filled_and_translated() {
    let en = format!("{:?}", strings(Lang::En));
    for &lang in Lang::ALL {
        let debug = format!("{:?}", strings(lang));
        assert!(!debug.contains(": \"\""), "{lang:?} has an empty string");
    }
    assert_eq!(strings(Lang::En).title, "Open deals");
    assert_eq!(strings(Lang::En).loading, "Loading deals…");
    assert_eq!(strings(Lang::En).empty, "No open deals for this customer");
    assert_eq!(
        strings(Lang::En).not_found,
        "This customer was not found in Sales"
    );
    assert_eq!(strings(Lang::De).refresh, "Aktualisieren");
    assert_eq!(
        strings(Lang::De).copy_fallback,
        "Automatisches Kopieren nicht möglich: Der Text ist markiert, drücken Sie Strg+C"
    );
    // Translations are not English copies (a few words are the same on purpose).
    let same_on_purpose = ["Pipeline"];
    for lang in [Lang::De, Lang::Fr, Lang::Ar, Lang::He] {
        let s = strings(lang);
        let e = strings(Lang::En);
        for (a, b) in [
            (s.title, e.title),
            (s.loading, e.loading),
            (s.retry, e.retry),
            (s.show_more, e.show_more),
            (s.copy_fallback, e.copy_fallback),
            (s.no_stage, e.no_stage),
            (s.plain_text_title, e.plain_text_title),
        ] {
            assert!(a != b || same_on_purpose.contains(&a), "{lang:?}: {a}");
        }
    }
    assert!(en.contains("Open in Sales"));
}

/// Each language's "N open deals" takes the plural form its count asks for.
#[test]
fn open_deal_counts_take_each_language_s_plural_form() {
    let cases = [
        (Lang::En, 1, "1 open deal"),
        (Lang::En, 3, "3 open deals"),
        (Lang::En, 0, "0 open deals"),
        (Lang::De, 1, "1 offene Verkaufschance"),
        (Lang::De, 2, "2 offene Verkaufschancen"),
        (Lang::Fr, 0, "0 opportunité ouverte"),
        (Lang::Fr, 5, "5 opportunités ouvertes"),
        (Lang::Ar, 0, "لا توجد فرص مفتوحة"),
        (Lang::Ar, 1, "فرصة مفتوحة واحدة"),
        (Lang::Ar, 2, "فرصتان مفتوحتان"),
        (Lang::Ar, 4, "4 فرص مفتوحة"),
        (Lang::Ar, 11, "11 فرصة مفتوحة"),
        (Lang::Ar, 100, "100 فرصة مفتوحة"),
        (Lang::He, 1, "הזדמנות פתוחה אחת"),
        (Lang::He, 2, "שתי הזדמנויות פתוחות"),
        (Lang::He, 0, "0 הזדמנויות פתוחות"),
        (Lang::He, 7, "7 הזדמנויות פתוחות"),
    ];
    for (lang, count, said) in cases {
        assert_eq!(strings(lang).open_deals(count), said, "{lang:?} {count}");
    }
}

#[test]
fn filtered_deal_counts() {
    let en = strings(Lang::En);
    assert_eq!(en.filtered_count(3, 7), "3 of 7 deals");
    assert_eq!(
        strings(Lang::De).filtered_count(3, 7),
        "3 von 7 Verkaufschancen"
    );
}

#[test]
fn ages_and_updated() {
    let en = strings(Lang::En);
    assert_eq!(en.updated_ago(Age::Minutes(2)), "Updated 2 min ago");
    assert_eq!(en.updated_ago(Age::JustNow), "Updated just now");
    assert_eq!(en.ago(Age::Hours(3)), "3 h ago");
    assert_eq!(en.ago(Age::Days(1)), "1 day ago");
    assert_eq!(en.ago(Age::Days(4)), "4 days ago");
    let de = strings(Lang::De);
    assert_eq!(de.updated_ago(Age::Minutes(2)), "Aktualisiert vor 2 Min.");
    assert_eq!(de.updated_ago(Age::JustNow), "Gerade eben aktualisiert");
    assert_eq!(de.ago(Age::Days(2)), "vor 2 Tagen");
    assert_eq!(
        strings(Lang::Fr).updated_ago(Age::Days(2)),
        "Mis à jour il y a 2 jours"
    );
}

#[test]
fn close_timings() {
    use CloseTiming::{InDays, Overdue, Today};
    let cases = [
        (Lang::En, InDays(12), "in 12 days"),
        (Lang::En, InDays(1), "in 1 day"),
        (Lang::En, Overdue(3), "overdue by 3 days"),
        (Lang::En, Today, "today"),
        (Lang::De, InDays(12), "in 12 Tagen"),
        (Lang::De, Overdue(1), "1 Tag überfällig"),
        (Lang::Fr, Overdue(3), "en retard de 3 jours"),
    ];
    for (lang, timing, expected) in cases {
        assert_eq!(strings(lang).close_timing(timing), expected);
    }
}

#[test]
fn forecast_labels() {
    let en = strings(Lang::En);
    assert_eq!(en.forecast(ForecastCategory::BestCase), "Best case");
    assert_eq!(en.forecast(ForecastCategory::Other), "Other");
    assert_eq!(
        strings(Lang::De).forecast(ForecastCategory::Committed),
        "Zugesagt"
    );
    for &lang in Lang::ALL {
        let s = strings(lang);
        for category in [
            ForecastCategory::Pipeline,
            ForecastCategory::BestCase,
            ForecastCategory::Committed,
            ForecastCategory::Omitted,
            ForecastCategory::Won,
            ForecastCategory::Lost,
            ForecastCategory::Other,
        ] {
            assert!(!s.forecast(category).is_empty());
        }
    }
}

#[test]
fn chart_and_search_texts() {
    let en = strings(Lang::En);
    let bars = [
        ("Propose".to_owned(), "$250,000".to_owned()),
        ("No stage".to_owned(), "$5,000".to_owned()),
    ];
    assert_eq!(
        en.chart_description(&bars),
        "Pipeline by stage. Propose: $250,000; No stage: $5,000."
    );
    assert_eq!(en.chart_description(&[]), "No open value to chart.");
    assert!(strings(Lang::De)
        .chart_description(&bars)
        .starts_with("Pipeline nach Phase."));
    assert!(en.chart_currency_note("USD").contains("USD"));
    assert_eq!(
        en.chart_base_note("USD"),
        "All amounts in USD, the organization's base currency."
    );
    for &lang in Lang::ALL {
        assert!(
            strings(lang).chart_base_note("EUR").contains("EUR"),
            "{lang:?}"
        );
    }
    assert_eq!(
        en.no_search_results("espresso"),
        "No deals match “espresso”"
    );
    assert_eq!(
        strings(Lang::De).no_search_results("x"),
        "Keine Verkaufschance passt zu „x“"
    );
    assert_eq!(
        en.open_in_sales_label("Espresso machines"),
        "Open Espresso machines in Sales (opens in a new tab)"
    );
}

#[test]
fn context_errors_name_parameter_and_what_to_do() {
    let en = strings(Lang::En);
    let (title, action) = en.context_error(&ContextError::Unfilled {
        parameter: "customerId",
        slug: "{anchor._customerid_value}".into(),
    });
    assert_eq!(title, "The workspace did not fill customerId");
    assert_eq!(
        action,
        "Check the application tab template's data parameter: the slug {anchor._customerid_value} has no value for this session."
    );
    let (title, action) = en.context_error(&ContextError::InvalidGuid {
        parameter: "caseId",
        reason: GuidError::WrongDigitCount(31),
    });
    assert_eq!(title, "caseId is not a valid GUID");
    assert!(
        action.starts_with("caseId: it has 31 hex digits; a GUID has 32."),
        "{action}"
    );

    let errors = [
        ContextError::TooLong { length: 3000 },
        ContextError::Unfilled {
            parameter: "customerName",
            slug: "{customerName}".into(),
        },
        ContextError::InvalidGuid {
            parameter: "customerId",
            reason: GuidError::Empty,
        },
        ContextError::Conflict {
            parameter: "customerId",
        },
        ContextError::NameTooLong { max: 160 },
        ContextError::InvalidType {
            value: "lead".into(),
        },
        ContextError::BadData {
            reason: "EOF while parsing".into(),
        },
    ];
    for &lang in Lang::ALL {
        for error in &errors {
            let (title, action) = strings(lang).context_error(error);
            assert!(!title.is_empty() && action.len() > 20, "{lang:?} {error:?}");
        }
    }
    let (title, action) = strings(Lang::De).context_error(&errors[1]);
    assert_eq!(
        title,
        "Der Arbeitsbereich hat customerName nicht ausgefüllt"
    );
    assert!(action.contains("{customerName}"));
    assert!(strings(Lang::Fr)
        .context_error(&errors[0])
        .1
        .contains("3000"));
    assert!(en.context_error(&errors[4]).1.contains("160"));
    assert!(en.context_error(&errors[5]).0.contains("lead"));
}

#[test]
fn every_guid_reason_is_worded() {
    let reasons = [
        GuidError::Empty,
        GuidError::TooLong(49),
        GuidError::BadEncoding,
        GuidError::UnbalancedBraces,
        GuidError::WrongDigitCount(31),
        GuidError::InvalidCharacter('z'),
        GuidError::MisplacedHyphens,
    ];
    for &lang in Lang::ALL {
        for reason in &reasons {
            assert!(!strings(lang).guid_reason(reason).is_empty());
        }
    }
    assert_eq!(
        strings(Lang::De).guid_reason(&GuidError::InvalidCharacter('z')),
        "der Wert enthält 'z', keine Hexadezimalziffer"
    );
}

#[test]
fn config_errors() {
    let en = strings(Lang::En);
    let (title, action) = en.config_error(&WidgetConfigError::TimeoutOutOfRange {
        value: 5,
        min: 1000,
        max: 120000,
    });
    assert_eq!(title, "requestTimeoutMs is out of range");
    assert_eq!(
        action,
        "It is 5; use a value from 1000 to 120000 milliseconds."
    );
    for &lang in Lang::ALL {
        for error in [
            WidgetConfigError::BadJson {
                reason: "expected value".into(),
            },
            WidgetConfigError::BadApiBase {
                value: "ftp://x".into(),
            },
        ] {
            let (title, action) = strings(lang).config_error(&error);
            assert!(!title.is_empty() && !action.is_empty());
        }
    }
    assert!(strings(Lang::De)
        .config_error(&WidgetConfigError::BadApiBase {
            value: "ftp://x".into()
        })
        .1
        .contains("„ftp://x“"));
}

#[test]
fn api_problems_and_timeouts() {
    let en = strings(Lang::En);
    assert_eq!(en.problem(404, None).0, en.not_found);
    assert_eq!(en.problem(429, Some(30)).1, "Try again in 30 seconds.");
    assert_eq!(en.problem(429, None).1, "Try again in a moment.");
    assert_eq!(en.problem(504, None).0, "Sales took too long to answer");
    assert_eq!(en.problem(500, None).0, en.error_title);
    assert!(en.problem(401, None).1.contains("function key"));
    assert_eq!(
        strings(Lang::De).problem(429, Some(5)).1,
        "Versuchen Sie es in 5 Sekunden erneut."
    );
    assert_eq!(
        en.timeout(15).0,
        "The deals service did not answer within 15 seconds"
    );
    for &lang in Lang::ALL {
        for status in [400, 401, 403, 404, 429, 502, 504, 500, 418] {
            let (title, action) = strings(lang).problem(status, None);
            assert!(!title.is_empty() && !action.is_empty(), "{lang:?} {status}");
        }
        assert!(strings(lang).timeout(20).0.contains("20"));
    }
}

#[test]
fn templates_fill_their_placeholders_once_and_keep_other_braces() {
    assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
    assert_eq!(fill("{a}{a}", &[("a", "x")]), "xx");
    assert_eq!(
        fill("{a}", &[("a", "{b}"), ("b", "no")]),
        "{b}",
        "values are not read again"
    );
    assert_eq!(
        fill("e.g. id={anchor._customerid_value}.", &[("a", "x")]),
        "e.g. id={anchor._customerid_value}."
    );
    assert_eq!(fill("open { and {a", &[("a", "x")]), "open { and {a");
    assert_eq!(fill("", &[]), "");
}

#[test]
fn shared_notes_say_with_whom_by_whom_and_when() {
    assert_eq!(
        strings(Lang::En).shared("Alex Wu", "Dana", Age::Days(2)),
        "Shared with Alex Wu by Dana, 2 days ago"
    );
    assert_eq!(
        strings(Lang::De).shared("Alex Wu", "Dana", Age::Days(2)),
        "Geteilt mit Alex Wu von Dana, vor 2 Tagen"
    );
    for lang in [Lang::De, Lang::Fr, Lang::Ar, Lang::He] {
        let (s, e) = (&strings(lang).share, &strings(Lang::En).share);
        for (a, b) in [
            (s.tell_owner, e.tell_owner),
            (s.send, e.send),
            (s.draft_kept, e.draft_kept),
        ] {
            assert_ne!(a, b, "{lang:?}");
        }
    }
}

#[test]
fn every_template_names_only_its_own_placeholders() {
    // A misspelt placeholder would reach the agent as `{…}`: each template's braces are known.
    let known = [
        "shown",
        "total",
        "name",
        "new_tab",
        "currency",
        "query",
        "seconds",
        "n",
        "c",
        "check_data",
        "length",
        "max",
        "parameter",
        "slug",
        "reason",
        "value",
        "min",
        "anchor._customerid_value",
        "ago",
        "owner",
        "agent",
    ];
    for &lang in Lang::ALL {
        for (field, text) in texts(lang) {
            for piece in text.split('{').skip(1) {
                let name = piece.split('}').next().unwrap_or("");
                assert!(known.contains(&name), "{lang:?}.{field}: {{{name}}}");
            }
        }
    }
}

#[test]
fn arabic_and_hebrew_plural_rules_follow_cldr() {
    use super::strings::{arabic, hebrew};
    // CLDR: zero 0; one 1; two 2; few n % 100 = 3..10; many n % 100 = 11..99; other the rest.
    let arabic_cases = [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 3),
        (10, 3),
        (11, 4),
        (99, 4),
        (100, 5),
        (101, 5),
        (102, 5),
        (103, 3),
        (111, 4),
        (200, 5),
        (1_000, 5),
        (1_011, 4),
    ];
    for (n, form) in arabic_cases {
        assert_eq!(arabic(n), form, "arabic({n})");
    }
    for (n, form) in [(0, 2), (1, 0), (2, 1), (3, 2), (10, 2), (20, 2), (101, 2)] {
        assert_eq!(hebrew(n), form, "hebrew({n})");
    }
}

#[test]
fn arabic_and_hebrew_counts_take_their_plural_forms() {
    let ar = strings(Lang::Ar);
    assert_eq!(ar.updated_ago(Age::Minutes(2)), "آخر تحديث منذ دقيقتين");
    assert_eq!(ar.close_timing(CloseTiming::InDays(12)), "خلال 12 يومًا");
    assert_eq!(ar.close_timing(CloseTiming::Overdue(3)), "متأخرة 3 أيام");
    let he = strings(Lang::He);
    assert_eq!(he.ago(Age::Days(2)), "לפני יומיים");
    assert_eq!(he.close_timing(CloseTiming::InDays(12)), "בעוד 12 ימים");
    assert_eq!(he.customers_found(2), "נמצאו שני לקוחות");
    // Every count of every text gives a form, whatever the number.
    for &lang in Lang::ALL {
        let s = strings(lang);
        for n in [0, 1, 2, 3, 11, 100, 101, 1_000_003] {
            assert!(!s.open_deals(n).is_empty() && !s.customers_found(n).is_empty());
            let n = n as u32;
            for timing in [CloseTiming::InDays(n), CloseTiming::Overdue(n)] {
                assert!(!s.close_timing(timing).contains('|'), "{lang:?} {n}");
            }
        }
    }
}

/// Each `field: "text"` of a language's `Debug` (every text, forms `|`-joined), unescaped.
fn texts(lang: Lang) -> Vec<(String, String)> {
    let debug = format!("{:?}", strings(lang));
    let mut out = Vec::new();
    let mut rest = debug.as_str();
    while let Some(at) = rest.find(": \"") {
        let field = rest[..at]
            .rsplit([' ', '{'])
            .next()
            .unwrap_or("")
            .to_owned();
        let mut chars = rest[at + 3..].chars();
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('u') => {
                        let hex: String =
                            chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                        text.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                    }
                    Some('n') => text.push('\n'),
                    Some(other) => text.push(other),
                    None => {}
                },
                c => text.push(c),
            }
        }
        out.push((field, text));
        rest = chars.as_str();
    }
    out
}

#[test]
fn arabic_and_hebrew_have_every_text_in_their_own_script() {
    // A text added in English only (or copied from en.rs) would show Latin letters alone.
    let arabic = |c: char| ('\u{0600}'..='\u{06FF}').contains(&c);
    let hebrew = |c: char| ('\u{0590}'..='\u{05FF}').contains(&c);
    let english = texts(Lang::En);
    assert!(english.len() > 100, "every text is read: {}", english.len());
    assert!(english.contains(&("title".to_owned(), "Open deals".to_owned())));
    let ar = texts(Lang::Ar);
    assert!(
        ar.iter()
            .any(|(field, text)| field == "upstream_failed" && text == "لم تُجب المبيعات بشكل صحيح"),
        "escaped marks are read back"
    );
    for (lang, in_script) in [
        (Lang::Ar, &arabic as &dyn Fn(char) -> bool),
        (Lang::He, &hebrew),
    ] {
        let translated = texts(lang);
        assert_eq!(
            translated.len(),
            english.len(),
            "{lang:?} has as many texts as English"
        );
        for (field, text) in &translated {
            assert!(
                text.chars().any(in_script),
                "{lang:?}.{field} is not translated: {text}"
            );
        }
    }
}
