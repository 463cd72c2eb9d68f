//! Share with Sales (issue 12): a note to a deal's owner (a Sales task regarding the
//! opportunity) and a suggested deal (a Sales lead for the customer). Requests carry an
//! `Idempotency-Key` header so a retried send creates nothing twice.

use serde::{Deserialize, Serialize};

use crate::{CustomerType, Guid, Money};

/// The header that makes a write happen once: the widget sends one per draft.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// An idempotency key: 1 to this many visible ASCII characters (`!` to `~`).
pub const IDEMPOTENCY_KEY_MAX_CHARS: usize = 100;
/// A note's message, after trimming and removing control characters.
pub const NOTE_MAX_CHARS: usize = 2_000;
/// A lead's topic (Dataverse's `lead.subject` holds 300).
pub const LEAD_TOPIC_MAX_CHARS: usize = 300;
/// A lead's description.
pub const LEAD_DESCRIPTION_MAX_CHARS: usize = 2_000;
/// The largest JSON body a write accepts (413 above).
pub const WRITE_BODY_MAX_BYTES: usize = 16 * 1024;
/// How many notes `GET /api/deals/{dealId}/notes` answers at most (newest first).
pub const NOTES_LIST_MAX: usize = 20;

/// `POST /api/deals/{dealId}/notes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteRequest {
    pub message: String,
    /// The Customer Service case the agent is working on (the URL's `caseId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Guid>,
}

/// A note shared with a deal's owner: the 201 of the POST and each item of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The Sales task's id.
    pub id: Guid,
    /// RFC 3339, UTC.
    pub created_on: String,
    /// The agent who sent it (their name from sign-in, or the server's display name).
    pub created_by: String,
    /// The message as stored: plain text, never HTML.
    pub message: String,
    #[serde(default)]
    pub case_id: Option<Guid>,
    /// The deal owner's name (who it was shared with), when Sales says.
    #[serde(default)]
    pub owner: Option<String>,
}

/// `GET /api/deals/{dealId}/notes`: notes sent through dealpane, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteList {
    pub notes: Vec<Note>,
}

/// `POST /api/leads`: a suggested new deal for the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadRequest {
    pub customer_id: Guid,
    pub customer_type: CustomerType,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_value: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Guid>,
}

/// The 201 of `POST /api/leads`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadCreated {
    /// The Sales lead's id.
    pub id: Guid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_the_documented_shapes() {
        let note: NoteRequest = serde_json::from_str(
            r#"{"message": "Wants 3 more", "caseId": "9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D", "x": 1}"#,
        )
        .unwrap();
        assert_eq!(note.message, "Wants 3 more");
        assert_eq!(
            note.case_id.unwrap().to_string(),
            "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
        );
        let lead: LeadRequest = serde_json::from_str(
            r#"{"customerId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "customerType": "contact",
                "topic": "Grinders", "estimatedValue": {"amount": 1200.5, "currency": "EUR"}}"#,
        )
        .unwrap();
        assert_eq!(lead.customer_type, CustomerType::Contact);
        assert_eq!(lead.estimated_value.unwrap().currency, "EUR");
        assert_eq!(lead.description, None);
    }

    #[test]
    fn a_note_is_camel_case_on_the_wire() {
        let note = Note {
            id: Guid::parse("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d").unwrap(),
            created_on: "2026-11-29T10:00:00Z".into(),
            created_by: "Dana".into(),
            message: "<b>x</b>".into(),
            case_id: None,
            owner: Some("Alex Wu".into()),
        };
        let value = serde_json::to_value(&note).unwrap();
        assert_eq!(value["createdOn"], "2026-11-29T10:00:00Z");
        assert_eq!(value["createdBy"], "Dana");
        assert_eq!(value["caseId"], serde_json::Value::Null);
        assert_eq!(value["message"], "<b>x</b>");
    }
}
