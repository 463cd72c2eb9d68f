//! The `Strings` type: what every language file fills in.

use dealpane_contract::{CustomerType, ForecastCategory};

use super::Lang;
use crate::format::{Age, CloseTiming};

/// The words of one language. Fixed texts are fields; texts with numbers or names are methods
/// that fill the language's [`Templates`] and [`Plurals`].
#[derive(Debug)]
pub struct Strings {
    pub lang: Lang,
    /// The language is written right to left: the pane mirrors its layout.
    pub rtl: bool,
    // The header.
    pub title: &'static str,
    pub open_value: &'static str,
    pub weighted_value: &'static str,
    /// Tooltip of the weighted value.
    pub weighted_value_hint: &'static str,
    pub refresh: &'static str,
    pub refreshing: &'static str,
    /// Shown when the customer was found by name because the ids differ between environments.
    pub matched_by_name: &'static str,
    /// A badge when the server answers from its embedded sample store.
    pub sample_data: &'static str,
    // States of the list.
    pub deals_label: &'static str,
    pub loading: &'static str,
    pub empty: &'static str,
    pub empty_hint: &'static str,
    pub not_found: &'static str,
    pub not_found_hint: &'static str,
    pub no_customer: &'static str,
    pub no_customer_hint: &'static str,
    // One deal.
    pub label_value: &'static str,
    pub label_stage: &'static str,
    pub label_probability: &'static str,
    pub label_close_date: &'static str,
    pub label_owner: &'static str,
    pub label_forecast: &'static str,
    pub no_stage: &'static str,
    pub no_value: &'static str,
    pub no_close_date: &'static str,
    pub summary_label: &'static str,
    pub ai_disclaimer: &'static str,
    pub summary_unavailable: &'static str,
    pub summary_disabled: &'static str,
    /// A summary still being generated; it fills in when it arrives.
    pub summary_pending: &'static str,
    /// Why an unavailable summary is missing, by the contract's `reason`; others get
    /// `summary_unavailable`.
    pub summary_throttled: &'static str,
    pub summary_timeout: &'static str,
    pub summary_failed: &'static str,
    /// A summary in a state this pane does not know (a newer server's).
    pub summary_not_available: &'static str,
    /// Above the deals while Sales answers the summaries long-poll with 429 or 503.
    pub summaries_busy: &'static str,
    /// Announced once, when every pending summary is in.
    pub summaries_ready: &'static str,
    /// Announced when the pane stops asking with summaries still pending (they show as
    /// unavailable).
    pub summaries_stopped: &'static str,
    pub show_more: &'static str,
    pub show_less: &'static str,
    pub open_in_sales: &'static str,
    /// Appended to a link's accessible name.
    pub opens_in_new_tab: &'static str,
    pub copy_summary: &'static str,
    pub copy_deal_link: &'static str,
    pub copied: &'static str,
    /// The Clipboard API was refused; the text is now selected instead.
    pub copy_fallback: &'static str,
    // Forecast categories (Dataverse's `msdyn_forecastcategory`).
    pub forecast_pipeline: &'static str,
    pub forecast_best_case: &'static str,
    pub forecast_committed: &'static str,
    pub forecast_omitted: &'static str,
    pub forecast_won: &'static str,
    pub forecast_lost: &'static str,
    pub forecast_other: &'static str,
    // The pipeline chart.
    pub chart_title: &'static str,
    /// The chart's text alternative when there is nothing to chart.
    pub chart_empty: &'static str,
    // The search box.
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_hint: &'static str,
    pub search_clear: &'static str,
    // Errors.
    pub error_title: &'static str,
    pub retry: &'static str,
    pub retry_hint: &'static str,
    pub trace_id: &'static str,
    pub copy_trace_id: &'static str,
    pub offline_title: &'static str,
    pub offline_hint: &'static str,
    pub network_error: &'static str,
    pub network_error_hint: &'static str,
    pub bad_response: &'static str,
    pub bad_response_hint: &'static str,
    /// 400: the server refused the request.
    pub refused: &'static str,
    pub refused_hint: &'static str,
    /// 401 and 403: the pane may not call the service.
    pub not_allowed: &'static str,
    pub not_allowed_hint: &'static str,
    /// 429 with no usable `Retry-After`.
    pub busy: &'static str,
    pub busy_hint: &'static str,
    /// 502: Sales answered wrongly.
    pub upstream_failed: &'static str,
    /// 504: Sales was too slow.
    pub upstream_timed_out: &'static str,
    // The plain-text answer of an unchanged sample function.
    pub plain_text_title: &'static str,
    pub plain_text_hint: &'static str,
    pub customer_search_label: &'static str,
    pub customer_search_placeholder: &'static str,
    pub customer_search_hint: &'static str,
    pub customer_search_failed: &'static str,
    pub customer_search_start: &'static str,
    pub customer_account: &'static str,
    pub customer_contact: &'static str,
    /// Texts with names or numbers in them, as templates.
    pub templates: Templates,
    /// Texts whose words change with a number, and the language's rule for choosing.
    pub plurals: Plurals,
    /// Share with Sales: a note to a deal's owner.
    pub share: Share,
    /// Sign-in with Entra ID (issue 11), when config.json has an `auth` block.
    pub sign_in: SignIn,
}

/// Sign-in (issue 11): each state's title and what to do.
#[derive(Debug)]
pub struct SignIn {
    pub title: &'static str,
    pub hint: &'static str,
    pub button: &'static str,
    pub signing_in: &'static str,
    pub signing_in_hint: &'static str,
    pub popup_blocked: &'static str,
    pub popup_blocked_hint: &'static str,
    pub consent: &'static str,
    pub consent_hint: &'static str,
    pub no_sales: &'static str,
    pub no_sales_hint: &'static str,
    /// sessionStorage refused: the next load asks again.
    pub not_kept: &'static str,
}

