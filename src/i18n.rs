//! Every user-facing string of the pane, in English, German and French. Nothing else in the
//! widget holds words a user reads: components take them from here.
//!
//! Use: `let locale = choose_locale(ctx_lang.as_deref(), &navigator_languages);` then
//! `let s = locale.strings();` and `s.title`, `s.open_deals(3)`, `s.close_timing(t)`,
//! `s.context_error(&e)` → `(title, what to do)`. Set `<html lang={locale.lang.code()}
//! dir={locale.dir()}>` and hand `locale.tag` to `format::intl` for numbers and dates.
//! Right-to-left languages (`ar`, `he`, `fa`, `ur`) get English text in a mirrored layout, with
//! their own number and date formats.

use dealpane_contract::{CustomerType, ForecastCategory, GuidError};

use crate::config::ConfigError;
use crate::context::{ContextError, QUERY_MAX_BYTES};
use crate::format::{Age, CloseTiming};

/// The languages the pane has words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
    Fr,
}

impl Lang {
    /// The ISO 639-1 code, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
        }
    }

    /// The language of a BCP 47 tag (`de-AT` → `De`), if the pane has its words.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match primary_subtag(tag).as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }
}

/// The pane's language and the formatting locale for `Intl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    pub lang: Lang,
    /// BCP 47, e.g. `de-DE`, for `Intl` (numbers, dates); may name a language `lang` is not.
    pub tag: String,
    /// Lay the pane out right to left.
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

const RTL_LANGUAGES: [&str; 5] = ["ar", "he", "iw", "fa", "ur"];

fn primary_subtag(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
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
/// The first usable tag sets the formatting locale and the direction; the words come from it
/// when the pane has them, else from the next browser language it has, else English.
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
    let rtl = RTL_LANGUAGES.contains(&primary_subtag(first).as_str());
    let lang = if rtl {
        Lang::En
    } else {
        candidates
            .iter()
            .find_map(|tag| Lang::from_tag(tag))
            .unwrap_or(Lang::En)
    };
    Locale {
        lang,
        tag: first.clone(),
        rtl,
    }
}

/// The words of one language. Fixed texts are fields; texts with numbers or names are methods.
#[derive(Debug)]
pub struct Strings {
    pub lang: Lang,
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
}

/// The words for `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::En => &EN,
        Lang::De => &DE,
        Lang::Fr => &FR,
    }
}

/// Picks the text for `lang` among the three translations.
fn pick<T>(lang: Lang, en: T, de: T, fr: T) -> T {
    match lang {
        Lang::En => en,
        Lang::De => de,
        Lang::Fr => fr,
    }
}

impl Strings {
    fn pick<T>(&self, en: T, de: T, fr: T) -> T {
        pick(self.lang, en, de, fr)
    }

    /// "1 open deal", "3 open deals".
    pub fn open_deals(&self, count: usize) -> String {
        match (self.lang, count) {
            (Lang::En, 1) => "1 open deal".to_owned(),
            (Lang::En, n) => format!("{n} open deals"),
            (Lang::De, 1) => "1 offene Verkaufschance".to_owned(),
            (Lang::De, n) => format!("{n} offene Verkaufschancen"),
            (Lang::Fr, n @ (0 | 1)) => format!("{n} opportunité ouverte"),
            (Lang::Fr, n) => format!("{n} opportunités ouvertes"),
        }
    }

    /// "3 of 7 deals" — the search box's live count.
    pub fn filtered_count(&self, shown: usize, total: usize) -> String {
        match self.lang {
            Lang::En => format!("{shown} of {total} deals"),
            Lang::De => format!("{shown} von {total} Verkaufschancen"),
            Lang::Fr => format!("{shown} sur {total} opportunités"),
        }
    }

