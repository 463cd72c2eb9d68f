//! The Dataverse (Dynamics 365 Sales) source: the Web API v9.2 over OAuth2 client credentials.
//! `config` holds the settings, `token` the cached access token, `client` the retrying HTTP,
//! `odata` the query text, `mapping` the records → contract types, `org` what is learnt once
//! about the environment (base currency, forecasting column).

mod client;
mod config;
mod mapping;
pub mod odata;
mod org;
mod token;
mod writes;

use std::time::Duration;

use async_trait::async_trait;
use dealpane_contract::{order_deals, CustomerRef, CustomerType, Deal, Degradation, Guid};
use reqwest::Url;
use serde_json::{json, Value};

use self::client::{Client, Deadline, Rejection, RetryPolicy};
use self::mapping::{CustomerTable, Record};
use self::odata::Query;
use self::org::{BaseCurrency, ForecastColumn};
use self::token::TokenCache;
use super::{link::deal_link, CustomerRecord, SalesSource, SourceError, SourceStats};

pub use self::config::{DataverseConfig, DataverseConfigError, Secret, DEFAULT_AUTHORITY};

/// The Web API's version path under the org URL.
const API_PATH: &str = "api/data/v9.2/";
/// The Sales Copilot action that summarizes one opportunity.
const SUMMARY_ACTION: &str = "msdyn_SalesOpportunitySummary";

pub struct DataverseSource {
    client: Client,
    /// `<org>/api/data/v9.2/`.
    api_root: Url,
    org_url: String,
    app_id: Option<String>,
    request_timeout: Duration,
    summary_timeout: Duration,
    page_size: u16,
    base_currency: BaseCurrency,
    forecast_column: ForecastColumn,
}

impl DataverseSource {
    /// Checks the configuration and builds the HTTP client; no request is made until used.
    pub fn new(config: DataverseConfig) -> Result<DataverseSource, DataverseConfigError> {
        let org_url = config.org_url.trim().trim_end_matches('/').to_owned();
        let api_root = Url::parse(&format!("{org_url}/{API_PATH}"))
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
            .ok_or_else(|| DataverseConfigError::OrgUrl(config.org_url.clone()))?;
        let authority = config.authority.trim().trim_end_matches('/');
        if !(authority.starts_with("https://") || authority.starts_with("http://")) {
            return Err(DataverseConfigError::Authority(config.authority.clone()));
        }
        for (value, name) in [
            (&config.tenant_id, "tenant id"),
            (&config.client_id, "client id"),
        ] {
            if value.trim().is_empty() {
                return Err(DataverseConfigError::Missing(name));
            }
        }
        if config.client_secret.expose().is_empty() {
            return Err(DataverseConfigError::Missing("client secret"));
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("dealpane-server/", env!("CARGO_PKG_VERSION")))
            // The deadline bounds each call; this only stops a stuck connection attempt.
            .connect_timeout(config.request_timeout)
            .build()
            .map_err(|error| DataverseConfigError::Http(error.to_string()))?;
        let tokens = TokenCache::new(
            format!("{authority}/{}/oauth2/v2.0/token", config.tenant_id.trim()),
            config.client_id.trim().to_owned(),
            config.client_secret,
            format!("{org_url}/.default"),
        );
        let policy = RetryPolicy {
            max_retries: config.max_retries,
            max_wait: config.max_retry_wait,
        };
        Ok(DataverseSource {
            client: Client::new(http, tokens, policy),
            api_root,
            org_url,
            app_id: config.app_id,
            request_timeout: config.request_timeout,
            summary_timeout: config.summary_timeout,
            page_size: config.page_size.clamp(1, 5000),
            base_currency: BaseCurrency::default(),
            forecast_column: ForecastColumn::default(),
        })
    }

    fn deadline(&self) -> Deadline {
        Deadline::after(self.request_timeout)
    }

    fn url(&self, resource: &str, query: &Query) -> Result<Url, SourceError> {
        let text = format!("{}{resource}?{}", self.api_root, query.to_query_string());
        Url::parse(&text)
            .map_err(|error| SourceError::Upstream(format!("bad Dataverse URL ({error})")))
    }

    /// Rows of a collection query, following `@odata.nextLink` until `limit` rows are in or
    /// no page follows.
    async fn rows(
        &self,
        entity_set: &str,
        query: Query,
        limit: usize,
        page_size: Option<u16>,
        deadline: Deadline,
    ) -> Result<Vec<Record>, SourceError> {
        self.try_rows(entity_set, query, limit, page_size, deadline)
            .await?
            .map_err(SourceError::from)
    }

