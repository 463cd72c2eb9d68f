//! The contract's answers, read by hand from a parsed [`Json`] value: the derived serde readers
//! they replace weighed several KB gzip of the wasm. The rules are the contract's (DESIGN.md,
//! "Evolving the contract"): unknown fields are ignored; an unknown value in a field the pane
//! can do without reads as unknown; an optional field that is absent or `null` is `None`. A
//! required field that is missing, or any field of the wrong type, makes the answer malformed,
//! and the reason names the field.

use dealpane_contract::{
    CustomerList, CustomerMatch, CustomerRef, CustomerType, Deal, DealStatus, DealSummaryResponse,
    DealSummaryUpdate, ForecastCategory, Guid, MatchedBy, Money, Note, Problem, SummariesResponse,
    Summary, SummaryState,
};

use super::json::Json;

type Read<T> = Result<T, String>;

/// `GET /api/DealSummary`'s JSON answer.
pub fn deal_summary(answer: &Json) -> Read<DealSummaryResponse> {
    Ok(DealSummaryResponse {
        customer: customer_match(&object(answer, "customer")?)?,
        deals: list(answer, "deals", deal)?,
        source: text(answer, "source")?,
        generated_at: text(answer, "generatedAt")?,
        base_currency: optional_text(answer, "baseCurrency")?,
    })
}

/// `GET /api/summaries`'s answer: the summaries that changed.
pub fn summaries(answer: &Json) -> Read<SummariesResponse> {
    let update = |item: &Json| {
        Ok(DealSummaryUpdate {
            deal_id: guid(item, "dealId")?,
            summary: summary(&object(item, "summary")?)?,
        })
    };
    Ok(SummariesResponse {
        summaries: list(answer, "summaries", update)?,
    })
}

/// `GET /api/customers`'s answer, for the picker.
pub fn customer_list(answer: &Json) -> Read<CustomerList> {
    let customer = |item: &Json| {
        Ok(CustomerRef {
            id: guid(item, "id")?,
            name: text(item, "name")?,
            kind: CustomerType::parse(&text(item, "type")?)
                .ok_or_else(|| wrong("type", "unknown"))?,
            open_deals: whole(item, "openDeals")?,
        })
    };
    Ok(CustomerList {
        customers: list(answer, "customers", customer)?,
    })
}

/// An `application/problem+json` body (its `status` set from the HTTP status beforehand).
pub fn problem(body: &Json) -> Read<Problem> {
    Ok(Problem {
        kind: optional_text(body, "type")?.unwrap_or_else(|| "about:blank".to_owned()),
        title: text(body, "title")?,
        status: whole(body, "status")?.ok_or_else(|| wrong("status", "missing"))?,
        detail: optional_text(body, "detail")?,
        instance: optional_text(body, "instance")?,
        trace_id: optional_text(body, "traceId")?,
    })
}

/// A note of Share with Sales: `POST …/notes`' 201, and each item of `GET …/notes`.
pub fn note(note: &Json) -> Read<Note> {
    Ok(Note {
        id: guid(note, "id")?,
        created_on: text(note, "createdOn")?,
        created_by: text(note, "createdBy")?,
        message: text(note, "message")?,
        // Only shown beside the note: one that is not a GUID is left out, not an error.
        case_id: optional_text(note, "caseId")?.and_then(|case| Guid::parse(&case).ok()),
        owner: optional_text(note, "owner")?,
    })
}

/// `GET …/notes`' list (newest first); a note that cannot be read is left out.
pub fn note_list(list: &Json) -> Read<Vec<Note>> {
    Ok(array(list, "notes")?
        .iter()
        .filter_map(|item| note(item).ok())
        .collect())
}

/// `POST /api/leads`' 201: the new lead's id.
pub fn created_lead(created: &Json) -> Read<Guid> {
    guid(created, "id")
}

fn customer_match(customer: &Json) -> Read<CustomerMatch> {
    Ok(CustomerMatch {
        id: guid(customer, "id")?,
        name: optional_text(customer, "name")?,
        // A type this pane does not know reads as none.
        kind: optional_text(customer, "type")?.and_then(|kind| CustomerType::parse(&kind)),
        matched_by: MatchedBy::from_wire(&text(customer, "matchedBy")?),
    })
}

