//! The store's currencies, as Dataverse's `transactioncurrency` rows, and its organization's base
//! currency (USD). Rates are fixed so a generated store is the same every run; they are plausible,
//! not live.

use dealpane_contract::Guid;
use rusqlite::{params, Transaction};

/// One `transactioncurrency` row.
#[derive(Debug, Clone, Copy)]
pub struct Currency {
    pub id: Guid,
    pub code: &'static str,
    pub name: &'static str,
    pub symbol: &'static str,
    /// Units of this currency per unit of the base currency (Dataverse's `exchangerate`).
    pub rate: f64,
}

const fn currency(
    n: u128,
    code: &'static str,
    name: &'static str,
    symbol: &'static str,
    rate: f64,
) -> Currency {
    Currency {
        id: Guid::from_u128(0x0d1a_c0c0_0000_4000_8000_0000_0000_0000 | n),
        code,
        name,
        symbol,
        rate,
    }
}

/// The organization's base currency: every `estimatedvalue_base` is in it.
pub const BASE: Currency = currency(1, "USD", "US Dollar", "$", 1.0);

pub const CURRENCIES: [Currency; 7] = [
    BASE,
    currency(2, "EUR", "Euro", "€", 0.92),
    currency(3, "GBP", "Pound Sterling", "£", 0.79),
    // ¥9,800,000 is about $65,333: a big number that is not a big deal.
    currency(4, "JPY", "Japanese Yen", "¥", 150.0),
    currency(5, "CHF", "Swiss Franc", "CHF", 0.88),
    currency(6, "CAD", "Canadian Dollar", "CA$", 1.38),
    currency(7, "AUD", "Australian Dollar", "A$", 1.52),
];

/// The one organization row's id.
pub const ORGANIZATION_ID: Guid = Guid::from_u128(0x0d1a_0e90_0000_4000_8000_0000_0000_0001);

pub fn by_code(code: &str) -> Option<Currency> {
    CURRENCIES
        .into_iter()
        .find(|currency| currency.code.eq_ignore_ascii_case(code))
}

/// `amount` in the base currency at `rate`, rounded to cents as Dataverse stores money.
pub fn to_base(amount: f64, rate: f64) -> f64 {
    (amount / rate * 100.0).round() / 100.0
}

/// Writes the currencies and the organization (inside the generating transaction).
pub fn write(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut insert = tx.prepare(
        "INSERT INTO transactioncurrency
            (transactioncurrencyid, isocurrencycode, currencyname, currencysymbol, exchangerate)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for c in CURRENCIES {
        insert.execute(params![c.id.to_string(), c.code, c.name, c.symbol, c.rate])?;
    }
    tx.execute(
        "INSERT INTO organization (organizationid, name, _basecurrencyid_value) VALUES (?1, ?2, ?3)",
        params![ORGANIZATION_ID.to_string(), "Contoso Sales (embedded)", BASE.id.to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_values_divide_by_the_rate_and_round_to_cents() {
        let jpy = by_code("jpy").unwrap();
        assert_eq!(to_base(9_800_000.0, jpy.rate), 65_333.33);
        assert_eq!(to_base(120_000.0, by_code("EUR").unwrap().rate), 130_434.78);
        assert_eq!(to_base(-40.0, BASE.rate), -40.0);
        assert_eq!(to_base(0.0, jpy.rate), 0.0);
        assert!(by_code("XYZ").is_none());
        assert_eq!(BASE.rate, 1.0);
    }
}
