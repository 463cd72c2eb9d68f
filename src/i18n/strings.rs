//! The `Strings` type: what every language file fills in. Each field is declared once, in
//! `words!` below, which also writes how a language file is read into it: `en.rs` fills it in
//! Rust (English is compiled in), every other language is a JSON file,
//! `static/i18n/<code>.json`, with the same keys (nested objects for `templates`, `plurals`,
//! `share` and `sign_in`), read at run time by [`Strings::read`].

use dealpane_contract::{CustomerType, ForecastCategory};

use super::Lang;
use crate::format::{Age, CloseTiming};

/// A language file as [`Strings::read`] sees it: texts by key, and nested groups of texts.
pub trait WordFile: Sized {
    /// The text under `key`, kept for the page's lifetime (a language is read once).
    fn text(&self, key: &str) -> Option<&'static str>;
    /// The group of texts under `key`.
    fn group(&self, key: &str) -> Option<Self>;
}

/// Declares the structs of words, each field once with its kind: `text` (`&'static str`),
/// `forms` ([`Forms`]), a nested struct of words (its JSON key is the field's name), or what
/// the language itself says rather than its file: `lang`, `rtl` (its direction) and `rule` (its
/// plural rule), from the `languages!` list. For each struct it writes `fill`, which takes
/// every text a language file has, and `keys`, every key a file has (`templates.timed_out`),
/// for the test that keeps the files complete.
macro_rules! words {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident: $kind:ident, )*
        }
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name {
                $( $(#[$fmeta])* pub $field: words!(@type $kind), )*
            }

            impl $name {
                /// Replaces each text that `file` has; the others stay as they are.
                pub fn fill<F: WordFile>(&mut self, file: &F) {
                    $( words!(@fill $kind, self, file, $field); )*
                }

                /// Every key of a language file, each as `prefix` + its dotted path.
                pub fn keys(prefix: &str, out: &mut Vec<String>) {
                    $( words!(@key $kind, prefix, $field, out); )*
                }
            }
        )*
    };
    (@type text) => { &'static str };
    (@type forms) => { Forms };
    (@type lang) => { Lang };
    (@type rtl) => { bool };
    (@type rule) => { fn(u64) -> usize };
    (@type $nested:ident) => { $nested };
    (@fill lang, $words:ident, $file:ident, $field:ident) => {};
    (@fill rtl, $words:ident, $file:ident, $field:ident) => {};
    (@fill rule, $words:ident, $file:ident, $field:ident) => {};
    (@fill text, $words:ident, $file:ident, $field:ident) => {
        fill_text($file, stringify!($field), &mut $words.$field)
    };
    (@fill forms, $words:ident, $file:ident, $field:ident) => {
        fill_text($file, stringify!($field), &mut $words.$field)
    };
    (@fill $nested:ident, $words:ident, $file:ident, $field:ident) => {
        if let Some(group) = $file.group(stringify!($field)) {
            $words.$field.fill(&group);
        }
    };
    (@key lang, $prefix:ident, $field:ident, $out:ident) => {};
    (@key rtl, $prefix:ident, $field:ident, $out:ident) => {};
    (@key rule, $prefix:ident, $field:ident, $out:ident) => {};
    (@key text, $prefix:ident, $field:ident, $out:ident) => {
        $out.push(format!("{}{}", $prefix, stringify!($field)))
    };
    (@key forms, $prefix:ident, $field:ident, $out:ident) => {
        $out.push(format!("{}{}", $prefix, stringify!($field)))
    };
    (@key $nested:ident, $prefix:ident, $field:ident, $out:ident) => {
        $nested::keys(&format!("{}{}.", $prefix, stringify!($field)), $out)
    };
}

/// Sets `slot` to the text under `key` in `file`, if it has one. Not inlined: the reader is a
/// short call per text rather than a copy of this.
#[inline(never)]
fn fill_text<F: WordFile>(file: &F, key: &str, slot: &mut &'static str) {
    if let Some(text) = file.text(key) {
        *slot = text;
    }
}