    /// "2 min ago", "3 days ago".
    pub fn ago(&self, age: Age) -> String {
        match (self.lang, age) {
            (Lang::En, Age::JustNow) => "just now".to_owned(),
            (Lang::En, Age::Minutes(n)) => format!("{n} min ago"),
            (Lang::En, Age::Hours(n)) => format!("{n} h ago"),
            (Lang::En, Age::Days(1)) => "1 day ago".to_owned(),
            (Lang::En, Age::Days(n)) => format!("{n} days ago"),
            (Lang::De, Age::JustNow) => "gerade eben".to_owned(),
            (Lang::De, Age::Minutes(n)) => format!("vor {n} Min."),
            (Lang::De, Age::Hours(n)) => format!("vor {n} Std."),
            (Lang::De, Age::Days(1)) => "vor 1 Tag".to_owned(),
            (Lang::De, Age::Days(n)) => format!("vor {n} Tagen"),
            (Lang::Fr, Age::JustNow) => "à l’instant".to_owned(),
            (Lang::Fr, Age::Minutes(n)) => format!("il y a {n} min"),
            (Lang::Fr, Age::Hours(n)) => format!("il y a {n} h"),
            (Lang::Fr, Age::Days(n @ (0 | 1))) => format!("il y a {n} jour"),
            (Lang::Fr, Age::Days(n)) => format!("il y a {n} jours"),
        }
    }

    /// "Updated 2 min ago".
    pub fn updated_ago(&self, age: Age) -> String {
        match self.lang {
            Lang::En => format!("Updated {}", self.ago(age)),
            Lang::De if age == Age::JustNow => "Gerade eben aktualisiert".to_owned(),
            Lang::De => format!("Aktualisiert {}", self.ago(age)),
            Lang::Fr => format!("Mis à jour {}", self.ago(age)),
        }
    }

    /// "today", "in 12 days", "overdue by 3 days" (next to the close date).
    pub fn close_timing(&self, timing: CloseTiming) -> String {
        match (self.lang, timing) {
            (Lang::En, CloseTiming::Today) => "today".to_owned(),
            (Lang::En, CloseTiming::InDays(1)) => "in 1 day".to_owned(),
            (Lang::En, CloseTiming::InDays(n)) => format!("in {n} days"),
            (Lang::En, CloseTiming::Overdue(1)) => "overdue by 1 day".to_owned(),
            (Lang::En, CloseTiming::Overdue(n)) => format!("overdue by {n} days"),
            (Lang::De, CloseTiming::Today) => "heute".to_owned(),
            (Lang::De, CloseTiming::InDays(1)) => "in 1 Tag".to_owned(),
            (Lang::De, CloseTiming::InDays(n)) => format!("in {n} Tagen"),
            (Lang::De, CloseTiming::Overdue(1)) => "1 Tag überfällig".to_owned(),
            (Lang::De, CloseTiming::Overdue(n)) => format!("{n} Tage überfällig"),
            (Lang::Fr, CloseTiming::Today) => "aujourd’hui".to_owned(),
            (Lang::Fr, CloseTiming::InDays(n @ (0 | 1))) => format!("dans {n} jour"),
            (Lang::Fr, CloseTiming::InDays(n)) => format!("dans {n} jours"),
            (Lang::Fr, CloseTiming::Overdue(n @ (0 | 1))) => format!("en retard de {n} jour"),
            (Lang::Fr, CloseTiming::Overdue(n)) => format!("en retard de {n} jours"),
        }
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

    /// The accessible name of a deal's "Open in Sales" link.
    pub fn open_in_sales_label(&self, deal_name: &str) -> String {
        match self.lang {
            Lang::En => format!("Open {deal_name} in Sales {}", self.opens_in_new_tab),
            Lang::De => format!("{deal_name} in Sales öffnen {}", self.opens_in_new_tab),
            Lang::Fr => format!("Ouvrir {deal_name} dans Sales {}", self.opens_in_new_tab),
        }
    }

    /// The chart's text alternative from `(stage label, formatted amount)` bars, in order.
    pub fn chart_description(&self, bars: &[(String, String)]) -> String {
        if bars.is_empty() {
            return self
                .pick(
                    "No open value to chart.",
                    "Kein offener Wert für das Diagramm.",
                    "Aucune valeur ouverte à représenter.",
                )
                .to_owned();
        }
        let list = bars
            .iter()
            .map(|(stage, amount)| format!("{stage}: {amount}"))
            .collect::<Vec<_>>()
            .join("; ");
        format!("{}. {list}.", self.chart_title)
    }

    /// Under the chart when deals in other currencies are left out of it.
    pub fn chart_currency_note(&self, currency: &str) -> String {
        match self.lang {
            Lang::En => format!("Amounts in {currency}; deals in other currencies are not charted."),
            Lang::De => format!("Beträge in {currency}; Verkaufschancen in anderen Währungen fehlen im Diagramm."),
            Lang::Fr => format!("Montants en {currency} ; les opportunités dans d’autres devises ne sont pas représentées."),
        }
    }

    /// "No deals match “espresso”".
    pub fn customers_found(&self, count: usize) -> String {
        match (self.lang, count) {
            (Lang::En, 1) => "1 customer found".to_owned(),
            (Lang::En, n) => format!("{n} customers found"),
            (Lang::De, 1) => "1 Kunde gefunden".to_owned(),
            (Lang::De, n) => format!("{n} Kunden gefunden"),
            (Lang::Fr, n @ (0 | 1)) => format!("{n} client trouvé"),
            (Lang::Fr, n) => format!("{n} clients trouvés"),
        }
    }

    pub fn no_customers(&self, query: &str) -> String {
        match self.lang {
            Lang::En => format!("No customer matches “{query}”"),
            Lang::De => format!("Kein Kunde passt zu „{query}“"),
            Lang::Fr => format!("Aucun client ne correspond à « {query} »"),
        }
    }

    pub fn customer_kind(&self, kind: CustomerType) -> &'static str {
        match kind {
            CustomerType::Account => self.customer_account,
            CustomerType::Contact => self.customer_contact,
        }
    }