pub(crate) fn deal(deal: &Json) -> Read<Deal> {
    Ok(Deal {
        id: guid(deal, "id")?,
        name: text(deal, "name")?,
        status: DealStatus::from_wire(&text(deal, "status")?),
        stage: optional_text(deal, "stage")?,
        value: optional(deal, "value", money)?,
        value_base: optional(deal, "valueBase", money)?,
        probability: whole(deal, "probability")?,
        close_date: optional_text(deal, "closeDate")?,
        owner: optional_text(deal, "owner")?,
        forecast_category: optional_text(deal, "forecastCategory")?
            .map(|category| ForecastCategory::from_wire(&category)),
        summary: summary(&object(deal, "summary")?)?,
        link: optional_text(deal, "link")?,
        modified_on: optional_text(deal, "modifiedOn")?,
    })
}

fn summary(summary: &Json) -> Read<Summary> {
    Ok(Summary {
        state: SummaryState::from_wire(&text(summary, "state")?),
        text: optional_text(summary, "text")?,
        generated_at: optional_text(summary, "generatedAt")?,
        reason: optional_text(summary, "reason")?,
    })
}

fn money(money: &Json) -> Read<Money> {
    Ok(Money {
        amount: member(money, "amount")
            .and_then(|amount| amount.as_f64())
            .ok_or_else(|| wrong("amount", "not a number"))?,
        currency: text(money, "currency")?,
    })
}

/// Member `name`, or `None` when it is absent or `null`.
fn member(object: &Json, name: &str) -> Option<Json> {
    object.get(name).filter(|value| !value.is_null())
}

/// `name: what` (a reason in the console's words, joined rather than formatted).
fn wrong(name: &str, what: &str) -> String {
    [name, ": ", what].concat()
}

fn optional<T>(object: &Json, name: &str, read: fn(&Json) -> Read<T>) -> Read<Option<T>> {
    match member(object, name) {
        Some(value) if value.is_object() => read(&value).map(Some),
        Some(_) => Err(wrong(name, "not an object")),
        None => Ok(None),
    }
}

fn object(object: &Json, name: &str) -> Read<Json> {
    member(object, name)
        .filter(Json::is_object)
        .ok_or_else(|| wrong(name, "missing or not an object"))
}

fn optional_text(object: &Json, name: &str) -> Read<Option<String>> {
    member(object, name)
        .map(|value| value.as_str().ok_or_else(|| wrong(name, "not text")))
        .transpose()
}

fn text(object: &Json, name: &str) -> Read<String> {
    optional_text(object, name)?.ok_or_else(|| wrong(name, "missing"))
}

fn guid(object: &Json, name: &str) -> Read<Guid> {
    Guid::parse(&text(object, name)?).map_err(|_| wrong(name, "not a GUID"))
}

/// A whole number that fits `T`; `None` when absent or `null`.
fn whole<T: TryFrom<i64>>(object: &Json, name: &str) -> Read<Option<T>> {
    member(object, name)
        .map(|value| {
            value
                .as_whole()
                .and_then(|n| T::try_from(n).ok())
                .ok_or_else(|| wrong(name, "not a whole number in range"))
        })
        .transpose()
}

fn array(object: &Json, name: &str) -> Read<Vec<Json>> {
    member(object, name)
        .and_then(|value| value.as_array())
        .ok_or_else(|| wrong(name, "missing or not an array"))
}