/// One text's forms by plural category, separated by `|`, in the order the language's
/// [`Plurals::rule`] numbers them (`one|other` for most languages, `one|two|other` for Hebrew,
/// `zero|one|two|few|many|other` for Arabic); `{n}` is the number. A form may leave the number
/// out ("two days"). A rule's index past the last form takes the last one, so one form serves
/// every number.
pub type Forms = &'static str;

words! {
    /// The words of one language. Fixed texts are fields; texts with numbers or names are methods
    /// that fill the language's [`Templates`] and [`Plurals`].
    pub struct Strings {
        lang: lang,
        /// The language is written right to left: the pane mirrors its layout.
        rtl: rtl,
        // The header.
        title: text,
        open_value: text,
        weighted_value: text,
        /// Tooltip of the weighted value.
        weighted_value_hint: text,
        refresh: text,
        refreshing: text,
        /// Shown when the customer was found by name because the ids differ between environments.
        matched_by_name: text,
        /// A badge when the server answers from its embedded sample store.
        sample_data: text,
        // States of the list.
        deals_label: text,
        loading: text,
        empty: text,
        empty_hint: text,
        not_found: text,
        not_found_hint: text,
        no_customer: text,
        no_customer_hint: text,
        // One deal.
        label_value: text,
        label_stage: text,
        label_probability: text,
        label_close_date: text,
        label_owner: text,
        label_forecast: text,
        no_stage: text,
        no_value: text,
        no_close_date: text,
        summary_label: text,
        ai_disclaimer: text,
        summary_unavailable: text,
        summary_disabled: text,
        /// A summary still being generated; it fills in when it arrives.
        summary_pending: text,
        /// Why an unavailable summary is missing, by the contract's `reason`; others get
        /// `summary_unavailable`.
        summary_throttled: text,
        summary_timeout: text,
        summary_failed: text,
        /// A summary in a state this pane does not know (a newer server's).
        summary_not_available: text,
        /// Above the deals while Sales answers the summaries long-poll with 429 or 503.
        summaries_busy: text,
        /// Announced once, when every pending summary is in.
        summaries_ready: text,
        /// Announced when the pane stops asking with summaries still pending (they show as
        /// unavailable).
        summaries_stopped: text,
        show_more: text,
        show_less: text,
        open_in_sales: text,
        /// Appended to a link's accessible name.
        opens_in_new_tab: text,
        copy_summary: text,
        copy_deal_link: text,
        copied: text,
        /// The Clipboard API was refused; the text is now selected instead.
        copy_fallback: text,
        // Forecast categories (Dataverse's `msdyn_forecastcategory`).
        forecast_pipeline: text,
        forecast_best_case: text,
        forecast_committed: text,
        forecast_omitted: text,
        forecast_won: text,
        forecast_lost: text,
        forecast_other: text,
        // The pipeline chart.
        chart_title: text,
        /// The chart's text alternative when there is nothing to chart.
        chart_empty: text,
        // The search box.
        search_label: text,
        search_placeholder: text,
        search_hint: text,
        search_clear: text,
        // Errors.
        error_title: text,
        retry: text,
        retry_hint: text,
        trace_id: text,
        copy_trace_id: text,
        offline_title: text,
        offline_hint: text,
        network_error: text,
        network_error_hint: text,
        bad_response: text,
        bad_response_hint: text,
        /// 400: the server refused the request.
        refused: text,
        refused_hint: text,
        /// 401 and 403: the pane may not call the service.
        not_allowed: text,
        not_allowed_hint: text,
        /// 429 with no usable `Retry-After`.
        busy: text,
        busy_hint: text,
        /// 502: Sales answered wrongly.
        upstream_failed: text,
        /// 504: Sales was too slow.
        upstream_timed_out: text,
        // The plain-text answer of an unchanged sample function.
        plain_text_title: text,
        plain_text_hint: text,
        customer_search_label: text,
        customer_search_placeholder: text,
        customer_search_hint: text,
        customer_search_failed: text,
        customer_search_start: text,
        customer_account: text,
        customer_contact: text,
        /// Texts with names or numbers in them, as templates.
        templates: Templates,
        /// Texts whose words change with a number, and the language's rule for choosing.
        plurals: Plurals,
        /// Share with Sales: a note to a deal's owner.
        share: Share,
        /// Sign-in with Entra ID (issue 11), when config.json has an `auth` block.
        sign_in: SignIn,
    }

    /// Sign-in (issue 11): each state's title and what to do.
    pub struct SignIn {
        title: text,
        hint: text,
        button: text,
        signing_in: text,
        signing_in_hint: text,
        popup_blocked: text,
        popup_blocked_hint: text,
        consent: text,
        consent_hint: text,
        no_sales: text,
        no_sales_hint: text,
        /// The sign-in could not finish: the token endpoint did not answer, or not usably.
        failed: text,
        failed_hint: text,
        /// sessionStorage refused: the next load asks again.
        not_kept: text,
    }

    /// Share with Sales (issue 12): the note form on a deal card and what it says.
    pub struct Share {
        /// The disclosure that opens the note form.
        tell_owner: text,
        /// The message field's label.
        message: text,
        /// Before the case id the note carries.
        case: text,
        send: text,
        /// Announced and shown when Sales has the note.
        sent: text,
        /// `{owner}`, `{agent}`, `{ago}`: one note sent through dealpane.
        shared: text,
        /// Storage refused: the form still works, the draft lives in memory only.
        draft_not_kept: text,
        /// After every failed send.
        draft_kept: text,
        /// 401, 403.
        no_access: text,
        /// 502, 503, 504, 501, a network failure.
        sales_down: text,
        /// 429 (with `templates.try_again_in` when Retry-After says).
        throttled: text,
        /// 400, 413, 422: followed by the server's detail, as text.
        invalid: text,
        /// The disclosure that opens the lead form, and its fields.
        suggest_deal: text,
        topic: text,
        description: text,
        estimated_value: text,
        /// An ISO 4217 code's field.
        currency: text,
    }

    /// Texts with `{name}` placeholders, filled by [`fill`]. A language orders the placeholders
    /// as its grammar wants; a `{…}` that is not a placeholder stays as written.
    pub struct Templates {
        /// `{shown}`, `{total}`: "3 of 7 deals", the search box's live count.
        filtered_count: text,
        /// `{name}`, `{new_tab}`: the accessible name of a deal's "Open in Sales" link.
        open_in_sales_label: text,
        /// `{currency}`: under the chart when deals in other currencies are left out of it.
        chart_currency_note: text,
        /// `{currency}`: under the chart when it adds deals priced in several currencies in the
        /// organization's base currency.
        chart_base_note: text,
        /// `{query}`: "No customer matches “x”".
        no_customers: text,
        /// `{query}`: "No deals match “espresso”".
        no_search_results: text,
        /// `{seconds}`: the title when the pane's own request timed out.
        timed_out: text,
        /// `{seconds}`: a 429's "Try again in 30 seconds."
        try_again_in: text,
        // Why a GUID was refused, as a clause; `{n}` a count, `{c}` a character.
        guid_empty: text,
        guid_too_long: text,
        guid_bad_encoding: text,
        guid_unbalanced_braces: text,
        guid_wrong_digit_count: text,
        guid_invalid_character: text,
        guid_misplaced_hyphens: text,
        // An unusable URL, for an admin: (title, what to do). `{check_data}` is the next field.
        check_data: text,
        /// `{length}`, `{max}` (bytes).
        url_too_long: text,
        url_too_long_hint: text,
        /// `{parameter}`, `{slug}`.
        unfilled: text,
        unfilled_hint: text,
        /// `{parameter}`, `{reason}` (a GUID reason).
        invalid_guid: text,
        invalid_guid_hint: text,
        /// `{parameter}`.
        conflict: text,
        conflict_hint: text,
        /// `{max}` (characters).
        name_too_long: text,
        name_too_long_hint: text,
        /// `{value}`.
        invalid_type: text,
        invalid_type_hint: text,
        /// `{reason}` (the JSON parser's words).
        bad_data: text,
        bad_data_hint: text,
        // An unusable config.json, for an admin: (title, what to do).
        /// `{reason}`.
        config_bad_json: text,
        config_bad_json_hint: text,
        /// `{value}`, `{min}`, `{max}` (milliseconds).
        config_timeout: text,
        config_timeout_hint: text,
        /// `{value}`.
        config_api_base: text,
        config_api_base_hint: text,
    }

    /// A language's texts whose words change with a number.
    pub struct Plurals {
        /// Which form a number takes: an index into each of the language's [`Forms`].
        rule: rule,
        /// "1 open deal", "3 open deals".
        open_deals: forms,
        /// "3 customers found".
        customers_found: forms,
        /// "just now", "2 min ago", "3 h ago", "3 days ago".
        just_now: text,
        minutes_ago: forms,
        hours_ago: forms,
        days_ago: forms,
        /// `{ago}`: "Updated 2 min ago"; and "Updated just now", which some languages word apart.
        updated: text,
        updated_just_now: text,
        /// Next to the close date: "today", "in 12 days", "overdue by 3 days".
        today: text,
        in_days: forms,
        overdue: forms,
    }
}