    pub fn no_search_results(&self, query: &str) -> String {
        match self.lang {
            Lang::En => format!("No deals match “{query}”"),
            Lang::De => format!("Keine Verkaufschance passt zu „{query}“"),
            Lang::Fr => format!("Aucune opportunité ne correspond à « {query} »"),
        }
    }

    /// (title, what to do) when the pane's own request timed out after `seconds`.
    pub fn timeout(&self, seconds: u32) -> (String, String) {
        match self.lang {
            Lang::En => (
                format!("The deals service did not answer within {seconds} seconds"),
                self.retry_hint.to_owned(),
            ),
            Lang::De => (
                format!("Der Dienst hat nicht innerhalb von {seconds} Sekunden geantwortet"),
                self.retry_hint.to_owned(),
            ),
            Lang::Fr => (
                format!("Le service n’a pas répondu en {seconds} secondes"),
                self.retry_hint.to_owned(),
            ),
        }
    }

    /// (title, what to do) for an API error status (404 is "customer not found").
    /// `retry_after` is the 429's `Retry-After` in seconds.
    pub fn problem(&self, status: u16, retry_after: Option<u32>) -> (String, String) {
        let retry = self.retry_hint.to_owned();
        let (title, action) = match status {
            400 => (
                self.pick(
                    "The deals service refused the request",
                    "Der Dienst hat die Anfrage abgelehnt",
                    "Le service a refusé la requête",
                ),
                self.pick(
                    "Check the customer parameters of the application tab template; the trace ID helps your admin.",
                    "Prüfen Sie die Kundenparameter der Anwendungsregistervorlage; die Ablaufverfolgungs-ID hilft Ihrem Administrator.",
                    "Vérifiez les paramètres client du modèle d’onglet d’application ; l’ID de trace aide votre administrateur.",
                )
                .to_owned(),
            ),
            401 | 403 => (
                self.pick(
                    "The pane is not allowed to call the deals service",
                    "Der Bereich darf den Dienst nicht aufrufen",
                    "Le volet n’est pas autorisé à appeler le service",
                ),
                self.pick(
                    "Ask your admin to check the function key in the pane's configuration.",
                    "Bitten Sie Ihren Administrator, den Funktionsschlüssel in der Konfiguration des Bereichs zu prüfen.",
                    "Demandez à votre administrateur de vérifier la clé de fonction dans la configuration du volet.",
                )
                .to_owned(),
            ),
            404 => (self.not_found, self.not_found_hint.to_owned()),
            429 => (
                self.pick(
                    "The deals service is busy",
                    "Der Dienst ist ausgelastet",
                    "Le service est surchargé",
                ),
                match (self.lang, retry_after) {
                    (Lang::En, Some(n)) => format!("Try again in {n} seconds."),
                    (Lang::De, Some(n)) => format!("Versuchen Sie es in {n} Sekunden erneut."),
                    (Lang::Fr, Some(n)) => format!("Réessayez dans {n} secondes."),
                    (_, None) => self
                        .pick(
                            "Try again in a moment.",
                            "Versuchen Sie es gleich noch einmal.",
                            "Réessayez dans un instant.",
                        )
                        .to_owned(),
                },
            ),
            502 => (
                self.pick(
                    "Sales did not answer correctly",
                    "Sales hat nicht korrekt geantwortet",
                    "Sales n’a pas répondu correctement",
                ),
                retry,
            ),
            504 => (
                self.pick(
                    "Sales took too long to answer",
                    "Sales hat zu lange für die Antwort gebraucht",
                    "Sales a mis trop de temps à répondre",
                ),
                retry,
            ),
            _ => (self.error_title, retry),
        };
        (title.to_owned(), action)
    }

