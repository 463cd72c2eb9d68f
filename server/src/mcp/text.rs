//! The text content of tool results: sentences a model can quote to an agent as they are.
//! One paragraph per deal (name, stage, value, close date, owner, summary); a summary that is
//! still being generated says so, rather than being left out.

use dealpane_contract::{CustomerRef, Deal, DealSummaryResponse, Money, SummaryState};

/// The header line, then one paragraph per deal, separated by blank lines.
pub fn deals(answer: &DealSummaryResponse) -> String {
    let customer = &answer.customer;
    let name = customer.name.as_deref().unwrap_or("The customer");
    let kind = customer.kind.map_or("customer", |kind| kind.as_str());
    let count = answer.deals.len();
    let header = match count {
        0 => format!(
            "{name} ({kind} {}) has no open deals in Sales.",
            customer.id
        ),
        1 => format!("{name} ({kind} {}) has 1 open deal in Sales:", customer.id),
        n => format!(
            "{name} ({kind} {}) has {n} open deals in Sales, highest value first:",
            customer.id
        ),
    };
    std::iter::once(header)
        .chain(answer.deals.iter().map(deal))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// One deal as a paragraph.
pub fn deal(deal: &Deal) -> String {
    let stage = deal.stage.as_deref().unwrap_or("no stage set");
    let value = deal.value.as_ref().map_or("no value set".to_owned(), money);
    let close = deal
        .close_date
        .as_deref()
        .map_or("no close date set".to_owned(), |date| {
            format!("closes {date}")
        });
    let owner = deal.owner.as_deref().unwrap_or("no owner set");
    let summary = match (deal.summary.state, deal.summary.text.as_deref()) {
        (SummaryState::Ready, Some(text)) => format!("Summary: {}", one_line(text)),
        (SummaryState::Pending, _) => {
            "Summary: pending (still being generated; ask again in a minute).".to_owned()
        }
        (SummaryState::Disabled, _) => "Summary: turned off by the administrator.".to_owned(),
        _ => "Summary: unavailable right now.".to_owned(),
    };
    format!(
        "{name}: stage {stage}, value {value}, {close}, owner {owner}. {summary}",
        name = deal.name.trim()
    )
}

/// A summary's line breaks and runs of blanks as single spaces: blank lines separate deals.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// One line per customer, for `search_customers`.
pub fn customers(prefix: &str, customers: &[CustomerRef]) -> String {
    if customers.is_empty() {
        return format!("No account or contact in Sales has a name starting with '{prefix}'.");
    }
    customers
        .iter()
        .map(|customer| {
            let deals = customer
                .open_deals
                .map(|n| format!(", {n} open deal{}", if n == 1 { "" } else { "s" }))
                .unwrap_or_default();
            format!(
                "{} ({} {}{deals})",
                customer.name,
                customer.kind.as_str(),
                customer.id
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `250,000 USD`, `1,234.50 EUR`: digit groups, cents only when there are some.
pub fn money(money: &Money) -> String {
    format!(
        "{} {}",
        crate::amount::grouped(money.amount),
        money.currency
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealpane_contract::{DealStatus, Guid, Summary};

    fn sample() -> Deal {
        Deal {
            id: Guid::from_u128(1),
            name: "Espresso machines for 4 sites".into(),
            status: DealStatus::Open,
            stage: Some("Propose".into()),
            value: Some(Money {
                amount: 250_000.0,
                currency: "USD".into(),
            }),
            value_base: None,
            probability: Some(70),
            close_date: Some("2026-12-15".into()),
            owner: Some("Alex Wu".into()),
            forecast_category: None,
            summary: Summary::ready("Alex proposed\n\nfour  machines.\n", "2026-11-22T07:30:00Z"),
            link: None,
            modified_on: None,
        }
    }

    #[test]
    fn a_deal_is_one_quotable_paragraph() {
        assert_eq!(
            deal(&sample()),
            "Espresso machines for 4 sites: stage Propose, value 250,000 USD, closes 2026-12-15, \
             owner Alex Wu. Summary: Alex proposed four machines."
        );
        let pending = Deal {
            summary: Summary::pending(),
            stage: None,
            value: None,
            close_date: None,
            owner: None,
            ..sample()
        };
        assert_eq!(
            deal(&pending),
            "Espresso machines for 4 sites: stage no stage set, value no value set, no close \
             date set, owner no owner set. Summary: pending (still being generated; ask again \
             in a minute)."
        );
    }

    #[test]
    fn money_has_digit_groups_and_cents_only_when_any() {
        let m = |amount| Money {
            amount,
            currency: "EUR".into(),
        };
        assert_eq!(money(&m(0.0)), "0 EUR");
        assert_eq!(money(&m(999.0)), "999 EUR");
        assert_eq!(money(&m(1234.5)), "1,234.50 EUR");
        assert_eq!(money(&m(1_000_000.0)), "1,000,000 EUR");
        assert_eq!(money(&m(-42.25)), "-42.25 EUR");
    }
}
