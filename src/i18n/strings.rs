//! The `Strings` type: what every language file fills in.

use dealpane_contract::{CustomerType, ForecastCategory, GuidError};

use super::Lang;
use crate::config::WidgetConfigError;
use crate::context::ContextError;
use crate::format::{Age, CloseTiming};

/// The words of one language. Fixed texts are fields; texts with numbers or names are methods
/// that call the language's [`Phrases`].
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
    pub phrases: Phrases,
}

/// Declares [`Phrases`] and, for each phrase, the [`Strings`] method that says it.
macro_rules! phrases {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)+) => {
        /// A language's texts with numbers or names in them: one function each, so a language
        /// file holds its grammar (plurals, word order) next to its words.
        #[derive(Debug)]
        pub struct Phrases {
            $($(#[$doc])* pub $name: fn($($ty),*) -> $out,)+
        }

        impl Strings {
            $($(#[$doc])* pub fn $name(&self, $($arg: $ty),*) -> $out {
                (self.phrases.$name)($($arg),*)
            })+
        }
    };
}

phrases! {
    /// "1 open deal", "3 open deals".
    open_deals(count: usize) -> String;
    /// "3 of 7 deals": the search box's live count.
    filtered_count(shown: usize, total: usize) -> String;
    /// "2 min ago", "3 days ago".
    ago(age: Age) -> String;
    /// "Updated 2 min ago".
    updated_ago(age: Age) -> String;
    /// "today", "in 12 days", "overdue by 3 days" (next to the close date).
    close_timing(timing: CloseTiming) -> String;
    /// The accessible name of a deal's "Open in Sales" link.
    open_in_sales_label(deal_name: &str) -> String;
    /// Under the chart when deals in other currencies are left out of it.
    chart_currency_note(currency: &str) -> String;
    /// "3 customers found".
    customers_found(count: usize) -> String;
    /// "No customer matches “x”".
    no_customers(query: &str) -> String;
    /// "No deals match “espresso”".
    no_search_results(query: &str) -> String;
    /// The title when the pane's own request timed out after so many seconds.
    timed_out(seconds: u32) -> String;
    /// A 429's "Try again in 30 seconds."
    try_again_in(seconds: u32) -> String;
    /// Why a GUID was refused, as a clause.
    guid_reason(reason: &GuidError) -> String;
    /// (title, what to do) for an admin when the pane's URL cannot be used.
    context_error(error: &ContextError) -> (String, String);
    /// (title, what to do) for an admin when the pane's configuration file cannot be used.
    config_error(error: &WidgetConfigError) -> (String, String);
}

impl Strings {
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