    /// Why a GUID was refused, as a clause for [`Strings::context_error`].
    pub fn guid_reason(&self, reason: &GuidError) -> String {
        match (self.lang, reason) {
            (Lang::En, GuidError::Empty) => "the value is empty".to_owned(),
            (Lang::En, GuidError::TooLong(n)) => {
                format!("the value is {n} characters long; a GUID has at most 48")
            }
            (Lang::En, GuidError::BadEncoding) => "its percent-encoding is broken".to_owned(),
            (Lang::En, GuidError::UnbalancedBraces) => {
                "it has an opening brace without a closing one, or the reverse".to_owned()
            }
            (Lang::En, GuidError::WrongDigitCount(n)) => {
                format!("it has {n} hex digits; a GUID has 32")
            }
            (Lang::En, GuidError::InvalidCharacter(c)) => {
                format!("it contains '{c}', which is not a hex digit")
            }
            (Lang::En, GuidError::MisplacedHyphens) => {
                "its hyphens are misplaced; a GUID has 8-4-4-4-12 digits".to_owned()
            }
            (Lang::De, GuidError::Empty) => "der Wert ist leer".to_owned(),
            (Lang::De, GuidError::TooLong(n)) => {
                format!("der Wert ist {n} Zeichen lang; eine GUID hat höchstens 48")
            }
            (Lang::De, GuidError::BadEncoding) => "die Prozentkodierung ist fehlerhaft".to_owned(),
            (Lang::De, GuidError::UnbalancedBraces) => {
                "eine geschweifte Klammer ist nicht geschlossen oder nicht geöffnet".to_owned()
            }
            (Lang::De, GuidError::WrongDigitCount(n)) => {
                format!("der Wert hat {n} Hexadezimalziffern; eine GUID hat 32")
            }
            (Lang::De, GuidError::InvalidCharacter(c)) => {
                format!("der Wert enthält '{c}', keine Hexadezimalziffer")
            }
            (Lang::De, GuidError::MisplacedHyphens) => {
                "die Bindestriche stehen falsch; eine GUID hat 8-4-4-4-12 Ziffern".to_owned()
            }
            (Lang::Fr, GuidError::Empty) => "la valeur est vide".to_owned(),
            (Lang::Fr, GuidError::TooLong(n)) => {
                format!("la valeur compte {n} caractères ; un GUID en a au plus 48")
            }
            (Lang::Fr, GuidError::BadEncoding) => {
                "son encodage en pourcentage est incorrect".to_owned()
            }
            (Lang::Fr, GuidError::UnbalancedBraces) => {
                "une accolade ouvrante n’a pas de fermante, ou l’inverse".to_owned()
            }
            (Lang::Fr, GuidError::WrongDigitCount(n)) => {
                format!("elle contient {n} chiffres hexadécimaux ; un GUID en a 32")
            }
            (Lang::Fr, GuidError::InvalidCharacter(c)) => {
                format!("elle contient '{c}', qui n’est pas un chiffre hexadécimal")
            }
            (Lang::Fr, GuidError::MisplacedHyphens) => {
                "ses tirets sont mal placés ; un GUID a 8-4-4-4-12 chiffres".to_owned()
            }
        }
    }

