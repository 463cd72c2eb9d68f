//! HTTP to Dataverse with bounded retries: a 429 waits `Retry-After` (when it fits the caps),
//! 5xx, 408 and transport errors back off exponentially, everything stays within one deadline,
//! and a 401 gets one fresh token and one more try.

use std::time::Duration;

use reqwest::{header, Method, RequestBuilder, Response, StatusCode, Url};
use serde_json::Value;
use tokio::time::Instant;

use super::token::TokenCache;
use crate::source::SourceError;

/// The Web API's JSON error body, `{"error":{"code","message"}}`; other shapes are tolerated.
const ANNOTATIONS: &str = "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"";
/// The first backoff after a 5xx or transport error; doubles per attempt.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// When one source call must be done by.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(duration: Duration) -> Deadline {
        Deadline(Instant::now() + duration)
    }

    fn remaining(self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }
}

/// Which failures a request may be sent again after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryOn {
    /// Reads and the token request: 429, every 5xx, 408 and transport errors.
    Transient,
    /// An action that is not idempotent and costs an AI call (the summary): only 429, 503 and
    /// 504 (the service did not run it) and a connection never made; a 500 or 502 may have run
    /// it, and a 501 means the operation does not exist.
    Refusals,
}

impl RetryOn {
    fn status(self, status: StatusCode) -> bool {
        match self {
            RetryOn::Transient => status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT,
            RetryOn::Refusals => matches!(
                status,
                StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
            ),
        }
    }

    fn error(self, error: &reqwest::Error) -> bool {
        self == RetryOn::Transient || error.is_connect()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub max_wait: Duration,
}

/// A request Dataverse refused with a 4xx (other than a 401 a fresh token cured): the request
/// itself was wrong for this environment. Callers that can adapt (a column the environment
/// lacks) look at it; the others turn it into a [`SourceError::Upstream`].
#[derive(Debug)]
pub struct Rejection {
    pub status: StatusCode,
    /// `GET opportunities`: the request without its query.
    pub what: String,
    /// The Web API's `error.message` (with its code), or the start of the body.
    pub message: String,
}

impl From<Rejection> for SourceError {
    fn from(rejection: Rejection) -> SourceError {
        SourceError::Upstream(format!(
            "Dataverse answered {} to {}: {}",
            rejection.status, rejection.what, rejection.message
        ))
    }
}

pub struct Client {
    http: reqwest::Client,
    tokens: TokenCache,
    policy: RetryPolicy,
}

impl Client {
    pub fn new(http: reqwest::Client, tokens: TokenCache, policy: RetryPolicy) -> Client {
        Client {
            http,
            tokens,
            policy,
        }
    }

    /// A GET of a Web API URL, with formatted-value annotations and optionally a page size.
    pub async fn get_json(
        &self,
        url: &Url,
        page_size: Option<u16>,
        deadline: Deadline,
    ) -> Result<Value, SourceError> {
        self.try_get_json(url, page_size, deadline)
            .await?
            .map_err(SourceError::from)
    }

    /// [`Client::get_json`], with a refusal (4xx) handed back for the caller to judge.
    pub async fn try_get_json(
        &self,
        url: &Url,
        page_size: Option<u16>,
        deadline: Deadline,
    ) -> Result<Result<Value, Rejection>, SourceError> {
        let response = self
            .authorized(Method::GET, url, deadline, |request| {
                let request = request.header("Prefer", ANNOTATIONS);
                match page_size {
                    Some(size) => request.header("Prefer", format!("odata.maxpagesize={size}")),
                    None => request,
                }
            })
            .await?;
        match response {
            Ok(response) => Ok(Ok(read_json(
                response,
                &describe(&Method::GET, url),
                deadline,
            )
            .await?)),
            Err(rejection) => Ok(Err(rejection)),
        }
    }

    /// A POST of an unbound action. A 204 (no output) answers `Value::Null`. Actions are not
    /// assumed idempotent: retried only when refused ([`RetryOn::Refusals`]).
    pub async fn post_json(
        &self,
        url: &Url,
        body: &Value,
        deadline: Deadline,
    ) -> Result<Value, SourceError> {
        let response = self
            .authorized_on(Method::POST, url, deadline, RetryOn::Refusals, |request| {
                request.json(body)
            })
            .await??;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(Value::Null);
        }
        read_json(response, &describe(&Method::POST, url), deadline).await
    }

