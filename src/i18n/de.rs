//! German.

use dealpane_contract::GuidError;

use super::{Lang, Phrases, Strings};
use crate::config::WidgetConfigError;
use crate::context::{ContextError, QUERY_MAX_BYTES};
use crate::format::{Age, CloseTiming};

pub static STRINGS: Strings = Strings {
    lang: Lang::De,
    rtl: false,
    title: "Offene Verkaufschancen",
    open_value: "Offener Wert",
    weighted_value: "Gewichteter Wert",
    weighted_value_hint: "Wert jeder Verkaufschance × ihre Wahrscheinlichkeit",
    refresh: "Aktualisieren",
    refreshing: "Wird aktualisiert…",
    matched_by_name: "In Sales über den Namen gefunden: Die IDs unterscheiden sich zwischen den Umgebungen",
    sample_data: "Beispieldaten",
    deals_label: "Verkaufschancen",
    loading: "Verkaufschancen werden geladen…",
    empty: "Keine offenen Verkaufschancen für diesen Kunden",
    empty_hint: "Gewonnene und verlorene Verkaufschancen werden nicht angezeigt.",
    not_found: "Dieser Kunde wurde in Sales nicht gefunden",
    not_found_hint: "Sales ist eine eigene Umgebung: Der Bereich hat nach der ID des Kunden und dann nach seinem Namen gesucht. Prüfen Sie, ob der Kunde in Sales unter demselben Namen existiert.",
    no_customer: "Kein Kunde in dieser Sitzung",
    no_customer_hint: "Öffnen Sie einen Fall oder eine Unterhaltung mit einem Kunden. Ist einer geöffnet, bitten Sie Ihren Administrator, den Parameter „data“ der Anwendungsregistervorlage zu prüfen.",
    label_value: "Wert",
    label_stage: "Phase",
    label_probability: "Wahrscheinlichkeit",
    label_close_date: "Abschlussdatum",
    label_owner: "Besitzer",
    label_forecast: "Prognosekategorie",
    no_stage: "Keine Phase",
    no_value: "Kein Wert",
    no_close_date: "Kein Abschlussdatum",
    summary_label: "KI-Zusammenfassung",
    ai_disclaimer: "KI-generierte Inhalte können falsch sein.",
    summary_unavailable: "Zusammenfassung gerade nicht verfügbar; aktualisieren Sie, um es erneut zu versuchen.",
    summary_disabled: "Zusammenfassungen wurden von Ihrem Administrator deaktiviert.",
    show_more: "Mehr anzeigen",
    show_less: "Weniger anzeigen",
    open_in_sales: "In Sales öffnen",
    opens_in_new_tab: "(öffnet in einem neuen Tab)",
    copy_summary: "Zusammenfassung kopieren",
    copy_deal_link: "Link zur Verkaufschance kopieren",
    copied: "Kopiert",
    copy_fallback: "Automatisches Kopieren nicht möglich: Der Text ist markiert, drücken Sie Strg+C",
    forecast_pipeline: "Pipeline",
    forecast_best_case: "Bester Fall",
    forecast_committed: "Zugesagt",
    forecast_omitted: "Ausgelassen",
    forecast_won: "Gewonnen",
    forecast_lost: "Verloren",
    forecast_other: "Sonstige",
    chart_title: "Pipeline nach Phase",
    chart_empty: "Kein offener Wert für das Diagramm.",
    search_label: "Verkaufschancen filtern",
    search_placeholder: "Name, Phase oder Besitzer",
    search_hint: "Tippen Sie, um die Verkaufschancen zu filtern; Esc leert den Filter.",
    search_clear: "Filter löschen",
    error_title: "Verkaufschancen konnten nicht geladen werden",
    retry: "Wiederholen",
    retry_hint: "Versuchen Sie es erneut. Schlägt es weiter fehl, geben Sie Ihrem Administrator die Ablaufverfolgungs-ID.",
    trace_id: "Ablaufverfolgungs-ID",
    copy_trace_id: "Ablaufverfolgungs-ID kopieren",
    offline_title: "Sie sind offline",
    offline_hint: "Die Verkaufschancen werden wieder geladen, sobald die Verbindung besteht.",
    network_error: "Der Dienst für Verkaufschancen ist nicht erreichbar",
    network_error_hint: "Prüfen Sie Ihre Verbindung und versuchen Sie es erneut. Schlägt es weiter fehl, informieren Sie Ihren Administrator.",
    bad_response: "Der Dienst hat eine Antwort gesendet, die der Bereich nicht lesen kann",
    bad_response_hint: "Informieren Sie Ihren Administrator: Dienst und Bereich haben möglicherweise verschiedene Versionen.",
    refused: "Der Dienst hat die Anfrage abgelehnt",
    refused_hint: "Prüfen Sie die Kundenparameter der Anwendungsregistervorlage; die Ablaufverfolgungs-ID hilft Ihrem Administrator.",
    not_allowed: "Der Bereich darf den Dienst nicht aufrufen",
    not_allowed_hint: "Bitten Sie Ihren Administrator, den Funktionsschlüssel in der Konfiguration des Bereichs zu prüfen.",
    busy: "Der Dienst ist ausgelastet",
    busy_hint: "Versuchen Sie es gleich noch einmal.",
    upstream_failed: "Sales hat nicht korrekt geantwortet",
    upstream_timed_out: "Sales hat zu lange für die Antwort gebraucht",
    plain_text_title: "Zusammenfassung der wichtigsten offenen Verkaufschance",
    plain_text_hint: "Der Dienst hat nur Text geliefert, daher zeigt der Bereich die Zusammenfassung der wichtigsten Verkaufschance.",
    customer_search_label: "Kunden suchen",
    customer_search_placeholder: "Kundenname",
    customer_search_hint: "Geben Sie einen Teil des Namens ein; wählen Sie mit den Pfeiltasten und der Eingabetaste, Esc schließt die Liste.",
    customer_search_failed: "Die Kundensuche ist gerade nicht möglich; versuchen Sie es gleich noch einmal.",
    customer_search_start: "Suchen Sie oben einen Kunden, um seine offenen Verkaufschancen zu sehen.",
    customer_account: "Firma",
    customer_contact: "Kontakt",
    phrases: Phrases {
        open_deals,
        filtered_count,
        ago,
        updated_ago,
        close_timing,
        open_in_sales_label,
        chart_currency_note,
        customers_found,
        no_customers,
        no_search_results,
        timed_out,
        try_again_in,
        guid_reason,
        context_error,
        config_error,
    },
};

