//! OAuth2 client credentials against Entra ID: one token, cached until shortly before it
//! expires. Callers that find it stale wait on one lock, so they share a single refresh.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::client::{error_message, read_json, send_with_retries, Deadline, RetryPolicy};
use super::config::Secret;
use crate::source::SourceError;

/// Renew this long before expiry (at most half the lifetime), so no request leaves with a
/// token that expires on the way.
const RENEW_MARGIN: Duration = Duration::from_secs(300);

pub struct TokenCache {
    endpoint: String,
    client_id: String,
    client_secret: Secret,
    scope: String,
    current: Mutex<Option<Token>>,
}

struct Token {
    value: Arc<str>,
    renew_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: u64,
}

impl TokenCache {
    /// `endpoint` is `<authority>/<tenant>/oauth2/v2.0/token`, `scope` `<org url>/.default`.
    pub fn new(endpoint: String, client_id: String, client_secret: Secret, scope: String) -> Self {
        TokenCache {
            endpoint,
            client_id,
            client_secret,
            scope,
            current: Mutex::new(None),
        }
    }

    /// A token that is not about to expire: the cached one, or a new one.
    pub async fn get(
        &self,
        http: &reqwest::Client,
        policy: RetryPolicy,
        deadline: Deadline,
    ) -> Result<Arc<str>, SourceError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref() {
            if Instant::now() < token.renew_at {
                return Ok(token.value.clone());
            }
        }
        let token = self.request(http, policy, deadline).await?;
        let value = token.value.clone();
        *current = Some(token);
        Ok(value)
    }

    /// Forgets `stale` (Dataverse refused it) unless another caller already replaced it.
    pub async fn invalidate(&self, stale: &str) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|token| &*token.value == stale) {
            *current = None;
        }
    }

    async fn request(
        &self,
        http: &reqwest::Client,
        policy: RetryPolicy,
        deadline: Deadline,
    ) -> Result<Token, SourceError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
            ("scope", self.scope.as_str()),
        ];
        let what = "the Entra ID token request";
        let response = send_with_retries(what, policy, deadline, || {
            http.post(&self.endpoint)
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&form)
        })
        .await?;
        let status = response.status();
        if !status.is_success() {
            let message = error_message(response, deadline).await;
            return Err(SourceError::Upstream(format!(
                "Entra ID refused a token for Dataverse ({status}): {message}. \
                 Check the tenant id, client id, client secret and org URL."
            )));
        }
        let body = read_json(response, what, deadline).await?;
        let answer: TokenAnswer = serde_json::from_value(body).map_err(|error| {
            SourceError::Upstream(format!("Entra ID's token answer is incomplete ({error})"))
        })?;
        let lifetime = Duration::from_secs(answer.expires_in);
        let margin = RENEW_MARGIN.min(lifetime / 2);
        tracing::debug!(?lifetime, "got a Dataverse access token");
        Ok(Token {
            value: answer.access_token.into(),
            renew_at: Instant::now() + lifetime - margin,
        })
    }
}