    /// Creates a record (`POST <entity set>`): Dataverse answers 204 with the new record's URL in
    /// `OData-EntityId`, which this returns. A create is not idempotent: retried only when
    /// refused ([`RetryOn::Refusals`]); any other failure comes back as a [`Rejection`].
    pub async fn create(
        &self,
        url: &Url,
        body: &Value,
        deadline: Deadline,
    ) -> Result<Result<String, Rejection>, SourceError> {
        let response = self
            .authorized_on(Method::POST, url, deadline, RetryOn::Refusals, |request| {
                request.json(body)
            })
            .await?;
        let response = match response {
            Ok(response) => response,
            Err(rejection) => return Ok(Err(rejection)),
        };
        let location = response
            .headers()
            .get("OData-EntityId")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        location.map(Ok).ok_or_else(|| {
            SourceError::Upstream(format!(
                "Dataverse answered {} to {} without an OData-EntityId header",
                response.status(),
                describe(&Method::POST, url)
            ))
        })
    }

    /// Sends with a bearer token; on a 401 drops that token, gets a new one and tries once more.
    /// An answer that is not a success comes back as a [`Rejection`].
    async fn authorized(
        &self,
        method: Method,
        url: &Url,
        deadline: Deadline,
        extra: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Result<Response, Rejection>, SourceError> {
        self.authorized_on(method, url, deadline, RetryOn::Transient, extra)
            .await
    }

    async fn authorized_on(
        &self,
        method: Method,
        url: &Url,
        deadline: Deadline,
        retry_on: RetryOn,
        extra: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Result<Response, Rejection>, SourceError> {
        let what = describe(&method, url);
        // `agent` identity: Sales applies the agent's security roles (impersonation).
        let acting_for = crate::auth::acting_for();
        let mut refreshed = false;
        loop {
            let token = self.tokens.get(&self.http, self.policy, deadline).await?;
            let response = send_retrying(&what, self.policy, retry_on, deadline, || {
                extra(
                    self.http
                        .request(method.clone(), url.clone())
                        .bearer_auth(&*token)
                        .header(header::ACCEPT, "application/json")
                        .header("OData-MaxVersion", "4.0")
                        .header("OData-Version", "4.0")
                        .header(header::IF_NONE_MATCH, "null")
                        .headers(on_behalf_of(acting_for.as_deref())),
                )
            })
            .await?;
            let status = response.status();
            if status.is_success() {
                return Ok(Ok(response));
            }
            let message = error_message(response, deadline).await;
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                tracing::info!(%what, "Dataverse refused the access token; getting a new one");
                self.tokens.invalidate(&token).await;
                refreshed = true;
                continue;
            }
            if acting_for.is_some() && refuses_the_caller(status, &message) {
                return Err(SourceError::NoAccess(message));
            }
            return Ok(Err(Rejection {
                status,
                what,
                message,
            }));
        }
    }
}

/// `CallerObjectId: <oid>` when a call is made for an agent, else nothing.
fn on_behalf_of(oid: Option<&str>) -> header::HeaderMap {
    let mut headers = header::HeaderMap::new();
    if let Some(value) = oid.and_then(|oid| header::HeaderValue::from_str(oid).ok()) {
        headers.insert("CallerObjectId", value);
    }
    headers
}

/// Whether Dataverse refused the impersonated agent rather than the request: a 403, or the
/// codes for a user it does not know (`0x80040217`, ObjectDoesNotExist) or that is disabled
/// (`0x80040225`, UserIsDisabled).
fn refuses_the_caller(status: StatusCode, message: &str) -> bool {
    status == StatusCode::FORBIDDEN
        || message.contains("(code 0x80040225)")
        || (message.contains("(code 0x80040217)") && message.contains("systemuser"))
}

/// `GET opportunities`: names the request in messages without its query (which may hold names).
fn describe(method: &Method, url: &Url) -> String {
    let path = url.path();
    let resource = path
        .find("/api/data/v9.2/")
        .map(|at| &path[at + "/api/data/v9.2/".len()..])
        .unwrap_or(path);
    format!("{method} {resource}")
}

/// Sends until the answer is neither a 429 nor a transient failure, or the retries, the
/// waits or the deadline run out. Other statuses (2xx, 4xx) are returned to the caller.
pub async fn send_with_retries(
    what: &str,
    policy: RetryPolicy,
    deadline: Deadline,
    build: impl Fn() -> RequestBuilder,
) -> Result<Response, SourceError> {
    send_retrying(what, policy, RetryOn::Transient, deadline, build).await
}

/// [`send_with_retries`], retrying only what `retry_on` allows besides 429.
async fn send_retrying(
    what: &str,
    policy: RetryPolicy,
    retry_on: RetryOn,
    deadline: Deadline,
    build: impl Fn() -> RequestBuilder,
) -> Result<Response, SourceError> {
    let mut attempt: u32 = 0;
    loop {
        let remaining = deadline.remaining();
        if remaining.is_zero() {
            return Err(SourceError::Timeout);
        }
        let outcome = match tokio::time::timeout(remaining, build().send()).await {
            Err(_) => return Err(SourceError::Timeout),
            Ok(outcome) => outcome,
        };
        let retries_left = attempt < policy.max_retries;
        let backoff = (FIRST_BACKOFF * 2u32.saturating_pow(attempt)).min(policy.max_wait);
        attempt += 1;
        let wait = match outcome {
            Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                let asked = retry_after(&response);
                let wait = asked.unwrap_or(backoff);
                if !retries_left || wait > policy.max_wait || wait >= deadline.remaining() {
                    tracing::warn!(%what, ?asked, attempt, "Dataverse is throttling; giving up");
                    return Err(SourceError::Throttled { retry_after: wait });
                }
                tracing::info!(%what, ?wait, attempt, "Dataverse is throttling; waiting");
                wait
            }
            Ok(response) if retry_on.status(response.status()) => {
                let status = response.status();
                if !retries_left || backoff >= deadline.remaining() {
                    let message = error_message(response, deadline).await;
                    return Err(SourceError::Upstream(format!(
                        "Dataverse answered {status} to {what} after {attempt} attempts: {message}"
                    )));
                }
                tracing::info!(%what, %status, attempt, "Dataverse failed; retrying");
                backoff
            }
            Ok(response) => return Ok(response),
            Err(error) if error.is_timeout() => return Err(SourceError::Timeout),
            Err(error) => {
                if !retries_left || backoff >= deadline.remaining() || !retry_on.error(&error) {
                    return Err(SourceError::Upstream(format!(
                        "Dataverse could not be reached for {what} after {attempt} attempts: {}",
                        error_chain(&error)
                    )));
                }
                tracing::info!(%what, error = %error_chain(&error), attempt, "Dataverse unreachable; retrying");
                backoff
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// `Retry-After` in whole seconds, as Dataverse sends it.
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// reqwest's top-level message hides the cause ("error sending request"); the chain says it.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Reads a JSON body within the deadline; a body that is not JSON is an upstream failure.
pub async fn read_json(
    response: Response,
    what: &str,
    deadline: Deadline,
) -> Result<Value, SourceError> {
    let bytes = read_body(response, deadline).await?;
    serde_json::from_slice(&bytes).map_err(|error| {
        SourceError::Upstream(format!(
            "Dataverse answered {what} with a body that is not valid JSON ({error})"
        ))
    })
}

async fn read_body(response: Response, deadline: Deadline) -> Result<Vec<u8>, SourceError> {
    match tokio::time::timeout(deadline.remaining(), response.bytes()).await {
        Err(_) => Err(SourceError::Timeout),
        Ok(Err(error)) if error.is_timeout() => Err(SourceError::Timeout),
        Ok(Err(error)) => Err(SourceError::Upstream(format!(
            "Dataverse's answer broke off: {}",
            error_chain(&error)
        ))),
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
    }
}

/// The readable part of an error answer: the Web API's `error.message` (with its code), the
/// token endpoint's `error_description`, or the start of whatever else came.
pub async fn error_message(response: Response, deadline: Deadline) -> String {
    let Ok(bytes) = read_body(response, deadline).await else {
        return "(no body)".to_owned();
    };
    if let Ok(body) = serde_json::from_slice::<Value>(&bytes) {
        if let Some(message) = body["error"]["message"].as_str() {
            return match body["error"]["code"].as_str() {
                Some(code) if !code.is_empty() => format!("{message} (code {code})"),
                _ => message.to_owned(),
            };
        }
        if let (Some(error), description) =
            (body["error"].as_str(), body["error_description"].as_str())
        {
            // The description's first line; the rest is trace and correlation ids.
            let first_line = description.and_then(|d| d.lines().next()).unwrap_or("");
            return format!("{error}: {first_line}");
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim();
    if text.is_empty() {
        "(empty body)".to_owned()
    } else {
        text.chars().take(200).collect()
    }
}