fn open_deals(count: usize) -> String {
    match count {
        1 => "1 offene Verkaufschance".to_owned(),
        n => format!("{n} offene Verkaufschancen"),
    }
}

fn filtered_count(shown: usize, total: usize) -> String {
    format!("{shown} von {total} Verkaufschancen")
}

fn ago(age: Age) -> String {
    match age {
        Age::JustNow => "gerade eben".to_owned(),
        Age::Minutes(n) => format!("vor {n} Min."),
        Age::Hours(n) => format!("vor {n} Std."),
        Age::Days(1) => "vor 1 Tag".to_owned(),
        Age::Days(n) => format!("vor {n} Tagen"),
    }
}

fn updated_ago(age: Age) -> String {
    match age {
        Age::JustNow => "Gerade eben aktualisiert".to_owned(),
        age => format!("Aktualisiert {}", ago(age)),
    }
}

fn close_timing(timing: CloseTiming) -> String {
    match timing {
        CloseTiming::Today => "heute".to_owned(),
        CloseTiming::InDays(1) => "in 1 Tag".to_owned(),
        CloseTiming::InDays(n) => format!("in {n} Tagen"),
        CloseTiming::Overdue(1) => "1 Tag überfällig".to_owned(),
        CloseTiming::Overdue(n) => format!("{n} Tage überfällig"),
    }
}

fn open_in_sales_label(deal_name: &str) -> String {
    format!("{deal_name} in Sales öffnen {}", STRINGS.opens_in_new_tab)
}

fn chart_currency_note(currency: &str) -> String {
    format!("Beträge in {currency}; Verkaufschancen in anderen Währungen fehlen im Diagramm.")
}

fn customers_found(count: usize) -> String {
    match count {
        1 => "1 Kunde gefunden".to_owned(),
        n => format!("{n} Kunden gefunden"),
    }
}

fn no_customers(query: &str) -> String {
    format!("Kein Kunde passt zu „{query}“")
}