    /// (title, what to do) for an admin when the pane's URL cannot be used.
    pub fn context_error(&self, error: &ContextError) -> (String, String) {
        let check_data = self.pick(
            "Check the application tab template's data parameter",
            "Prüfen Sie den Parameter „data“ der Anwendungsregistervorlage",
            "Vérifiez le paramètre data du modèle d’onglet d’application",
        );
        match (self.lang, error) {
            (Lang::En, ContextError::TooLong { length }) => (
                "The pane's address is too long".to_owned(),
                format!("It has {length} bytes; the pane reads at most {QUERY_MAX_BYTES}. Pass only customerId, customerName and customerType in the tab template's data parameter."),
            ),
            (Lang::De, ContextError::TooLong { length }) => (
                "Die Adresse des Bereichs ist zu lang".to_owned(),
                format!("Sie hat {length} Bytes; der Bereich liest höchstens {QUERY_MAX_BYTES}. Übergeben Sie im Parameter „data“ der Registervorlage nur customerId, customerName und customerType."),
            ),
            (Lang::Fr, ContextError::TooLong { length }) => (
                "L’adresse du volet est trop longue".to_owned(),
                format!("Elle compte {length} octets ; le volet en lit au plus {QUERY_MAX_BYTES}. Ne passez que customerId, customerName et customerType dans le paramètre data du modèle d’onglet."),
            ),
            (Lang::En, ContextError::Unfilled { parameter, slug }) => (
                format!("The workspace did not fill {parameter}"),
                format!("{check_data}: the slug {slug} has no value for this session."),
            ),
            (Lang::De, ContextError::Unfilled { parameter, slug }) => (
                format!("Der Arbeitsbereich hat {parameter} nicht ausgefüllt"),
                format!("{check_data}: Der Platzhalter {slug} hat in dieser Sitzung keinen Wert."),
            ),
            (Lang::Fr, ContextError::Unfilled { parameter, slug }) => (
                format!("L’espace de travail n’a pas renseigné {parameter}"),
                format!("{check_data} : le slug {slug} n’a pas de valeur pour cette session."),
            ),
            (Lang::En, ContextError::InvalidGuid { parameter, reason }) => (
                format!("{parameter} is not a valid GUID"),
                format!("{}: {}. {check_data}, e.g. customerId={{anchor._customerid_value}}.", parameter, self.guid_reason(reason)),
            ),
            (Lang::De, ContextError::InvalidGuid { parameter, reason }) => (
                format!("{parameter} ist keine gültige GUID"),
                format!("{}: {}. {check_data}, z. B. customerId={{anchor._customerid_value}}.", parameter, self.guid_reason(reason)),
            ),
            (Lang::Fr, ContextError::InvalidGuid { parameter, reason }) => (
                format!("{parameter} n’est pas un GUID valide"),
                format!("{} : {}. {check_data}, par exemple customerId={{anchor._customerid_value}}.", parameter, self.guid_reason(reason)),
            ),
            (Lang::En, ContextError::Conflict { parameter }) => (
                format!("{parameter} is given twice with different values"),
                "Give it once: in the address or inside the data parameter, not both.".to_owned(),
            ),
            (Lang::De, ContextError::Conflict { parameter }) => (
                format!("{parameter} ist zweimal mit verschiedenen Werten angegeben"),
                "Geben Sie den Wert nur einmal an: in der Adresse oder im Parameter „data“, nicht in beiden.".to_owned(),
            ),
            (Lang::Fr, ContextError::Conflict { parameter }) => (
                format!("{parameter} est indiqué deux fois avec des valeurs différentes"),
                "Indiquez-le une seule fois : dans l’adresse ou dans le paramètre data, pas les deux.".to_owned(),
            ),
            (Lang::En, ContextError::NameTooLong { max }) => (
                "customerName is too long".to_owned(),
                format!("A customer name has at most {max} characters. {check_data}: customerName should be the customer's name slug."),
            ),
            (Lang::De, ContextError::NameTooLong { max }) => (
                "customerName ist zu lang".to_owned(),
                format!("Ein Kundenname hat höchstens {max} Zeichen. {check_data}: customerName sollte der Platzhalter für den Kundennamen sein."),
            ),
            (Lang::Fr, ContextError::NameTooLong { max }) => (
                "customerName est trop long".to_owned(),
                format!("Un nom de client compte au plus {max} caractères. {check_data} : customerName doit être le slug du nom du client."),
            ),
            (Lang::En, ContextError::InvalidType { value }) => (
                format!("customerType “{value}” is not known"),
                "Use account or contact, or leave customerType out.".to_owned(),
            ),
            (Lang::De, ContextError::InvalidType { value }) => (
                format!("customerType „{value}“ ist unbekannt"),
                "Verwenden Sie account oder contact, oder lassen Sie customerType weg.".to_owned(),
            ),
            (Lang::Fr, ContextError::InvalidType { value }) => (
                format!("customerType « {value} » est inconnu"),
                "Utilisez account ou contact, ou omettez customerType.".to_owned(),
            ),
            (Lang::En, ContextError::BadData { reason }) => (
                "The data parameter is not valid JSON".to_owned(),
                format!("{reason}. {check_data}, or pass a query string such as customerId=…&customerName=…"),
            ),
            (Lang::De, ContextError::BadData { reason }) => (
                "Der Parameter „data“ ist kein gültiges JSON".to_owned(),
                format!("{reason}. {check_data}, oder übergeben Sie eine Abfragezeichenfolge wie customerId=…&customerName=…"),
            ),
            (Lang::Fr, ContextError::BadData { reason }) => (
                "Le paramètre data n’est pas du JSON valide".to_owned(),
                format!("{reason}. {check_data}, ou passez une chaîne de requête comme customerId=…&customerName=…"),
            ),
        }
    }

