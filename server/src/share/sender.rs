//! Who is sending a note or lead, and how their name appears in Sales.

use super::text::{one_line, Authorship, NAME_MAX_CHARS};
use crate::auth::{Caller, Identity};

/// The agent behind a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// Shown in the text and in `createdBy`.
    pub name: String,
    pub by: Authorship,
}

impl Sender {
    /// From sign-in: `signed_in` is the validated token's name (or `None` when nobody signed
    /// in); `as_agent` when Sales calls carry the agent's `CallerObjectId` (agent identity), so
    /// the record is the agent's own. Without sign-in, or a token without a name, the
    /// server's display name (`--agent-display-name`) stands in.
    pub fn new(signed_in: Option<Option<&str>>, as_agent: bool, display_name: &str) -> Sender {
        let fallback = || bounded(display_name).unwrap_or_else(|| "Customer Service".to_owned());
        match signed_in {
            None => Sender {
                name: fallback(),
                by: Authorship::Own,
            },
            Some(name) => Sender {
                name: name.and_then(bounded).unwrap_or_else(fallback),
                by: if as_agent {
                    Authorship::Own
                } else {
                    Authorship::OnBehalf
                },
            },
        }
    }
}

impl Sender {
    /// From the request's identity (issue 11): a signed-in agent's name from the token, the
    /// record the agent's own when Sales calls carry `CallerObjectId`; otherwise the display name.
    pub fn of(identity: Option<&Identity>, display_name: &str) -> Sender {
        match identity {
            Some(Identity {
                caller: Caller::Agent(agent),
                acting_for,
                ..
            }) => Sender::new(
                Some(agent.name.as_deref()),
                acting_for.is_some(),
                display_name,
            ),
            _ => Sender::new(None, false, display_name),
        }
    }
}

/// Whose idempotency keys these are: each agent's own, the connector's, or everyone's when the
/// server is open.
pub fn key_scope(identity: Option<&Identity>) -> String {
    match identity.map(|identity| &identity.caller) {
        Some(Caller::Agent(agent)) => format!("agent-{}", agent.oid),
        Some(Caller::Service) => "service".to_owned(),
        Some(Caller::Anonymous) | None => "anonymous".to_owned(),
    }
}

/// One line, at most [`NAME_MAX_CHARS`] characters; `None` when blank.
fn bounded(name: &str) -> Option<String> {
    let name: String = one_line(name).chars().take(NAME_MAX_CHARS).collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_comes_from_sign_in_or_the_setting() {
        let anonymous = Sender::new(None, false, " Service\tDesk ");
        assert_eq!(anonymous.name, "Service Desk");
        assert_eq!(anonymous.by, Authorship::Own);
        let app = Sender::new(Some(Some("Dana Agent")), false, "x");
        assert_eq!(
            (app.name.as_str(), app.by),
            ("Dana Agent", Authorship::OnBehalf)
        );
        let agent = Sender::new(Some(Some("Dana Agent")), true, "x");
        assert_eq!(agent.by, Authorship::Own);
        let nameless = Sender::new(Some(None), true, "");
        assert_eq!(nameless.name, "Customer Service");
        let long = "n".repeat(500);
        assert_eq!(
            Sender::new(Some(Some(&long)), true, "").name.len(),
            NAME_MAX_CHARS
        );
    }
}
