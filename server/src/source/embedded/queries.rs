//! The store's read queries, as plain functions over one connection (the pool in `mod.rs` runs
//! them off the async runtime).

use dealpane_contract::{
    CustomerRef, CustomerType, Deal, DealStatus, ForecastCategory, Guid, Money, Summary,
};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::schema::name_key;
use crate::source::link::deal_link;
use crate::source::{CustomerRecord, SourceStats};

/// Where deal links point; `None` base: deals carry no link.
#[derive(Debug, Clone, Default)]
pub struct LinkTarget {
    pub org_url: Option<String>,
    pub app_id: Option<String>,
}

fn tables(kind: Option<CustomerType>) -> &'static [CustomerType] {
    match kind {
        None => &[CustomerType::Account, CustomerType::Contact],
        Some(CustomerType::Account) => &[CustomerType::Account],
        Some(CustomerType::Contact) => &[CustomerType::Contact],
    }
}

pub fn customer_by_id(
    conn: &Connection,
    id: Guid,
    kind: Option<CustomerType>,
) -> rusqlite::Result<Option<CustomerRecord>> {
    for &table in tables(kind) {
        let sql = match table {
            CustomerType::Account => "SELECT name FROM account WHERE accountid = ?1",
            CustomerType::Contact => "SELECT fullname FROM contact WHERE contactid = ?1",
        };
        let name: Option<String> = conn
            .prepare_cached(sql)?
            .query_row([id.to_string()], |row| row.get(0))
            .optional()?;
        if let Some(name) = name {
            return Ok(Some(CustomerRecord {
                id,
                name,
                kind: table,
            }));
        }
    }
    Ok(None)
}

/// Accounts before contacts, then the most recently modified.
pub fn customer_by_name(
    conn: &Connection,
    name: &str,
    kind: Option<CustomerType>,
) -> rusqlite::Result<Option<CustomerRecord>> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(None);
    }
    for &table in tables(kind) {
        let sql = match table {
            CustomerType::Account => {
                "SELECT accountid, name FROM account WHERE name_key = ?1
                 ORDER BY modifiedon DESC, accountid LIMIT 1"
            }
            CustomerType::Contact => {
                "SELECT contactid, fullname FROM contact WHERE name_key = ?1
                 ORDER BY modifiedon DESC, contactid LIMIT 1"
            }
        };
        let found = conn
            .prepare_cached(sql)?
            .query_row([&key], |row| Ok((guid(row, 0)?, row.get::<_, String>(1)?)))
            .optional()?;
        if let Some((id, name)) = found {
            return Ok(Some(CustomerRecord {
                id,
                name,
                kind: table,
            }));
        }
    }
    Ok(None)
}

/// Highest base value first, then earliest close date; nulls last in both (the contract's
/// order, [`dealpane_contract::compare_deals`]); only `owner`'s when given (`access`).
/// `base_currency` labels the base values; without it they are left out rather than guessed.
pub fn open_deals(
    conn: &Connection,
    customer: Guid,
    owner: Option<&str>,
    top: u8,
    link: &LinkTarget,
    base_currency: Option<&str>,
) -> rusqlite::Result<Vec<Deal>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.opportunityid, o.name, o.stepname, o.estimatedvalue, c.isocurrencycode,
                o.closeprobability, o.estimatedclosedate, o.owneridname, o.msdyn_forecastcategory,
                o.modifiedon, o.estimatedvalue_base
         FROM opportunity AS o
         LEFT JOIN transactioncurrency AS c
                ON c.transactioncurrencyid = o._transactioncurrencyid_value
         WHERE o._customerid_value = ?1 AND o.statecode = 0
               AND (?3 IS NULL OR o._ownerid_value = ?3)
         ORDER BY o.estimatedvalue_base DESC NULLS LAST, o.estimatedclosedate ASC NULLS LAST,
                  o.opportunityid
         LIMIT ?2",
    )?;
    let rows = statement.query_map(params![customer.to_string(), top, owner], |row| {
        let id = guid(row, 0)?;
        let amount: Option<f64> = row.get(3)?;
        let currency: Option<String> = row.get(4)?;
        let probability: Option<i64> = row.get(5)?;
        let forecast: Option<i64> = row.get(8)?;
        let base: Option<f64> = row.get(10)?;
        Ok(Deal {
            id,
            name: row.get(1)?,
            status: DealStatus::Open,
            stage: row.get(2)?,
            value: amount.map(|amount| Money {
                amount,
                currency: currency.unwrap_or_else(|| "USD".to_owned()),
            }),
            value_base: base.zip(base_currency).map(|(amount, code)| Money {
                amount,
                currency: code.to_owned(),
            }),
            probability: probability.map(|p| p.clamp(0, 100) as u8),
            close_date: row.get(6)?,
            owner: row.get(7)?,
            forecast_category: forecast.map(|value| {
                ForecastCategory::from_option_value(value).unwrap_or(ForecastCategory::Other)
            }),
            summary: Summary::unavailable(),
            link: link
                .org_url
                .as_deref()
                .map(|org| deal_link(org, link.app_id.as_deref(), id)),
            modified_on: row.get(9)?,
        })
    })?;
    rows.collect()
}