    /// (title, what to do) for an admin when the pane's configuration file cannot be used.
    pub fn config_error(&self, error: &ConfigError) -> (String, String) {
        match (self.lang, error) {
            (Lang::En, ConfigError::BadJson { reason }) => (
                "The pane's configuration file can't be read".to_owned(),
                format!("{reason}. Fix the JSON, or remove the file to use the defaults."),
            ),
            (Lang::De, ConfigError::BadJson { reason }) => (
                "Die Konfigurationsdatei des Bereichs ist nicht lesbar".to_owned(),
                format!("{reason}. Korrigieren Sie das JSON oder entfernen Sie die Datei, um die Standardwerte zu verwenden."),
            ),
            (Lang::Fr, ConfigError::BadJson { reason }) => (
                "Le fichier de configuration du volet est illisible".to_owned(),
                format!("{reason}. Corrigez le JSON ou supprimez le fichier pour utiliser les valeurs par défaut."),
            ),
            (Lang::En, ConfigError::TimeoutOutOfRange { value, min, max }) => (
                "requestTimeoutMs is out of range".to_owned(),
                format!("It is {value}; use a value from {min} to {max} milliseconds."),
            ),
            (Lang::De, ConfigError::TimeoutOutOfRange { value, min, max }) => (
                "requestTimeoutMs liegt außerhalb des zulässigen Bereichs".to_owned(),
                format!("Der Wert ist {value}; verwenden Sie {min} bis {max} Millisekunden."),
            ),
            (Lang::Fr, ConfigError::TimeoutOutOfRange { value, min, max }) => (
                "requestTimeoutMs est hors limites".to_owned(),
                format!("La valeur est {value} ; utilisez de {min} à {max} millisecondes."),
            ),
            (Lang::En, ConfigError::BadApiBase { value }) => (
                "apiBase can't be used".to_owned(),
                format!("“{value}” is neither a path such as /api nor an http(s) URL."),
            ),
            (Lang::De, ConfigError::BadApiBase { value }) => (
                "apiBase ist nicht verwendbar".to_owned(),
                format!("„{value}“ ist weder ein Pfad wie /api noch eine http(s)-URL."),
            ),
            (Lang::Fr, ConfigError::BadApiBase { value }) => (
                "apiBase est inutilisable".to_owned(),
                format!("« {value} » n’est ni un chemin comme /api ni une URL http(s)."),
            ),
        }
    }
}

static EN: Strings = Strings {
    lang: Lang::En,
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
    plain_text_title: "Summary of the top open deal",
    plain_text_hint: "The deals service answered with text only, so the pane shows the top deal's summary.",
    customer_search_label: "Find a customer",
    customer_search_placeholder: "Customer name",
    customer_search_hint: "Type part of a name; choose with the arrow keys and Enter, Esc closes the list.",
    customer_search_failed: "Customers can't be searched right now; try again in a moment.",
    customer_search_start: "Find a customer above to see their open deals.",
    customer_account: "Account",
    customer_contact: "Contact",
};