fn no_search_results(query: &str) -> String {
    format!("Keine Verkaufschance passt zu „{query}“")
}

fn timed_out(seconds: u32) -> String {
    format!("Der Dienst hat nicht innerhalb von {seconds} Sekunden geantwortet")
}

fn try_again_in(seconds: u32) -> String {
    format!("Versuchen Sie es in {seconds} Sekunden erneut.")
}

fn guid_reason(reason: &GuidError) -> String {
    match reason {
        GuidError::Empty => "der Wert ist leer".to_owned(),
        GuidError::TooLong(n) => {
            format!("der Wert ist {n} Zeichen lang; eine GUID hat höchstens 48")
        }
        GuidError::BadEncoding => "die Prozentkodierung ist fehlerhaft".to_owned(),
        GuidError::UnbalancedBraces => {
            "eine geschweifte Klammer ist nicht geschlossen oder nicht geöffnet".to_owned()
        }
        GuidError::WrongDigitCount(n) => {
            format!("der Wert hat {n} Hexadezimalziffern; eine GUID hat 32")
        }
        GuidError::InvalidCharacter(c) => {
            format!("der Wert enthält '{c}', keine Hexadezimalziffer")
        }
        GuidError::MisplacedHyphens => {
            "die Bindestriche stehen falsch; eine GUID hat 8-4-4-4-12 Ziffern".to_owned()
        }
    }
}

fn context_error(error: &ContextError) -> (String, String) {
    let check_data = "Prüfen Sie den Parameter „data“ der Anwendungsregistervorlage";
    match error {
        ContextError::TooLong { length } => (
            "Die Adresse des Bereichs ist zu lang".to_owned(),
            format!("Sie hat {length} Bytes; der Bereich liest höchstens {QUERY_MAX_BYTES}. Übergeben Sie im Parameter „data“ der Registervorlage nur customerId, customerName und customerType."),
        ),
        ContextError::Unfilled { parameter, slug } => (
            format!("Der Arbeitsbereich hat {parameter} nicht ausgefüllt"),
            format!("{check_data}: Der Platzhalter {slug} hat in dieser Sitzung keinen Wert."),
        ),
        ContextError::InvalidGuid { parameter, reason } => (
            format!("{parameter} ist keine gültige GUID"),
            format!("{parameter}: {}. {check_data}, z. B. customerId={{anchor._customerid_value}}.", guid_reason(reason)),
        ),
        ContextError::Conflict { parameter } => (
            format!("{parameter} ist zweimal mit verschiedenen Werten angegeben"),
            "Geben Sie den Wert nur einmal an: in der Adresse oder im Parameter „data“, nicht in beiden.".to_owned(),
        ),
        ContextError::NameTooLong { max } => (
            "customerName ist zu lang".to_owned(),
            format!("Ein Kundenname hat höchstens {max} Zeichen. {check_data}: customerName sollte der Platzhalter für den Kundennamen sein."),
        ),
        ContextError::InvalidType { value } => (
            format!("customerType „{value}“ ist unbekannt"),
            "Verwenden Sie account oder contact, oder lassen Sie customerType weg.".to_owned(),
        ),
        ContextError::BadData { reason } => (
            "Der Parameter „data“ ist kein gültiges JSON".to_owned(),
            format!("{reason}. {check_data}, oder übergeben Sie eine Abfragezeichenfolge wie customerId=…&customerName=…"),
        ),
    }
}

fn config_error(error: &WidgetConfigError) -> (String, String) {
    match error {
        WidgetConfigError::BadJson { reason } => (
            "Die Konfigurationsdatei des Bereichs ist nicht lesbar".to_owned(),
            format!("{reason}. Korrigieren Sie das JSON oder entfernen Sie die Datei, um die Standardwerte zu verwenden."),
        ),
        WidgetConfigError::TimeoutOutOfRange { value, min, max } => (
            "requestTimeoutMs liegt außerhalb des zulässigen Bereichs".to_owned(),
            format!("Der Wert ist {value}; verwenden Sie {min} bis {max} Millisekunden."),
        ),
        WidgetConfigError::BadApiBase { value } => (
            "apiBase ist nicht verwendbar".to_owned(),
            format!("„{value}“ ist weder ein Pfad wie /api noch eine http(s)-URL."),
        ),
    }
}