    /// [`DataverseSource::rows`], with a refused query handed back for the caller to judge.
    async fn try_rows(
        &self,
        entity_set: &str,
        query: Query,
        limit: usize,
        page_size: Option<u16>,
        deadline: Deadline,
    ) -> Result<Result<Vec<Record>, Rejection>, SourceError> {
        let mut url = self.url(entity_set, &query)?;
        let mut rows = Vec::new();
        loop {
            let page = match self.client.try_get_json(&url, page_size, deadline).await? {
                Ok(page) => page,
                Err(rejection) => return Ok(Err(rejection)),
            };
            let values = page.get("value").and_then(Value::as_array).ok_or_else(|| {
                SourceError::Upstream(format!(
                    "Dataverse's answer for {entity_set} has no 'value' array"
                ))
            })?;
            rows.extend(values.iter().filter_map(|row| row.as_object().cloned()));
            let next = page.get("@odata.nextLink").and_then(Value::as_str);
            match next {
                Some(next) if rows.len() < limit => url = self.next_page(next)?,
                _ => break,
            }
        }
        rows.truncate(limit);
        Ok(Ok(rows))
    }

    /// The next page's URL, used verbatim; it must stay under this org's Web API so the bearer
    /// token never goes elsewhere.
    fn next_page(&self, link: &str) -> Result<Url, SourceError> {
        Url::parse(link)
            .ok()
            .filter(|url| url.as_str().starts_with(self.api_root.as_str()))
            .ok_or_else(|| {
                SourceError::Upstream(format!(
                    "Dataverse's next-page link leaves {}: refused",
                    self.api_root
                ))
            })
    }

    /// The first customer `query` (built per table) finds, in the tables `kind` allows, in
    /// order (accounts before contacts), within one deadline.
    async fn first_customer(
        &self,
        kind: Option<CustomerType>,
        query: impl Fn(CustomerTable) -> Query,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        let deadline = self.deadline();
        for &table in mapping::customer_tables(kind) {
            let rows = self
                .rows(table.entity_set, query(table), 1, None, deadline)
                .await?;
            if let Some(row) = rows.first() {
                return mapping::customer(table, row)
                    .map(Some)
                    .map_err(SourceError::Upstream);
            }
        }
        Ok(None)
    }

    /// The organization's base currency code: `organizations` → its `_basecurrencyid_value`
    /// → that `transactioncurrencies` row's `isocurrencycode`.
    async fn read_base_currency(&self) -> Result<String, String> {
        let deadline = self.deadline();
        let organization = self
            .rows(
                "organizations",
                Query::new().select(&["_basecurrencyid_value"]),
                1,
                None,
                deadline,
            )
            .await
            .map_err(|error| error.to_string())?;
        let id = organization
            .first()
            .and_then(|row| row.get("_basecurrencyid_value"))
            .and_then(Value::as_str)
            .and_then(|text| Guid::parse(text).ok())
            .ok_or("the organization row has no base currency")?;
        let url = self.url(
            &format!("transactioncurrencies({id})"),
            &Query::new().select(&["isocurrencycode"]),
        );
        let currency = match url {
            Ok(url) => self.client.get_json(&url, None, deadline).await,
            Err(error) => Err(error),
        }
        .map_err(|error| error.to_string())?;
        currency
            .get("isocurrencycode")
            .and_then(Value::as_str)
            .map(|code| code.trim().to_ascii_uppercase())
            .filter(|code| !code.is_empty())
            .ok_or_else(|| format!("the base currency {id} has no ISO code"))
    }

    /// The deals query, with the forecasting column unless the environment is known to lack
    /// it. A 400 for naming the column marks it missing (logged once) and asks again without.
    async fn deal_rows(&self, customer: Guid, top: u8) -> Result<Vec<Record>, SourceError> {
        let deadline = self.deadline();
        // No `$top`: Dataverse documents its mix with `maxpagesize` inconsistently, so pages
        // are asked for and reading stops once `top` rows are in.
        let page_size = self.page_size.min(u16::from(top.max(1)));
        let query = |with_forecast: bool| {
            Query::new()
                .select(&mapping::deal_columns(with_forecast))
                .expand(mapping::DEAL_EXPANSION)
                .filter(format!(
                    "statecode eq 0 and {}",
                    odata::eq_guid("_customerid_value", customer)
                ))
                .order_by("estimatedvalue_base desc,estimatedclosedate asc")
        };
        let limit = usize::from(top);
        let with_forecast = self.forecast_column.select_it();
        let first = self
            .try_rows(
                "opportunities",
                query(with_forecast),
                limit,
                Some(page_size),
                deadline,
            )
            .await?;
        match first {
            Ok(rows) => {
                if with_forecast {
                    self.forecast_column.mark_present();
                }
                Ok(rows)
            }
            Err(rejection)
                if with_forecast
                    && org::names_missing_forecast_column(
                        rejection.status.as_u16(),
                        &rejection.message,
                    ) =>
            {
                self.forecast_column.mark_missing(&rejection.message);
                self.rows(
                    "opportunities",
                    query(false),
                    limit,
                    Some(page_size),
                    deadline,
                )
                .await
            }
            Err(rejection) => Err(rejection.into()),
        }
    }
}

