//! Microsoft Entra ID access tokens: RS256 only, signed by a key from the tenant's JWKS, `iss`
//! equal to the discovery document's issuer, our `aud`, our `tid`, `exp` and `nbf` within five
//! minutes of skew, and the required scope (`scp`) or app role (`roles`).
//! Why a token was refused goes to the debug log only as a reason; the token never does.

use std::time::Duration;

use jsonwebtoken::{decode, decode_header, Algorithm, Validation};
use serde::Deserialize;

use super::jwks::{Jwks, JwksError};
use super::Agent;

/// Entra's access tokens are a few KiB; anything far larger is refused before parsing.
const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// Allowed clock difference for `exp` and `nbf`.
const SKEW: Duration = Duration::from_secs(5 * 60);
/// An unknown `kid` refetches the keys at most this often.
const MIN_KEY_REFRESH: Duration = Duration::from_secs(60);

/// What the settings say about Entra.
#[derive(Debug, Clone)]
pub struct EntraSettings {
    /// e.g. `https://login.microsoftonline.com`, without the tenant.
    pub authority: String,
    pub tenant_id: String,
    pub audience: String,
    /// A delegated scope (`scp`) or an app role (`roles`) of this name lets a token through.
    pub required_scope: String,
}

impl EntraSettings {
    /// `{authority}/{tenant}/v2.0/.well-known/openid-configuration`.
    pub fn discovery_url(&self) -> String {
        format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            self.authority.trim_end_matches('/'),
            self.tenant_id
        )
    }
}

/// Why a bearer token was refused.
#[derive(Debug, thiserror::Error)]
pub enum TokenRejection {
    /// 401: forged, expired, for another audience, tenant or issuer, or unreadable. The reason
    /// is for the log only.
    #[error("invalid token: {0}")]
    Invalid(&'static str),
    /// 403: valid, but without the scope or role.
    #[error("the token lacks the required scope or app role")]
    MissingScope,
    /// 503: the keys could not be fetched, so no token can be checked.
    #[error(transparent)]
    KeysUnavailable(#[from] JwksError),
}

#[derive(Deserialize)]
struct Claims {
    tid: Option<String>,
    oid: Option<String>,
    scp: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    name: Option<String>,
}

pub struct Entra {
    settings: EntraSettings,
    jwks: Jwks,
}

impl Entra {
    pub fn new(settings: EntraSettings, http: reqwest::Client) -> Entra {
        let jwks = Jwks::new(http, settings.discovery_url(), MIN_KEY_REFRESH);
        Entra { settings, jwks }
    }

    /// The agent a token speaks for, if it is valid and carries the scope or role.
    pub async fn validate(&self, token: &str) -> Result<Agent, TokenRejection> {
        use TokenRejection::Invalid;
        if token.len() > MAX_TOKEN_BYTES {
            return Err(Invalid("too long"));
        }
        let header = decode_header(token).map_err(|_| Invalid("unreadable header"))?;
        if header.alg != Algorithm::RS256 {
            return Err(Invalid("not RS256"));
        }
        let kid = header.kid.ok_or(Invalid("no kid"))?;
        let keys = self.jwks.for_kid(&kid).await?;
        let key = keys.key(&kid).ok_or(Invalid("unknown kid"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = SKEW.as_secs();
        validation.validate_nbf = true;
        validation.set_issuer(&[&keys.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let claims = decode::<Claims>(token, key, &validation)
            .map_err(|error| {
                tracing::debug!(reason = ?error.kind(), "bearer token refused");
                Invalid("signature or claims")
            })?
            .claims;
        let tenant = claims.tid.unwrap_or_default();
        if !tenant.eq_ignore_ascii_case(&self.settings.tenant_id) {
            return Err(Invalid("another tenant"));
        }
        let oid = claims.oid.filter(|oid| is_object_id(oid));
        let oid = oid.ok_or(Invalid("no oid"))?;
        let required = self.settings.required_scope.as_str();
        let scoped = claims
            .scp
            .as_deref()
            .is_some_and(|scp| scp.split_whitespace().any(|s| s == required));
        if !scoped && !claims.roles.iter().any(|role| role == required) {
            return Err(TokenRejection::MissingScope);
        }
        Ok(Agent {
            oid: oid.to_ascii_lowercase(),
            tenant,
            name: claims.name.map(|name| name.chars().take(200).collect()),
        })
    }
}

/// An Entra object id is a GUID; it goes into a Dataverse header and cache keys, so nothing else
/// is let through.
fn is_object_id(text: &str) -> bool {
    dealpane_contract::Guid::parse(text).is_ok() && text.len() == 36
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_url_is_the_tenants_v2_document() {
        let settings = EntraSettings {
            authority: "https://login.microsoftonline.com/".to_owned(),
            tenant_id: "contoso".to_owned(),
            audience: "api://dealpane".to_owned(),
            required_scope: "Deals.Read".to_owned(),
        };
        assert_eq!(
            settings.discovery_url(),
            "https://login.microsoftonline.com/contoso/v2.0/.well-known/openid-configuration"
        );
    }

    #[test]
    fn object_ids_are_plain_guids() {
        assert!(is_object_id("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        assert!(!is_object_id("{3f2504e0-4f89-11d3-9a0c-0305e82c3301}"));
        assert!(!is_object_id("3f2504e0\r\nx"));
    }
}
