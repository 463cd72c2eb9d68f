//! English.

use super::{Lang, Plurals, Strings, Templates};
use crate::format::{Age, CloseTiming};

pub static STRINGS: Strings = Strings {
    lang: Lang::En,
    rtl: false,
    title: "Open deals",
    open_value: "Open value",
    weighted_value: "Weighted value",
    weighted_value_hint: "Each deal's value × its probability",
    refresh: "Refresh",
    refreshing: "Refreshing…",
    matched_by_name: "Found in Sales by name: the ids differ between environments",
    sample_data: "Sample data",
    deals_label: "Deals",
    loading: "Loading deals…",
    empty: "No open deals for this customer",
    empty_hint: "Won and lost deals are not shown.",
    not_found: "This customer was not found in Sales",
    not_found_hint: "Sales is a separate environment: the pane looked for the customer's id, then its name. Check that the customer exists in Sales under the same name.",
    no_customer: "No customer in this session",
    no_customer_hint: "Open a case or conversation that has a customer. If one is open, ask your admin to check the application tab template's data parameter.",
    label_value: "Value",
    label_stage: "Stage",
    label_probability: "Probability",
    label_close_date: "Close date",
    label_owner: "Owner",
    label_forecast: "Forecast category",
    no_stage: "No stage",
    no_value: "No value",
    no_close_date: "No close date",
    summary_label: "AI summary",
    ai_disclaimer: "AI-generated content may be incorrect.",
    summary_unavailable: "Summary unavailable right now; refresh to try again.",
    summary_disabled: "Summaries are turned off by your admin.",
    show_more: "Show more",
    show_less: "Show less",
    open_in_sales: "Open in Sales",
    opens_in_new_tab: "(opens in a new tab)",
    copy_summary: "Copy summary",
    copy_deal_link: "Copy deal link",
    copied: "Copied",
    copy_fallback: "Couldn't copy automatically: the text is selected, press Ctrl+C",
    forecast_pipeline: "Pipeline",
    forecast_best_case: "Best case",
    forecast_committed: "Committed",
    forecast_omitted: "Omitted",
    forecast_won: "Won",
    forecast_lost: "Lost",
    forecast_other: "Other",
    chart_title: "Pipeline by stage",
    chart_empty: "No open value to chart.",
    search_label: "Filter deals",
    search_placeholder: "Name, stage or owner",
    search_hint: "Type to filter the deals; Esc clears.",
    search_clear: "Clear filter",
    error_title: "Couldn't load deals",
    retry: "Retry",
    retry_hint: "Retry. If it keeps failing, give your admin the trace ID.",
    trace_id: "Trace ID",
    copy_trace_id: "Copy trace ID",
    offline_title: "You're offline",
    offline_hint: "The deals load again when the connection is back.",
    network_error: "The deals service can't be reached",
    network_error_hint: "Check your connection and retry. If it keeps failing, tell your admin.",
    bad_response: "The deals service sent an answer the pane can't read",
    bad_response_hint: "Tell your admin: the service and the pane may be different versions.",
    refused: "The deals service refused the request",
    refused_hint: "Check the customer parameters of the application tab template; the trace ID helps your admin.",
    not_allowed: "The pane is not allowed to call the deals service",
    not_allowed_hint: "Ask your admin to check the function key in the pane's configuration.",
    busy: "The deals service is busy",
    busy_hint: "Try again in a moment.",
    upstream_failed: "Sales did not answer correctly",
    upstream_timed_out: "Sales took too long to answer",
    plain_text_title: "Summary of the top open deal",
    plain_text_hint: "The deals service answered with text only, so the pane shows the top deal's summary.",
    customer_search_label: "Find a customer",
    customer_search_placeholder: "Customer name",
    customer_search_hint: "Type part of a name; choose with the arrow keys and Enter, Esc closes the list.",
    customer_search_failed: "Customers can't be searched right now; try again in a moment.",
    customer_search_start: "Find a customer above to see their open deals.",
    customer_account: "Account",
    customer_contact: "Contact",
    templates: Templates {
        filtered_count: "{shown} of {total} deals",
        open_in_sales_label: "Open {name} in Sales {new_tab}",
        chart_currency_note: "Amounts in {currency}; deals in other currencies are not charted.",
        no_customers: "No customer matches “{query}”",
        no_search_results: "No deals match “{query}”",
        timed_out: "The deals service did not answer within {seconds} seconds",
        try_again_in: "Try again in {seconds} seconds.",
        guid_empty: "the value is empty",
        guid_too_long: "the value is {n} characters long; a GUID has at most 48",
        guid_bad_encoding: "its percent-encoding is broken",
        guid_unbalanced_braces: "it has an opening brace without a closing one, or the reverse",
        guid_wrong_digit_count: "it has {n} hex digits; a GUID has 32",
        guid_invalid_character: "it contains '{c}', which is not a hex digit",
        guid_misplaced_hyphens: "its hyphens are misplaced; a GUID has 8-4-4-4-12 digits",
        check_data: "Check the application tab template's data parameter",
        url_too_long: "The pane's address is too long",
        url_too_long_hint: "It has {length} bytes; the pane reads at most {max}. Pass only customerId, customerName and customerType in the tab template's data parameter.",
        unfilled: "The workspace did not fill {parameter}",
        unfilled_hint: "{check_data}: the slug {slug} has no value for this session.",
        invalid_guid: "{parameter} is not a valid GUID",
        invalid_guid_hint: "{parameter}: {reason}. {check_data}, e.g. customerId={anchor._customerid_value}.",
        conflict: "{parameter} is given twice with different values",
        conflict_hint: "Give it once: in the address or inside the data parameter, not both.",
        name_too_long: "customerName is too long",
        name_too_long_hint: "A customer name has at most {max} characters. {check_data}: customerName should be the customer's name slug.",
        invalid_type: "customerType “{value}” is not known",
        invalid_type_hint: "Use account or contact, or leave customerType out.",
        bad_data: "The data parameter is not valid JSON",
        bad_data_hint: "{reason}. {check_data}, or pass a query string such as customerId=…&customerName=…",
        config_bad_json: "The pane's configuration file can't be read",
        config_bad_json_hint: "{reason}. Fix the JSON, or remove the file to use the defaults.",
        config_timeout: "requestTimeoutMs is out of range",
        config_timeout_hint: "It is {value}; use a value from {min} to {max} milliseconds.",
        config_api_base: "apiBase can't be used",
        config_api_base_hint: "“{value}” is neither a path such as /api nor an http(s) URL.",
    },
    plurals: Plurals {
        open_deals,
        customers_found,
        ago,
        updated_ago,
        close_timing,
    },
};

fn open_deals(count: usize) -> String {
    match count {
        1 => "1 open deal".to_owned(),
        n => format!("{n} open deals"),
    }
}

fn ago(age: Age) -> String {
    match age {
        Age::JustNow => "just now".to_owned(),
        Age::Minutes(n) => format!("{n} min ago"),
        Age::Hours(n) => format!("{n} h ago"),
        Age::Days(1) => "1 day ago".to_owned(),
        Age::Days(n) => format!("{n} days ago"),
    }
}

fn updated_ago(age: Age) -> String {
    format!("Updated {}", ago(age))
}

fn close_timing(timing: CloseTiming) -> String {
    match timing {
        CloseTiming::Today => "today".to_owned(),
        CloseTiming::InDays(1) => "in 1 day".to_owned(),
        CloseTiming::InDays(n) => format!("in {n} days"),
        CloseTiming::Overdue(1) => "overdue by 1 day".to_owned(),
        CloseTiming::Overdue(n) => format!("overdue by {n} days"),
    }
}

fn customers_found(count: usize) -> String {
    match count {
        1 => "1 customer found".to_owned(),
        n => format!("{n} customers found"),
    }
}
