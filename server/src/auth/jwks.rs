//! The tenant's signing keys: the OIDC discovery document (`jwks_uri`, `issuer`), then the JWKS,
//! cached. A token signed with a key not in the cache triggers one refetch, at most once per
//! `min_refresh` (Entra rotates keys, a forger's `kid` must not make us hammer the endpoint).
//! A set older than a day is refetched on next use (a key Entra withdrew stops working), and
//! kept if that fetch fails (the endpoint's hiccup must not sign everyone out).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use jsonwebtoken::DecodingKey;
use serde::Deserialize;
use tokio::time::Instant;

/// Bounds what is read from the discovery and JWKS endpoints.
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
const MAX_KEYS: usize = 64;
/// How long a fetched set is trusted before it is fetched again.
const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// What the discovery document and JWKS said, at one fetch.
pub struct KeySet {
    pub issuer: String,
    keys: HashMap<String, DecodingKey>,
    fetched: Instant,
}

impl KeySet {
    pub fn key(&self, kid: &str) -> Option<&DecodingKey> {
        self.keys.get(kid)
    }

    /// Has `kid`, and is young enough to be used without a refetch.
    fn serves(&self, kid: &str) -> bool {
        self.key(kid).is_some() && self.fetched.elapsed() < MAX_AGE
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    /// The discovery document or the JWKS could not be fetched or read.
    #[error("the signing keys could not be fetched: {0}")]
    Unavailable(String),
}

pub struct Jwks {
    http: reqwest::Client,
    discovery_url: String,
    min_refresh: Duration,
    current: RwLock<Option<Arc<KeySet>>>,
    /// When the last fetch was tried; held across a fetch so concurrent misses share it.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

#[derive(Deserialize)]
struct JwkSet {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl Jwks {
    pub fn new(http: reqwest::Client, discovery_url: String, min_refresh: Duration) -> Jwks {
        Jwks {
            http,
            discovery_url,
            min_refresh,
            current: RwLock::new(None),
            last_fetch: tokio::sync::Mutex::new(None),
        }
    }

    /// The key set, with `kid` in it if it can be: the cached set when it has `kid`, else a
    /// fresh one (unless one was fetched less than `min_refresh` ago).
    pub async fn for_kid(&self, kid: &str) -> Result<Arc<KeySet>, JwksError> {
        if let Some(set) = self.cached().filter(|set| set.serves(kid)) {
            return Ok(set);
        }
        let mut last_fetch = self.last_fetch.lock().await;
        // Another request may have refreshed while this one waited.
        let cached = self.cached();
        if let Some(set) = cached.as_ref().filter(|set| set.serves(kid)) {
            return Ok(set.clone());
        }
        let recently = last_fetch.is_some_and(|at| at.elapsed() < self.min_refresh);
        if let (Some(set), true) = (cached.clone(), recently) {
            return Ok(set);
        }
        *last_fetch = Some(Instant::now());
        let fresh = match (self.fetch().await, cached) {
            (Ok(fresh), _) => Arc::new(fresh),
            (Err(error), Some(stale)) => {
                tracing::warn!(%error, "keeping the signing keys fetched before");
                return Ok(stale);
            }
            (Err(error), None) => return Err(error),
        };
        tracing::info!(keys = fresh.keys.len(), "fetched the token signing keys");
        *self.current.write().unwrap() = Some(fresh.clone());
        Ok(fresh)
    }

    fn cached(&self) -> Option<Arc<KeySet>> {
        self.current.read().unwrap().clone()
    }

    async fn fetch(&self) -> Result<KeySet, JwksError> {
        let discovery: Discovery = self.get_json(&self.discovery_url).await?;
        let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
        let keys = set
            .keys
            .into_iter()
            .filter(|jwk| jwk.kty == "RSA" && jwk.usage.as_deref().is_none_or(|u| u == "sig"))
            .filter_map(|jwk| {
                let key = DecodingKey::from_rsa_components(jwk.n.as_deref()?, jwk.e.as_deref()?);
                Some((jwk.kid?, key.ok()?))
            })
            .take(MAX_KEYS)
            .collect();
        Ok(KeySet {
            issuer: discovery.issuer,
            keys,
            fetched: Instant::now(),
        })
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, JwksError> {
        let unavailable = |what: String| JwksError::Unavailable(format!("{url}: {what}"));
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("answered {}", response.status())));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(unavailable(format!("{} bytes is too long", bytes.len())));
        }
        serde_json::from_slice(&bytes).map_err(|e| unavailable(e.to_string()))
    }
}