fn list<T>(object: &Json, name: &str, read: impl Fn(&Json) -> Read<T>) -> Read<Vec<T>> {
    array(object, name)?.iter().map(read).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    // Natively these read serde_json's values; in `cargo xtask test --suite browser`, the
    // browser's `JSON.parse`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    const ANSWER: &str = r#"{
      "customer": {"id": "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "name": "Contoso",
                   "type": "partner", "matchedBy": "email", "tier": 1},
      "deals": [{
        "id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "Espresso", "status": "open",
        "stage": null, "value": {"amount": 250000.5, "currency": "USD"}, "probability": 70,
        "forecastCategory": "bestCase", "summary": {"state": "ready", "text": "Fine."},
        "later": [1, {"x": null}]
      }, {
        "id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6e", "name": "Grinders", "status": "paused",
        "forecastCategory": "stretch", "summary": {"state": "drafting"}
      }],
      "source": "embedded", "generatedAt": "2026-11-22T07:30:00Z"
    }"#;

    fn read<T>(text: &str, read: fn(&Json) -> Read<T>) -> Read<T> {
        read(&Json::parse(text)?)
    }

    #[test]
    fn the_contract_reads_tolerantly() {
        let answer = read(ANSWER, deal_summary).unwrap();
        let customer = &answer.customer;
        assert_eq!(
            customer.id.to_string(),
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
        );
        assert_eq!(customer.kind, None, "an unknown type reads as none");
        assert_eq!(customer.matched_by, MatchedBy::Unknown);
        assert_eq!(answer.base_currency, None, "absent");
        let [known, unknown] = &answer.deals[..] else {
            panic!("{:?}", answer.deals)
        };
        assert_eq!(known.stage, None);
        assert_eq!(known.value.as_ref().map(|v| v.amount), Some(250000.5));
        assert_eq!(known.value_base, None);
        assert_eq!(known.probability, Some(70));
        assert_eq!(known.forecast_category, Some(ForecastCategory::BestCase));
        assert_eq!(known.summary.state, SummaryState::Ready);
        assert_eq!(known.summary.text.as_deref(), Some("Fine."));
        assert_eq!(known.summary.generated_at, None);
        assert_eq!(unknown.status, DealStatus::Unknown);
        assert_eq!(unknown.forecast_category, Some(ForecastCategory::Other));
        assert_eq!(unknown.summary.state, SummaryState::Unknown);
        let account = r#"{"customer": {"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "name": null, "type": "Account", "matchedBy": "name"},
            "deals": [], "source": "dataverse", "generatedAt": "t", "baseCurrency": "EUR"}"#;
        let answer = read(account, deal_summary).unwrap();
        assert_eq!(answer.customer.kind, Some(CustomerType::Account));
        assert_eq!(answer.customer.matched_by, MatchedBy::Name);
        assert_eq!(answer.customer.name, None);
        assert_eq!(answer.base_currency.as_deref(), Some("EUR"));
    }

    #[test]
    fn text_that_is_not_the_contract_says_why() {
        for (text, about) in [
            ("", ""),
            ("not json", ""),
            (r#"{"deals": 3}"#, ""),
            ("[]", ""),
            (
                &*ANSWER.replace("\"probability\": 70", "\"probability\": 70.5"),
                "probability",
            ),
            (
                &*ANSWER.replace("\"probability\": 70", "\"probability\": 700"),
                "probability",
            ),
            (&*ANSWER.replace("\"Espresso\"", "null"), "name"),
            (&*ANSWER.replace("\"stage\": null", "\"stage\": 3"), "stage"),
            (
                &*ANSWER.replace("\"9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6e\"", "\"x\""),
                "GUID",
            ),
            (&*ANSWER.replace("\"source\": \"embedded\", ", ""), "source"),
            (
                &*ANSWER.replace(r#"{"state": "drafting"}"#, "\"drafting\""),
                "summary",
            ),
            (
                &*ANSWER.replace(r#""amount": 250000.5"#, r#""amount": "lots""#),
                "amount",
            ),
        ] {
            let reason = read(text, deal_summary).unwrap_err();
            assert!(
                !reason.is_empty() && reason.contains(about),
                "{text}: {reason}"
            );
        }
    }

    #[test]
    fn summaries_and_customers_read_their_lists() {
        let polled = read(
            r#"{"summaries": [{"dealId": "9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D",
                "summary": {"state": "pending"}, "extra": true}]}"#,
            summaries,
        )
        .unwrap();
        assert_eq!(
            polled.summaries[0].deal_id.to_string(),
            "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
        );
        assert_eq!(polled.summaries[0].summary.state, SummaryState::Pending);
        assert!(read(r#"{"summaries": {}}"#, summaries).is_err());

        let list = read(
            r#"{"customers": [{"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "name": "Contoso",
                "type": "contact", "openDeals": 4}, {"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3302",
                "name": "Fabrikam", "type": "account", "openDeals": null}]}"#,
            customer_list,
        )
        .unwrap();
        assert_eq!(list.customers[0].kind, CustomerType::Contact);
        assert_eq!(list.customers[0].open_deals, Some(4));
        assert_eq!(list.customers[1].open_deals, None);
        let reason = read(
            r#"{"customers": [{"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "name": "C",
                "type": "partner"}]}"#,
            customer_list,
        )
        .unwrap_err();
        assert!(reason.contains("type"), "{reason}");
    }

    #[test]
    fn share_answers_read_notes_and_the_new_lead() {
        let list = read(
            r#"{"notes": [
                {"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "createdOn": "2026-11-29T10:00:00Z",
                 "createdBy": "Ana", "message": "Call back", "caseId": "not a guid", "owner": null},
                {"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6e", "message": "no author"}
            ]}"#,
            note_list,
        )
        .unwrap();
        assert_eq!(list.len(), 1, "a note it cannot read is left out: {list:?}");
        assert_eq!(
            (list[0].message.as_str(), list[0].case_id),
            ("Call back", None)
        );
        assert!(read(r#"{"notes": null}"#, note_list).is_err());
        let reason = read(r#"{"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"}"#, note).unwrap_err();
        assert!(reason.contains("createdOn"), "{reason}");
        let lead = read(
            r#"{"id": "{9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D}"}"#,
            created_lead,
        );
        assert_eq!(
            lead.unwrap().to_string(),
            "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
        );
        assert!(read(r#"{"id": 7}"#, created_lead).is_err());
    }

    /// The hand readers and the contract's serde readers (the server's) read every field of the
    /// same documents alike, so a field renamed on one side only fails here.
    #[test]
    fn the_hand_readers_read_as_the_contract_does() {
        // A macro, not a generic fn: the widget does not depend on serde to name its trait.
        macro_rules! alike {
            ($text:expr, $read:expr $(,)?) => {{
                let text = $text;
                let by_hand = read(text, $read).unwrap();
                assert_eq!(by_hand, serde_json::from_str(text).unwrap(), "{text}");
            }};
        }
        let every_field = r#"{
          "customer": {"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "name": "Contoso",
                       "type": "account", "matchedBy": "name"},
          "deals": [{
            "id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "Espresso", "status": "won",
            "stage": "Propose", "value": {"amount": 250000.5, "currency": "USD"},
            "valueBase": {"amount": 230000, "currency": "EUR"}, "probability": 70,
            "closeDate": "2026-12-15", "owner": "Alex Wu", "forecastCategory": "committed",
            "summary": {"state": "unavailable", "text": "t", "generatedAt": "g", "reason": "timeout"},
            "link": "https://org.example/deal", "modifiedOn": "2026-11-22T07:30:00Z"
          }],
          "source": "dataverse", "generatedAt": "2026-11-22T07:30:00Z", "baseCurrency": "EUR"
        }"#;
        alike!(every_field, deal_summary);
        alike!(ANSWER, deal_summary);
        alike!(
            r#"{"summaries": [{"dealId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
                "summary": {"state": "disabled"}}]}"#,
            summaries,
        );
        alike!(
            r#"{"customers": [{"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "name": "Contoso",
                "type": "contact", "openDeals": 4}]}"#,
            customer_list,
        );
        alike!(
            r#"{"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "createdOn": "c", "createdBy": "Ana",
                "message": "Call back", "caseId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                "owner": "Alex Wu"}"#,
            note,
        );
        alike!(
            r#"{"type": "https://dealpane/problems/busy", "title": "Busy", "status": 429,
                "detail": "d", "instance": "/api/DealSummary", "traceId": "t-1"}"#,
            problem,
        );
    }

    #[test]
    fn a_problem_takes_the_status_it_is_given() {
        let mut body =
            Json::parse(r#"{"title": "Busy", "status": "x", "traceId": "t-1"}"#).unwrap();
        body.set_number("status", 429);
        let problem = problem(&body).unwrap();
        assert_eq!(
            (
                problem.status,
                problem.kind.as_str(),
                problem.trace_id.as_deref()
            ),
            (429, "about:blank", Some("t-1"))
        );
        let untitled = Json::parse(r#"{"status": 400}"#).unwrap();
        assert!(super::problem(&untitled).unwrap_err().contains("title"));
    }
}