static DE: Strings = Strings {
    lang: Lang::De,
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
    plain_text_title: "Zusammenfassung der wichtigsten offenen Verkaufschance",
    plain_text_hint: "Der Dienst hat nur Text geliefert, daher zeigt der Bereich die Zusammenfassung der wichtigsten Verkaufschance.",
    customer_search_label: "Kunden suchen",
    customer_search_placeholder: "Kundenname",
    customer_search_hint: "Geben Sie einen Teil des Namens ein; wählen Sie mit den Pfeiltasten und der Eingabetaste, Esc schließt die Liste.",
    customer_search_failed: "Die Kundensuche ist gerade nicht möglich; versuchen Sie es gleich noch einmal.",
    customer_search_start: "Suchen Sie oben einen Kunden, um seine offenen Verkaufschancen zu sehen.",
    customer_account: "Firma",
    customer_contact: "Kontakt",
};

static FR: Strings = Strings {
    lang: Lang::Fr,
    title: "Opportunités ouvertes",
    open_value: "Valeur ouverte",
    weighted_value: "Valeur pondérée",
    weighted_value_hint: "Valeur de chaque opportunité × sa probabilité",
    refresh: "Actualiser",
    refreshing: "Actualisation…",
    matched_by_name: "Trouvé dans Sales par le nom : les ID diffèrent entre les environnements",
    sample_data: "Données d’exemple",
    deals_label: "Opportunités",
    loading: "Chargement des opportunités…",
    empty: "Aucune opportunité ouverte pour ce client",
    empty_hint: "Les opportunités gagnées et perdues ne sont pas affichées.",
    not_found: "Ce client est introuvable dans Sales",
    not_found_hint: "Sales est un environnement distinct : le volet a cherché l’ID du client, puis son nom. Vérifiez que le client existe dans Sales sous le même nom.",
    no_customer: "Aucun client dans cette session",
    no_customer_hint: "Ouvrez un incident ou une conversation avec un client. Si c’est déjà le cas, demandez à votre administrateur de vérifier le paramètre data du modèle d’onglet d’application.",
    label_value: "Valeur",
    label_stage: "Étape",
    label_probability: "Probabilité",
    label_close_date: "Date de clôture",
    label_owner: "Propriétaire",
    label_forecast: "Catégorie de prévision",
    no_stage: "Aucune étape",
    no_value: "Aucune valeur",
    no_close_date: "Aucune date de clôture",
    summary_label: "Résumé IA",
    ai_disclaimer: "Le contenu généré par l’IA peut être incorrect.",
    summary_unavailable: "Résumé indisponible pour le moment ; actualisez pour réessayer.",
    summary_disabled: "Les résumés ont été désactivés par votre administrateur.",
    show_more: "Afficher plus",
    show_less: "Afficher moins",
    open_in_sales: "Ouvrir dans Sales",
    opens_in_new_tab: "(s’ouvre dans un nouvel onglet)",
    copy_summary: "Copier le résumé",
    copy_deal_link: "Copier le lien de l’opportunité",
    copied: "Copié",
    copy_fallback: "Copie automatique impossible : le texte est sélectionné, appuyez sur Ctrl+C",
    forecast_pipeline: "Pipeline",
    forecast_best_case: "Meilleur cas",
    forecast_committed: "Engagé",
    forecast_omitted: "Omis",
    forecast_won: "Gagné",
    forecast_lost: "Perdu",
    forecast_other: "Autre",
    chart_title: "Pipeline par étape",
    search_label: "Filtrer les opportunités",
    search_placeholder: "Nom, étape ou propriétaire",
    search_hint: "Tapez pour filtrer les opportunités ; Échap efface le filtre.",
    search_clear: "Effacer le filtre",
    error_title: "Impossible de charger les opportunités",
    retry: "Réessayer",
    retry_hint: "Réessayez. Si l’échec persiste, donnez l’ID de trace à votre administrateur.",
    trace_id: "ID de trace",
    copy_trace_id: "Copier l’ID de trace",
    offline_title: "Vous êtes hors connexion",
    offline_hint: "Les opportunités se rechargeront au retour de la connexion.",
    network_error: "Le service des opportunités est injoignable",
    network_error_hint: "Vérifiez votre connexion et réessayez. Si l’échec persiste, prévenez votre administrateur.",
    bad_response: "Le service a envoyé une réponse que le volet ne sait pas lire",
    bad_response_hint: "Prévenez votre administrateur : le service et le volet n’ont peut-être pas la même version.",
    plain_text_title: "Résumé de la principale opportunité ouverte",
    plain_text_hint: "Le service n’a répondu qu’en texte : le volet affiche le résumé de la principale opportunité.",
    customer_search_label: "Rechercher un client",
    customer_search_placeholder: "Nom du client",
    customer_search_hint: "Saisissez une partie du nom ; choisissez avec les flèches et Entrée, Échap ferme la liste.",
    customer_search_failed: "La recherche de clients est impossible pour le moment ; réessayez dans un instant.",
    customer_search_start: "Recherchez un client ci-dessus pour voir ses opportunités ouvertes.",
    customer_account: "Compte",
    customer_contact: "Contact",
};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Lang; 3] = [Lang::En, Lang::De, Lang::Fr];

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
    fn right_to_left_languages_get_english_words_mirrored() {
        for tag in ["ar", "ar-SA", "he-IL", "fa", "ur-PK"] {
            let locale = choose_locale(Some(tag), &browser(&["de-DE"]));
            assert!(locale.rtl, "{tag}");
            assert_eq!(locale.lang, Lang::En, "{tag}");
            assert_eq!(locale.tag, tag);
            assert_eq!(locale.dir(), "rtl");
        }
        assert_eq!(choose_locale(Some("en"), &[]).dir(), "ltr");
    }

    #[test]
    fn lang_codes_and_tags() {
        for lang in ALL {
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
        for lang in ALL {
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
        for lang in [Lang::De, Lang::Fr] {
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

    #[test]
    fn plural_deal_counts() {
        let en = strings(Lang::En);
        assert_eq!(en.open_deals(1), "1 open deal");
        assert_eq!(en.open_deals(3), "3 open deals");
        assert_eq!(en.open_deals(0), "0 open deals");
        assert_eq!(strings(Lang::De).open_deals(1), "1 offene Verkaufschance");
        assert_eq!(strings(Lang::De).open_deals(2), "2 offene Verkaufschancen");
        assert_eq!(strings(Lang::Fr).open_deals(0), "0 opportunité ouverte");
        assert_eq!(strings(Lang::Fr).open_deals(5), "5 opportunités ouvertes");
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
        let en = strings(Lang::En);
        assert_eq!(en.close_timing(CloseTiming::InDays(12)), "in 12 days");
        assert_eq!(en.close_timing(CloseTiming::InDays(1)), "in 1 day");
        assert_eq!(
            en.close_timing(CloseTiming::Overdue(3)),
            "overdue by 3 days"
        );
        assert_eq!(en.close_timing(CloseTiming::Today), "today");
        let de = strings(Lang::De);
        assert_eq!(de.close_timing(CloseTiming::InDays(12)), "in 12 Tagen");
        assert_eq!(de.close_timing(CloseTiming::Overdue(1)), "1 Tag überfällig");
        assert_eq!(
            strings(Lang::Fr).close_timing(CloseTiming::Overdue(3)),
            "en retard de 3 jours"
        );
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
        for lang in ALL {
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
        for lang in ALL {
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
        for lang in ALL {
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
        let (title, action) = en.config_error(&ConfigError::TimeoutOutOfRange {
            value: 5,
            min: 1000,
            max: 120000,
        });
        assert_eq!(title, "requestTimeoutMs is out of range");
        assert_eq!(
            action,
            "It is 5; use a value from 1000 to 120000 milliseconds."
        );
        for lang in ALL {
            for error in [
                ConfigError::BadJson {
                    reason: "expected value".into(),
                },
                ConfigError::BadApiBase {
                    value: "ftp://x".into(),
                },
            ] {
                let (title, action) = strings(lang).config_error(&error);
                assert!(!title.is_empty() && !action.is_empty());
            }
        }
        assert!(strings(Lang::De)
            .config_error(&ConfigError::BadApiBase {
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
        for lang in ALL {
            for status in [400, 401, 403, 404, 429, 502, 504, 500, 418] {
                let (title, action) = strings(lang).problem(status, None);
                assert!(!title.is_empty() && !action.is_empty(), "{lang:?} {status}");
            }
            assert!(strings(lang).timeout(20).0.contains("20"));
        }
    }
}