/// Share with Sales (issue 12): the note form on a deal card and what it says.
#[derive(Debug)]
pub struct Share {
    /// The disclosure that opens the note form.
    pub tell_owner: &'static str,
    /// The message field's label.
    pub message: &'static str,
    /// Before the case id the note carries.
    pub case: &'static str,
    pub send: &'static str,
    /// Announced and shown when Sales has the note.
    pub sent: &'static str,
    /// `{owner}`, `{agent}`, `{ago}`: one note sent through dealpane.
    pub shared: &'static str,
    /// Storage refused: the form still works, the draft lives in memory only.
    pub draft_not_kept: &'static str,
    /// After every failed send.
    pub draft_kept: &'static str,
    /// 401, 403.
    pub no_access: &'static str,
    /// 502, 503, 504, 501, a network failure.
    pub sales_down: &'static str,
    /// 429 (with `templates.try_again_in` when Retry-After says).
    pub throttled: &'static str,
    /// 400, 413, 422: followed by the server's detail, as text.
    pub invalid: &'static str,
    /// The disclosure that opens the lead form, and its fields.
    pub suggest_deal: &'static str,
    pub topic: &'static str,
    pub description: &'static str,
    pub estimated_value: &'static str,
    /// An ISO 4217 code's field.
    pub currency: &'static str,
}

/// Texts with `{name}` placeholders, filled by [`fill`]. A language orders the placeholders
/// as its grammar wants; a `{…}` that is not a placeholder stays as written.
#[derive(Debug)]
pub struct Templates {
    /// `{shown}`, `{total}`: "3 of 7 deals", the search box's live count.
    pub filtered_count: &'static str,
    /// `{name}`, `{new_tab}`: the accessible name of a deal's "Open in Sales" link.
    pub open_in_sales_label: &'static str,
    /// `{currency}`: under the chart when deals in other currencies are left out of it.
    pub chart_currency_note: &'static str,
    /// `{currency}`: under the chart when it adds deals priced in several currencies in the
    /// organization's base currency.
    pub chart_base_note: &'static str,
    /// `{query}`: "No customer matches “x”".
    pub no_customers: &'static str,
    /// `{query}`: "No deals match “espresso”".
    pub no_search_results: &'static str,
    /// `{seconds}`: the title when the pane's own request timed out.
    pub timed_out: &'static str,
    /// `{seconds}`: a 429's "Try again in 30 seconds."
    pub try_again_in: &'static str,
    // Why a GUID was refused, as a clause; `{n}` a count, `{c}` a character.
    pub guid_empty: &'static str,
    pub guid_too_long: &'static str,
    pub guid_bad_encoding: &'static str,
    pub guid_unbalanced_braces: &'static str,
    pub guid_wrong_digit_count: &'static str,
    pub guid_invalid_character: &'static str,
    pub guid_misplaced_hyphens: &'static str,
    // An unusable URL, for an admin: (title, what to do). `{check_data}` is the next field.
    pub check_data: &'static str,
    /// `{length}`, `{max}` (bytes).
    pub url_too_long: &'static str,
    pub url_too_long_hint: &'static str,
    /// `{parameter}`, `{slug}`.
    pub unfilled: &'static str,
    pub unfilled_hint: &'static str,
    /// `{parameter}`, `{reason}` (a GUID reason).
    pub invalid_guid: &'static str,
    pub invalid_guid_hint: &'static str,
    /// `{parameter}`.
    pub conflict: &'static str,
    pub conflict_hint: &'static str,
    /// `{max}` (characters).
    pub name_too_long: &'static str,
    pub name_too_long_hint: &'static str,
    /// `{value}`.
    pub invalid_type: &'static str,
    pub invalid_type_hint: &'static str,
    /// `{reason}` (the JSON parser's words).
    pub bad_data: &'static str,
    pub bad_data_hint: &'static str,
    // An unusable config.json, for an admin: (title, what to do).
    /// `{reason}`.
    pub config_bad_json: &'static str,
    pub config_bad_json_hint: &'static str,
    /// `{value}`, `{min}`, `{max}` (milliseconds).
    pub config_timeout: &'static str,
    pub config_timeout_hint: &'static str,
    /// `{value}`.
    pub config_api_base: &'static str,
    pub config_api_base_hint: &'static str,
}

/// One text's forms by plural category, separated by `|`, in the order the language's
/// [`Plurals::rule`] numbers them (`one|other` for most languages, `one|two|other` for Hebrew,
/// `zero|one|two|few|many|other` for Arabic); `{n}` is the number. A form may leave the number
/// out ("two days"). A rule's index past the last form takes the last one, so one form serves
/// every number.
pub type Forms = &'static str;

/// A language's texts whose words change with a number.
#[derive(Debug)]
pub struct Plurals {
    /// Which form a number takes: an index into each of the language's [`Forms`].
    pub rule: fn(u64) -> usize,
    /// "1 open deal", "3 open deals".
    pub open_deals: Forms,
    /// "3 customers found".
    pub customers_found: Forms,
    /// "just now", "2 min ago", "3 h ago", "3 days ago".
    pub just_now: &'static str,
    pub minutes_ago: Forms,
    pub hours_ago: Forms,
    pub days_ago: Forms,
    /// `{ago}`: "Updated 2 min ago"; and "Updated just now", which some languages word apart.
    pub updated: &'static str,
    pub updated_just_now: &'static str,
    /// Next to the close date: "today", "in 12 days", "overdue by 3 days".
    pub today: &'static str,
    pub in_days: Forms,
    pub overdue: Forms,
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
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
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