/// The organization's base currency code (`organization._basecurrencyid_value` →
/// `transactioncurrency.isocurrencycode`).
pub fn base_currency(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT c.isocurrencycode FROM organization AS o
         JOIN transactioncurrency AS c ON c.transactioncurrencyid = o._basecurrencyid_value
         LIMIT 1",
        [],
        |row| row.get(0),
    )
    .optional()
}

/// A deal's summary as the generator stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSummary {
    pub text: String,
    /// RFC 3339 UTC, e.g. `2026-11-22T00:00:00Z`.
    pub generated_at: String,
}

/// The stored summary, if the deal has one.
pub fn deal_summary(conn: &Connection, deal: Guid) -> rusqlite::Result<Option<StoredSummary>> {
    conn.prepare_cached(
        "SELECT summary, generatedon FROM opportunity_summary WHERE opportunityid = ?1",
    )?
    .query_row([deal.to_string()], |row| {
        Ok(StoredSummary {
            text: row.get(0)?,
            generated_at: row.get(1)?,
        })
    })
    .optional()
}

/// Customers whose name starts with `prefix` (case-insensitive), by name, with open deal counts
/// (of `owner`'s deals only, when given).
pub fn search_customers(
    conn: &Connection,
    prefix: &str,
    owner: Option<&str>,
    top: u8,
) -> rusqlite::Result<Vec<CustomerRef>> {
    let low = name_key(prefix);
    // A range over the indexed key is a prefix match that works for every script; an empty
    // prefix lists everyone.
    let high = upper_bound(&low);
    // Two spellings so the index serves both ends of the range (an OR would hide the upper one).
    let range = match high {
        Some(_) => "name_key >= ?1 AND name_key < ?2",
        None => "name_key >= ?1 AND ?2 IS NULL",
    };
    let mut statement = conn.prepare_cached(&format!(
        "SELECT c.id, c.name, c.kind,
                (SELECT count(*) FROM opportunity o
                 WHERE o._customerid_value = c.id AND o.statecode = 0
                       AND (?4 IS NULL OR o._ownerid_value = ?4))
         FROM (
             SELECT accountid AS id, name, name_key, 'account' AS kind FROM account
             WHERE {range}
             UNION ALL
             SELECT contactid, fullname, name_key, 'contact' FROM contact
             WHERE {range}
             ORDER BY name_key, name, kind, id
             LIMIT ?3
         ) AS c
         -- Counted after the limit, so an empty prefix counts `top` customers, not all.
         ORDER BY c.name_key, c.name, c.kind, c.id"
    ))?;
    let rows = statement.query_map(params![low, high, top, owner], |row| {
        let kind: String = row.get(2)?;
        let count: i64 = row.get(3)?;
        Ok(CustomerRef {
            id: guid(row, 0)?,
            name: row.get(1)?,
            kind: if kind == "account" {
                CustomerType::Account
            } else {
                CustomerType::Contact
            },
            open_deals: Some(u32::try_from(count).unwrap_or(u32::MAX)),
        })
    })?;
    rows.collect()
}

/// Customers, and open deals (the only ones the store ever lists).
/// The cheapest query that proves a connection answers.
pub fn probe(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT 1", [], |_| Ok(()))
}

pub fn stats(conn: &Connection) -> rusqlite::Result<SourceStats> {
    let (customers, deals): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM account) + (SELECT count(*) FROM contact),
                (SELECT count(*) FROM opportunity WHERE statecode = 0)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(SourceStats {
        customers: Some(customers as u64),
        deals: Some(deals as u64),
    })
}

/// The smallest string greater than every string starting with `prefix` (text compares by
/// UTF-8 bytes, i.e. by code point): the prefix with its last character incremented. `None`
/// when there is no such bound (empty prefix, or only U+10FFFF).
pub fn upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

fn guid(row: &Row<'_>, index: usize) -> rusqlite::Result<Guid> {
    let text: String = row.get(index)?;
    Guid::parse(&text).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(error))
    })
}

#[cfg(test)]
mod tests {
    use super::upper_bound;

    #[test]
    fn upper_bounds_cover_exactly_the_prefix() {
        assert_eq!(upper_bound("abc").as_deref(), Some("abd"));
        assert_eq!(upper_bound("").as_deref(), None);
        assert_eq!(upper_bound("株式").as_deref(), Some("株弐"));
        // Surrogates are not chars: U+D7FF is followed by U+E000.
        assert_eq!(upper_bound("a\u{d7ff}").as_deref(), Some("a\u{e000}"));
        assert_eq!(upper_bound("a\u{10ffff}").as_deref(), Some("b"));
        for prefix in ["co", "арк", "ελλ", "o'b"] {
            let high = upper_bound(prefix).unwrap();
            let inside = format!("{prefix}\u{10ffff}zzz");
            assert!(inside.as_str() < high.as_str() && prefix < high.as_str());
        }
    }
}
