//! German.

use super::{Lang, Plurals, Strings, Templates};
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
    templates: Templates {
        filtered_count: "{shown} von {total} Verkaufschancen",
        open_in_sales_label: "{name} in Sales öffnen {new_tab}",
        chart_currency_note: "Beträge in {currency}; Verkaufschancen in anderen Währungen fehlen im Diagramm.",
        no_customers: "Kein Kunde passt zu „{query}“",
        no_search_results: "Keine Verkaufschance passt zu „{query}“",
        timed_out: "Der Dienst hat nicht innerhalb von {seconds} Sekunden geantwortet",
        try_again_in: "Versuchen Sie es in {seconds} Sekunden erneut.",
        guid_empty: "der Wert ist leer",
        guid_too_long: "der Wert ist {n} Zeichen lang; eine GUID hat höchstens 48",
        guid_bad_encoding: "die Prozentkodierung ist fehlerhaft",
        guid_unbalanced_braces: "eine geschweifte Klammer ist nicht geschlossen oder nicht geöffnet",
        guid_wrong_digit_count: "der Wert hat {n} Hexadezimalziffern; eine GUID hat 32",
        guid_invalid_character: "der Wert enthält '{c}', keine Hexadezimalziffer",
        guid_misplaced_hyphens: "die Bindestriche stehen falsch; eine GUID hat 8-4-4-4-12 Ziffern",
        check_data: "Prüfen Sie den Parameter „data“ der Anwendungsregistervorlage",
        url_too_long: "Die Adresse des Bereichs ist zu lang",
        url_too_long_hint: "Sie hat {length} Bytes; der Bereich liest höchstens {max}. Übergeben Sie im Parameter „data“ der Registervorlage nur customerId, customerName und customerType.",
        unfilled: "Der Arbeitsbereich hat {parameter} nicht ausgefüllt",
        unfilled_hint: "{check_data}: Der Platzhalter {slug} hat in dieser Sitzung keinen Wert.",
        invalid_guid: "{parameter} ist keine gültige GUID",
        invalid_guid_hint: "{parameter}: {reason}. {check_data}, z. B. customerId={anchor._customerid_value}.",
        conflict: "{parameter} ist zweimal mit verschiedenen Werten angegeben",
        conflict_hint: "Geben Sie den Wert nur einmal an: in der Adresse oder im Parameter „data“, nicht in beiden.",
        name_too_long: "customerName ist zu lang",
        name_too_long_hint: "Ein Kundenname hat höchstens {max} Zeichen. {check_data}: customerName sollte der Platzhalter für den Kundennamen sein.",
        invalid_type: "customerType „{value}“ ist unbekannt",
        invalid_type_hint: "Verwenden Sie account oder contact, oder lassen Sie customerType weg.",
        bad_data: "Der Parameter „data“ ist kein gültiges JSON",
        bad_data_hint: "{reason}. {check_data}, oder übergeben Sie eine Abfragezeichenfolge wie customerId=…&customerName=…",
        config_bad_json: "Die Konfigurationsdatei des Bereichs ist nicht lesbar",
        config_bad_json_hint: "{reason}. Korrigieren Sie das JSON oder entfernen Sie die Datei, um die Standardwerte zu verwenden.",
        config_timeout: "requestTimeoutMs liegt außerhalb des zulässigen Bereichs",
        config_timeout_hint: "Der Wert ist {value}; verwenden Sie {min} bis {max} Millisekunden.",
        config_api_base: "apiBase ist nicht verwendbar",
        config_api_base_hint: "„{value}“ ist weder ein Pfad wie /api noch eine http(s)-URL.",
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
        1 => "1 offene Verkaufschance".to_owned(),
        n => format!("{n} offene Verkaufschancen"),
    }
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

fn customers_found(count: usize) -> String {
    match count {
        1 => "1 Kunde gefunden".to_owned(),
        n => format!("{n} Kunden gefunden"),
    }
}