#[async_trait]
impl SalesSource for DataverseSource {
    fn name(&self) -> &'static str {
        "dataverse"
    }

    async fn customer_by_id(
        &self,
        id: Guid,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        self.first_customer(kind, |table| {
            Query::new()
                .select(&[table.name])
                .filter(odata::eq_guid(table.key, id))
        })
        .await
    }

    async fn customer_by_name(
        &self,
        name: &str,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        // Dataverse compares strings case-insensitively, as the trait asks.
        self.first_customer(kind, |table| {
            Query::new()
                .select(&[table.name, "modifiedon"])
                .filter(odata::eq_text(table.name, name))
                .order_by("modifiedon desc")
                .top(1)
        })
        .await
    }

    async fn open_deals(
        &self,
        customer: &CustomerRecord,
        top: u8,
    ) -> Result<Vec<Deal>, SourceError> {
        // The base currency is read once per process; the first time, alongside the deals.
        let (base_currency, rows) =
            tokio::join!(self.base_currency(), self.deal_rows(customer.id, top));
        let rows = rows?;
        let link = |id| deal_link(&self.org_url, self.app_id.as_deref(), id);
        // Without the base currency's code the base amounts still compare (they are all in
        // it), so they order the deals under a blank label and are then left out, not guessed.
        let label = base_currency.as_deref().unwrap_or("");
        let mut deals = Vec::with_capacity(rows.len());
        for row in &rows {
            match mapping::deal(row, link, Some(label)) {
                Ok(deal) => deals.push(deal),
                Err(problem) => tracing::warn!(%problem, "skipped an opportunity"),
            }
        }
        // Dataverse ordered by base value already; SQL Server puts null close dates first in
        // ascending order, and the contract wants them last.
        order_deals(&mut deals);
        if base_currency.is_none() {
            deals.iter_mut().for_each(|deal| deal.value_base = None);
        }
        Ok(deals)
    }

    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError> {
        let url = self
            .api_root
            .join(SUMMARY_ACTION)
            .map_err(|error| SourceError::Upstream(format!("bad Dataverse URL ({error})")))?;
        let id = deal_id.to_string();
        let body = json!({"msdyn_id": id, "msdyn_activityId": id});
        let answer = self
            .client
            .post_json(&url, &body, Deadline::after(self.summary_timeout))
            .await
            .map_err(|error| match error {
                SourceError::Upstream(message) if message.contains("answered 404 ") => {
                    SourceError::Upstream(format!(
                        "the summary action {SUMMARY_ACTION} is not available in this Sales \
                         environment (is Copilot in Dynamics 365 Sales turned on?): {message}"
                    ))
                }
                other => other,
            })?;
        answer
            .get("msdyn_summary_raw")
            .and_then(Value::as_str)
            .and_then(mapping::summary_text)
            .ok_or_else(|| {
                SourceError::Upstream(format!(
                    "{SUMMARY_ACTION} returned no summary text for opportunity {deal_id}"
                ))
            })
    }

    async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, SourceError> {
        let deadline = self.deadline();
        let limit = usize::from(top);
        let mut found = Vec::new();
        for &table in mapping::customer_tables(None) {
            let query = Query::new()
                .select(&[table.name])
                .filter(odata::starts_with(table.name, prefix))
                .order_by(&format!("{} asc", table.name))
                .top(u32::from(top));
            for row in self
                .rows(table.entity_set, query, limit, None, deadline)
                .await?
            {
                found.push(mapping::customer_ref(table, &row).map_err(SourceError::Upstream)?);
            }
        }
        found.sort_by_cached_key(|customer| customer.name.to_lowercase());
        found.truncate(limit);
        Ok(found)
    }

    async fn base_currency(&self) -> Option<String> {
        self.base_currency
            .get_or_read(|| self.read_base_currency())
            .await
    }

    fn writer(&self) -> Option<&dyn super::writes::SalesWriter> {
        Some(self)
    }

    fn degradations(&self) -> Vec<Degradation> {
        [
            self.base_currency.degradation(),
            self.forecast_column.degradation(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// No cheap counts in Dataverse; a token plus `WhoAmI` proves the source is reachable.
    async fn stats(&self) -> Result<SourceStats, SourceError> {
        let url = self
            .api_root
            .join("WhoAmI")
            .map_err(|error| SourceError::Upstream(format!("bad Dataverse URL ({error})")))?;
        self.client.get_json(&url, None, self.deadline()).await?;
        Ok(SourceStats::default())
    }
}
