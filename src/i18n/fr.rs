//! French.

use super::{Lang, Plurals, Strings, Templates};
use crate::format::{Age, CloseTiming};

pub static STRINGS: Strings = Strings {
    lang: Lang::Fr,
    rtl: false,
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
    chart_empty: "Aucune valeur ouverte à représenter.",
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
    refused: "Le service a refusé la requête",
    refused_hint: "Vérifiez les paramètres client du modèle d’onglet d’application ; l’ID de trace aide votre administrateur.",
    not_allowed: "Le volet n’est pas autorisé à appeler le service",
    not_allowed_hint: "Demandez à votre administrateur de vérifier la clé de fonction dans la configuration du volet.",
    busy: "Le service est surchargé",
    busy_hint: "Réessayez dans un instant.",
    upstream_failed: "Sales n’a pas répondu correctement",
    upstream_timed_out: "Sales a mis trop de temps à répondre",
    plain_text_title: "Résumé de la principale opportunité ouverte",
    plain_text_hint: "Le service n’a répondu qu’en texte : le volet affiche le résumé de la principale opportunité.",
    customer_search_label: "Rechercher un client",
    customer_search_placeholder: "Nom du client",
    customer_search_hint: "Saisissez une partie du nom ; choisissez avec les flèches et Entrée, Échap ferme la liste.",
    customer_search_failed: "La recherche de clients est impossible pour le moment ; réessayez dans un instant.",
    customer_search_start: "Recherchez un client ci-dessus pour voir ses opportunités ouvertes.",
    customer_account: "Compte",
    customer_contact: "Contact",
    templates: Templates {
        filtered_count: "{shown} sur {total} opportunités",
        open_in_sales_label: "Ouvrir {name} dans Sales {new_tab}",
        chart_currency_note: "Montants en {currency} ; les opportunités dans d’autres devises ne sont pas représentées.",
        no_customers: "Aucun client ne correspond à « {query} »",
        no_search_results: "Aucune opportunité ne correspond à « {query} »",
        timed_out: "Le service n’a pas répondu en {seconds} secondes",
        try_again_in: "Réessayez dans {seconds} secondes.",
        guid_empty: "la valeur est vide",
        guid_too_long: "la valeur compte {n} caractères ; un GUID en a au plus 48",
        guid_bad_encoding: "son encodage en pourcentage est incorrect",
        guid_unbalanced_braces: "une accolade ouvrante n’a pas de fermante, ou l’inverse",
        guid_wrong_digit_count: "elle contient {n} chiffres hexadécimaux ; un GUID en a 32",
        guid_invalid_character: "elle contient '{c}', qui n’est pas un chiffre hexadécimal",
        guid_misplaced_hyphens: "ses tirets sont mal placés ; un GUID a 8-4-4-4-12 chiffres",
        check_data: "Vérifiez le paramètre data du modèle d’onglet d’application",
        url_too_long: "L’adresse du volet est trop longue",
        url_too_long_hint: "Elle compte {length} octets ; le volet en lit au plus {max}. Ne passez que customerId, customerName et customerType dans le paramètre data du modèle d’onglet.",
        unfilled: "L’espace de travail n’a pas renseigné {parameter}",
        unfilled_hint: "{check_data} : le slug {slug} n’a pas de valeur pour cette session.",
        invalid_guid: "{parameter} n’est pas un GUID valide",
        invalid_guid_hint: "{parameter} : {reason}. {check_data}, par exemple customerId={anchor._customerid_value}.",
        conflict: "{parameter} est indiqué deux fois avec des valeurs différentes",
        conflict_hint: "Indiquez-le une seule fois : dans l’adresse ou dans le paramètre data, pas les deux.",
        name_too_long: "customerName est trop long",
        name_too_long_hint: "Un nom de client compte au plus {max} caractères. {check_data} : customerName doit être le slug du nom du client.",
        invalid_type: "customerType « {value} » est inconnu",
        invalid_type_hint: "Utilisez account ou contact, ou omettez customerType.",
        bad_data: "Le paramètre data n’est pas du JSON valide",
        bad_data_hint: "{reason}. {check_data}, ou passez une chaîne de requête comme customerId=…&customerName=…",
        config_bad_json: "Le fichier de configuration du volet est illisible",
        config_bad_json_hint: "{reason}. Corrigez le JSON ou supprimez le fichier pour utiliser les valeurs par défaut.",
        config_timeout: "requestTimeoutMs est hors limites",
        config_timeout_hint: "La valeur est {value} ; utilisez de {min} à {max} millisecondes.",
        config_api_base: "apiBase est inutilisable",
        config_api_base_hint: "« {value} » n’est ni un chemin comme /api ni une URL http(s).",
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
        n @ (0 | 1) => format!("{n} opportunité ouverte"),
        n => format!("{n} opportunités ouvertes"),
    }
}

fn ago(age: Age) -> String {
    match age {
        Age::JustNow => "à l’instant".to_owned(),
        Age::Minutes(n) => format!("il y a {n} min"),
        Age::Hours(n) => format!("il y a {n} h"),
        Age::Days(n @ (0 | 1)) => format!("il y a {n} jour"),
        Age::Days(n) => format!("il y a {n} jours"),
    }
}

fn updated_ago(age: Age) -> String {
    format!("Mis à jour {}", ago(age))
}

fn close_timing(timing: CloseTiming) -> String {
    match timing {
        CloseTiming::Today => "aujourd’hui".to_owned(),
        CloseTiming::InDays(n @ (0 | 1)) => format!("dans {n} jour"),
        CloseTiming::InDays(n) => format!("dans {n} jours"),
        CloseTiming::Overdue(n @ (0 | 1)) => format!("en retard de {n} jour"),
        CloseTiming::Overdue(n) => format!("en retard de {n} jours"),
    }
}

fn customers_found(count: usize) -> String {
    match count {
        n @ (0 | 1) => format!("{n} client trouvé"),
        n => format!("{n} clients trouvés"),
    }
}
