//! What the connector learns about the Sales environment itself, once, and keeps: the
//! organization's base currency, and whether the Forecasting solution's column exists.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use dealpane_contract::Degradation;
use tokio::sync::OnceCell;

use super::mapping::FORECAST_COLUMN;

/// After a failed read of the base currency, answers go without base values for this long
/// before the next try, so a missing privilege does not cost two calls per pane.
const BASE_CURRENCY_RETRY: Duration = Duration::from_secs(60);

/// The organization's base currency ISO code: read once, kept for the process's life (an org
/// cannot change its base currency once set).
#[derive(Default)]
pub struct BaseCurrency {
    code: OnceCell<String>,
    failed_at: Mutex<Option<Instant>>,
}

impl BaseCurrency {
    /// The known code, or `read`'s answer the first time; `None` while a failed read is recent.
    pub async fn get_or_read<F, Fut>(&self, read: F) -> Option<String>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<String, String>>,
    {
        if let Some(code) = self.code.get() {
            return Some(code.clone());
        }
        let recently_failed = self
            .failed_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|at| at.elapsed() < BASE_CURRENCY_RETRY);
        if recently_failed {
            return None;
        }
        // Concurrent first callers share one read.
        match self.code.get_or_try_init(read).await {
            Ok(code) => Some(code.clone()),
            Err(error) => {
                tracing::warn!(
                    %error,
                    "the organization's base currency could not be read; deals go without \
                     base values for now"
                );
                *self
                    .failed_at
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
                None
            }
        }
    }

    /// Said while the last read failed and no code is known.
    pub fn degradation(&self) -> Option<Degradation> {
        let failed = self
            .failed_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        (failed && self.code.get().is_none()).then(|| Degradation {
            code: "baseCurrencyUnknown".to_owned(),
            detail: "The organization's base currency could not be read (organizations and \
                     transactioncurrencies need read access), so deals are listed without \
                     values in it."
                .to_owned(),
        })
    }
}

const UNKNOWN: u8 = 0;
const PRESENT: u8 = 1;
const MISSING: u8 = 2;

/// Whether opportunities have `msdyn_forecastcategory`: unknown until a deals query says.
#[derive(Default)]
pub struct ForecastColumn(AtomicU8);

impl ForecastColumn {
    /// Whether to select the column: yes unless it is known to be missing.
    pub fn select_it(&self) -> bool {
        self.0.load(Ordering::Relaxed) != MISSING
    }

    pub fn mark_present(&self) {
        let _ = self
            .0
            .compare_exchange(UNKNOWN, PRESENT, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Records that the environment lacks the column; the first caller to find out logs it.
    pub fn mark_missing(&self, message: &str) {
        if self.0.swap(MISSING, Ordering::Relaxed) != MISSING {
            tracing::warn!(
                column = FORECAST_COLUMN,
                dataverse = %message,
                "this Sales environment has no forecast category column (the Forecasting \
                 solution is not installed): deals are listed without one from now on"
            );
        }
    }

    pub fn degradation(&self) -> Option<Degradation> {
        (self.0.load(Ordering::Relaxed) == MISSING).then(|| Degradation {
            code: "forecastCategoryMissing".to_owned(),
            detail: format!(
                "The Sales environment has no {FORECAST_COLUMN} column (it comes with the \
                 Forecasting solution), so deals are listed without a forecast category."
            ),
        })
    }
}

/// Whether a refused deals query was refused for naming the forecasting column: Dataverse
/// answers 400 "Could not find a property named 'msdyn_forecastcategory' on type
/// 'Microsoft.Dynamics.CRM.opportunity'."
pub fn names_missing_forecast_column(status: u16, message: &str) -> bool {
    status == 400 && message.contains(FORECAST_COLUMN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_base_currency_is_read_once_and_a_failure_waits() {
        let currency = BaseCurrency::default();
        assert_eq!(currency.degradation(), None);
        let failed = currency
            .get_or_read(|| async { Err::<String, _>("403".to_owned()) })
            .await;
        assert_eq!(failed, None);
        assert_eq!(
            currency.degradation().map(|d| d.code).as_deref(),
            Some("baseCurrencyUnknown")
        );
        let during_backoff = currency
            .get_or_read(|| async { panic!("no read while a failure is recent") })
            .await;
        assert_eq!(during_backoff, None);
        *currency.failed_at.lock().unwrap() = None;
        let read = currency
            .get_or_read(|| async { Ok("EUR".to_owned()) })
            .await;
        assert_eq!(read.as_deref(), Some("EUR"));
        let cached = currency
            .get_or_read(|| async { panic!("read only once") })
            .await;
        assert_eq!(cached.as_deref(), Some("EUR"));
        assert_eq!(currency.degradation(), None, "known now");
    }

    #[test]
    fn a_missing_forecast_column_is_remembered_and_reported() {
        let column = ForecastColumn::default();
        assert!(column.select_it());
        assert_eq!(column.degradation(), None);
        column.mark_present();
        assert!(column.select_it());
        column.mark_missing("Could not find a property named 'msdyn_forecastcategory'");
        column.mark_missing("again");
        column.mark_present();
        assert!(!column.select_it(), "missing stays missing");
        assert_eq!(
            column.degradation().map(|d| d.code).as_deref(),
            Some("forecastCategoryMissing")
        );
        assert!(names_missing_forecast_column(
            400,
            "Could not find a property named 'msdyn_forecastcategory' on type 'Microsoft.Dynamics.CRM.opportunity'."
        ));
        assert!(!names_missing_forecast_column(
            403,
            "msdyn_forecastcategory"
        ));
        assert!(!names_missing_forecast_column(400, "unterminated literal"));
    }
}