/// CLDR's plural rule of English, German, Dutch, …: one form for 1, another for the rest.
pub fn one_is_1(n: u64) -> usize {
    usize::from(n != 1)
}

/// CLDR's plural rule of French, Portuguese, …: one form for 0 and 1, another for the rest.
pub fn one_is_0_or_1(n: u64) -> usize {
    usize::from(n > 1)
}

/// CLDR's plural rule of Arabic: zero|one|two|few (3-10, also 103-110, …)|many (11-99, also
/// 111-199, …)|other (100-102, 200-202, …).
pub fn arabic(n: u64) -> usize {
    match (n, n % 100) {
        (0..=2, _) => n as usize,
        (_, 3..=10) => 3,
        (_, 11..=99) => 4,
        _ => 5,
    }
}

/// CLDR's plural rule of Hebrew (CLDR 42 and later): one|two|other.
pub fn hebrew(n: u64) -> usize {
    match n {
        1 => 0,
        2 => 1,
        _ => 2,
    }
}

/// `template` with each `{name}` of `args` replaced by its value, in one pass (a value that
/// holds braces is not read again). Other braces stay as written.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let value = after.split_once('}').and_then(|(name, tail)| {
            args.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value, tail))
        });
        match value {
            Some((value, tail)) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Strings {
    /// `lang`'s words from its `file` (none: English's words in `lang`'s direction and plural
    /// rule): a copy of `english`, the language's own properties, then every text the file has.
    /// A key the file lacks keeps English's text.
    pub fn read<F: WordFile>(lang: Lang, file: Option<&F>, english: &Strings) -> Strings {
        let mut words = *english;
        words.lang = lang;
        words.rtl = lang.rtl();
        words.plurals.rule = lang.plural_rule();
        if let Some(file) = file {
            words.fill(file);
        }
        words
    }

    /// `forms` for the number `n`, `{n}` filled.
    fn counted(&self, forms: Forms, n: u64) -> String {
        let index = (self.plurals.rule)(n);
        let form = forms.split('|').nth(index).or(forms.rsplit('|').next());
        fill(form.unwrap_or(""), &[("n", &n.to_string())])
    }

    pub fn open_deals(&self, count: usize) -> String {
        self.counted(self.plurals.open_deals, count as u64)
    }

    pub fn customers_found(&self, count: usize) -> String {
        self.counted(self.plurals.customers_found, count as u64)
    }

    pub fn ago(&self, age: Age) -> String {
        let p = &self.plurals;
        let (forms, n) = match age {
            Age::JustNow => return p.just_now.to_owned(),
            Age::Minutes(n) => (p.minutes_ago, n),
            Age::Hours(n) => (p.hours_ago, n),
            Age::Days(n) => (p.days_ago, n),
        };
        self.counted(forms, n.into())
    }

    /// "Shared with Alex Wu by Dana, 2 days ago".
    pub fn shared(&self, owner: &str, agent: &str, age: Age) -> String {
        let ago = self.ago(age);
        fill(
            self.share.shared,
            &[("owner", owner), ("agent", agent), ("ago", &ago)],
        )
    }

    pub fn updated_ago(&self, age: Age) -> String {
        match age {
            Age::JustNow => self.plurals.updated_just_now.to_owned(),
            age => fill(self.plurals.updated, &[("ago", &self.ago(age))]),
        }
    }

    pub fn close_timing(&self, timing: CloseTiming) -> String {
        let p = &self.plurals;
        match timing {
            CloseTiming::Today => p.today.to_owned(),
            CloseTiming::InDays(n) => self.counted(p.in_days, n.into()),
            CloseTiming::Overdue(n) => self.counted(p.overdue, n.into()),
        }
    }

    /// "3 of 7 deals".
    pub fn filtered_count(&self, shown: usize, total: usize) -> String {
        let (shown, total) = (shown.to_string(), total.to_string());
        fill(
            self.templates.filtered_count,
            &[("shown", &shown), ("total", &total)],
        )
    }

    pub fn open_in_sales_label(&self, deal_name: &str) -> String {
        let args = [("name", deal_name), ("new_tab", self.opens_in_new_tab)];
        fill(self.templates.open_in_sales_label, &args)
    }

    pub fn chart_currency_note(&self, currency: &str) -> String {
        fill(
            self.templates.chart_currency_note,
            &[("currency", currency)],
        )
    }

    pub fn chart_base_note(&self, currency: &str) -> String {
        fill(self.templates.chart_base_note, &[("currency", currency)])
    }

    pub fn no_customers(&self, query: &str) -> String {
        fill(self.templates.no_customers, &[("query", query)])
    }

    pub fn no_search_results(&self, query: &str) -> String {
        fill(self.templates.no_search_results, &[("query", query)])
    }

    pub fn forecast(&self, category: ForecastCategory) -> &'static str {
        match category {
            ForecastCategory::Pipeline => self.forecast_pipeline,
            ForecastCategory::BestCase => self.forecast_best_case,
            ForecastCategory::Committed => self.forecast_committed,
            ForecastCategory::Omitted => self.forecast_omitted,
            ForecastCategory::Won => self.forecast_won,
            ForecastCategory::Lost => self.forecast_lost,
            ForecastCategory::Other => self.forecast_other,
        }
    }

    pub fn customer_kind(&self, kind: CustomerType) -> &'static str {
        match kind {
            CustomerType::Account => self.customer_account,
            CustomerType::Contact => self.customer_contact,
        }
    }

    /// Why an `unavailable` summary is missing, from its `reason`; an unknown or absent one
    /// gets the general words.
    pub fn summary_unavailable_because(&self, reason: Option<&str>) -> &'static str {
        match reason {
            Some("throttled") => self.summary_throttled,
            Some("timeout") => self.summary_timeout,
            Some("failed") => self.summary_failed,
            _ => self.summary_unavailable,
        }
    }

    /// The chart's text alternative from `(stage label, formatted amount)` bars, in order.
    pub fn chart_description(&self, bars: &[(String, String)]) -> String {
        if bars.is_empty() {
            return self.chart_empty.to_owned();
        }
        let list = bars
            .iter()
            .map(|(stage, amount)| format!("{stage}: {amount}"))
            .collect::<Vec<_>>()
            .join("; ");
        format!("{}. {list}.", self.chart_title)
    }
}
