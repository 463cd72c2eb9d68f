//! The embedded store's stand-in for Dynamics' opportunity summary: a factual paragraph or three
//! built from the deal's fields and its latest activities. Deterministic: the same facts and the
//! same "today" give the same text, so the generator can store it and tests can read it.

use chrono::NaiveDate;
use dealpane_contract::{ForecastCategory, Money};

/// No completed activity for this many days marks a deal as stalled.
pub const STALL_DAYS: i64 = 30;
/// How many completed activities the summary retells.
const ACTIVITIES_TOLD: usize = 3;

/// What the summarizer knows about a deal.
#[derive(Debug, Clone)]
pub struct DealFacts {
    pub name: String,
    pub customer: String,
    pub stage: Option<String>,
    pub value: Option<Money>,
    pub probability: Option<u8>,
    pub close_date: Option<NaiveDate>,
    pub owner: Option<String>,
    pub forecast: Option<ForecastCategory>,
    pub competitor: Option<String>,
    pub created_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Email,
    PhoneCall,
    Appointment,
    Task,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 4] = [
        ActivityKind::Email,
        ActivityKind::PhoneCall,
        ActivityKind::Appointment,
        ActivityKind::Task,
    ];

    /// Dataverse's `activitytypecode`.
    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::Email => "email",
            ActivityKind::PhoneCall => "phonecall",
            ActivityKind::Appointment => "appointment",
            ActivityKind::Task => "task",
        }
    }

    /// "Alex Wu sent an email".
    fn done(self) -> &'static str {
        match self {
            ActivityKind::Email => "sent an email",
            ActivityKind::PhoneCall => "made a phone call",
            ActivityKind::Appointment => "held a meeting",
            ActivityKind::Task => "completed a task",
        }
    }

    /// "(a task for Alex Wu)".
    fn noun(self) -> &'static str {
        match self {
            ActivityKind::Email => "an email",
            ActivityKind::PhoneCall => "a phone call",
            ActivityKind::Appointment => "a meeting",
            ActivityKind::Task => "a task",
        }
    }
}

/// An activity regarding the deal.
#[derive(Debug, Clone)]
pub struct ActivityFacts {
    pub kind: ActivityKind,
    pub subject: String,
    pub owner: Option<String>,
    /// When it was completed (`actualend`); `None` while it is still planned.
    pub done_on: Option<NaiveDate>,
    pub created_on: NaiveDate,
}

/// The summary of `deal` as of `today`: what it is, what happened lately and what comes next,
/// then the risks. Paragraphs are separated by a blank line.
pub fn summarize(deal: &DealFacts, activities: &[ActivityFacts], today: NaiveDate) -> String {
    let mut done: Vec<&ActivityFacts> = activities.iter().filter(|a| a.done_on.is_some()).collect();
    done.sort_by_key(|a| std::cmp::Reverse(a.done_on));
    let next = activities
        .iter()
        .filter(|a| a.done_on.is_none())
        .min_by_key(|a| a.created_on);

    let paragraphs = [
        overview(deal, today),
        history(&done, next),
        risks(deal, done.first().and_then(|a| a.done_on), today),
    ];
    paragraphs.join("\n\n")
}

fn overview(deal: &DealFacts, today: NaiveDate) -> String {
    let mut sentences = Vec::new();
    sentences.push(match &deal.stage {
        Some(stage) => format!(
            "\"{}\" is an open deal with {}, in the {stage} stage.",
            deal.name, deal.customer
        ),
        None => sentence(format!(
            "\"{}\" is an open deal with {}",
            deal.name, deal.customer
        )),
    });
    sentences.push(match (&deal.value, deal.probability) {
        (Some(value), Some(p)) => format!("It is worth {} at a {p}% probability.", money(value)),
        (Some(value), None) => format!("It is worth {}; no probability is recorded.", money(value)),
        (None, Some(p)) => format!("No estimated value is recorded; the probability is {p}%."),
        (None, None) => "Neither an estimated value nor a probability is recorded.".to_owned(),
    });
    sentences.push(match deal.close_date {
        Some(date) if date >= today => format!(
            "It is expected to close on {} ({}).",
            long_date(date),
            in_days((date - today).num_days())
        ),
        Some(date) => format!(
            "Its close date, {}, passed {} ago.",
            long_date(date),
            days((today - date).num_days())
        ),
        None => "No close date is set.".to_owned(),
    });
    sentences.push(match (&deal.owner, deal.forecast) {
        (Some(owner), Some(category)) => format!(
            "{owner} owns it; the forecast category is {}.",
            forecast_label(category)
        ),
        (Some(owner), None) => format!("{owner} owns it."),
        (None, Some(category)) => format!(
            "No owner is recorded; the forecast category is {}.",
            forecast_label(category)
        ),
        (None, None) => "No owner is recorded.".to_owned(),
    });
    if let Some(competitor) = &deal.competitor {
        sentences.push(sentence(format!("The known competitor is {competitor}")));
    }
    sentences.join(" ")
}

/// Ends a sentence whose last word is a name: "Adatum Bank S.A." already has its period.
fn sentence(mut text: String) -> String {
    if !text.ends_with(['.', '!', '?', '…']) {
        text.push('.');
    }
    text
}

fn history(done: &[&ActivityFacts], next: Option<&ActivityFacts>) -> String {
    let mut sentences = Vec::new();
    match done.split_first() {
        None => sentences.push("No completed activities are logged on this deal.".to_owned()),
        Some((latest, earlier)) => {
            sentences.push(format!("Latest activity: {}.", retell(latest)));
            let earlier: Vec<String> = earlier
                .iter()
                .take(ACTIVITIES_TOLD - 1)
                .map(|a| retell(a))
                .collect();
            if !earlier.is_empty() {
                sentences.push(format!("Before that: {}.", earlier.join("; ")));
            }
        }
    }
    sentences.push(match next {
        Some(step) => format!(
            "Next step: {} ({} for {}).",
            step.subject,
            step.kind.noun(),
            step.owner.as_deref().unwrap_or("no one yet")
        ),
        None => "No next step is planned.".to_owned(),
    });
    sentences.join(" ")
}

/// "on 18 Nov 2026 Alex Wu sent an email, "Pricing for 4 sites"".
fn retell(activity: &ActivityFacts) -> String {
    let date = activity.done_on.map(long_date).unwrap_or_default();
    let who = activity.owner.as_deref().unwrap_or("someone");
    format!(
        "on {date} {who} {}, \"{}\"",
        activity.kind.done(),
        activity.subject
    )
}

fn risks(deal: &DealFacts, last_done: Option<NaiveDate>, today: NaiveDate) -> String {
    let mut risks = Vec::new();
    match deal.close_date {
        Some(date) if date < today => risks.push(format!(
            "the close date is overdue by {}",
            days((today - date).num_days())
        )),
        Some(date) => {
            let left = (date - today).num_days();
            if let Some(p) = deal.probability.filter(|p| *p < 30 && left <= 14) {
                risks.push(format!(
                    "the probability is only {p}% with {} left",
                    days(left)
                ));
            }
        }
        None => risks.push("no close date is set".to_owned()),
    }
    let quiet_since = last_done.unwrap_or(deal.created_on);
    let quiet = (today - quiet_since).num_days();
    if quiet >= STALL_DAYS {
        let stage = deal
            .stage
            .as_deref()
            .map(|s| format!(" in the {s} stage"))
            .unwrap_or_default();
        risks.push(match last_done {
            Some(_) => format!("it has stalled{stage}, with no activity in {}", days(quiet)),
            None => format!(
                "it has stalled{stage}, with no activity since it was created {} ago",
                days(quiet)
            ),
        });
    }
    if risks.is_empty() {
        "No risks are flagged.".to_owned()
    } else {
        format!("Risks: {}.", risks.join("; "))
    }
}

fn forecast_label(category: ForecastCategory) -> &'static str {
    match category {
        ForecastCategory::Pipeline => "pipeline",
        ForecastCategory::BestCase => "best case",
        ForecastCategory::Committed => "committed",
        ForecastCategory::Omitted => "omitted",
        ForecastCategory::Won => "won",
        ForecastCategory::Lost => "lost",
        ForecastCategory::Other => "a custom category",
    }
}

/// The latest note Customer Service shared on the deal (issue 12): its first words (the task's
/// subject after its prefix), whom it was for, and the day.
pub fn shared_note(subject: &str, owner: Option<&str>, created_on: &str) -> String {
    let words = subject
        .strip_prefix(crate::source::writes::TASK_SUBJECT_PREFIX)
        .unwrap_or(subject);
    let when = created_on
        .get(..10)
        .and_then(|day| day.parse::<NaiveDate>().ok())
        .map(|day| format!(" on {}", long_date(day)))
        .unwrap_or_default();
    match owner {
        Some(owner) => format!("Customer Service shared a note with {owner}{when}: \"{words}\"."),
        None => format!("Customer Service shared a note{when}: \"{words}\"."),
    }
}

/// "15 Dec 2026": unambiguous in every locale, unlike 12/15/2026.
fn long_date(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

fn in_days(n: i64) -> String {
    match n {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        n => format!("in {n} days"),
    }
}

/// "USD 250,000" or "EUR 1,234.50".
pub fn money(value: &Money) -> String {
    format!(
        "{} {}",
        value.currency,
        crate::amount::grouped(value.amount)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn espresso() -> DealFacts {
        DealFacts {
            name: "Espresso machines for 4 sites".into(),
            customer: "Contoso Pharmaceuticals".into(),
            stage: Some("Propose".into()),
            value: Some(Money {
                amount: 250_000.0,
                currency: "USD".into(),
            }),
            probability: Some(70),
            close_date: Some(date("2026-12-15")),
            owner: Some("Alex Wu".into()),
            forecast: Some(ForecastCategory::BestCase),
            competitor: Some("Fabrikam".into()),
            created_on: date("2026-09-01"),
        }
    }

    fn activity(
        kind: ActivityKind,
        subject: &str,
        owner: &str,
        done: Option<&str>,
    ) -> ActivityFacts {
        ActivityFacts {
            kind,
            subject: subject.into(),
            owner: Some(owner.into()),
            done_on: done.map(date),
            created_on: date("2026-10-01"),
        }
    }

    const TODAY: &str = "2026-11-22";

    #[test]
    fn a_healthy_deal_reads_as_facts_activities_and_next_step() {
        let activities = [
            activity(
                ActivityKind::PhoneCall,
                "Volume discount",
                "Priya Natarajan",
                Some("2026-11-12"),
            ),
            activity(
                ActivityKind::Email,
                "Pricing for 4 sites",
                "Alex Wu",
                Some("2026-11-18"),
            ),
            activity(
                ActivityKind::Appointment,
                "On-site demo",
                "Alex Wu",
                Some("2026-11-03"),
            ),
            activity(
                ActivityKind::Appointment,
                "Kick-off",
                "Alex Wu",
                Some("2026-10-03"),
            ),
            activity(ActivityKind::Task, "Send revised quote", "Alex Wu", None),
        ];
        let text = summarize(&espresso(), &activities, date(TODAY));
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(
            paragraphs[0],
            "\"Espresso machines for 4 sites\" is an open deal with Contoso Pharmaceuticals, in the \
             Propose stage. It is worth USD 250,000 at a 70% probability. It is expected to close \
             on 15 Dec 2026 (in 23 days). Alex Wu owns it; the forecast category is best case. \
             The known competitor is Fabrikam."
        );
        assert_eq!(
            paragraphs[1],
            "Latest activity: on 18 Nov 2026 Alex Wu sent an email, \"Pricing for 4 sites\". \
             Before that: on 12 Nov 2026 Priya Natarajan made a phone call, \"Volume discount\"; \
             on 3 Nov 2026 Alex Wu held a meeting, \"On-site demo\". \
             Next step: Send revised quote (a task for Alex Wu)."
        );
        assert_eq!(paragraphs[2], "No risks are flagged.");
        assert_eq!(paragraphs.len(), 3);
    }

    #[test]
    fn overdue_and_stalled_deals_name_their_risks() {
        let mut deal = espresso();
        deal.close_date = Some(date("2026-11-10"));
        deal.competitor = None;
        let activities = [activity(
            ActivityKind::Email,
            "Follow-up",
            "Alex Wu",
            Some("2026-10-01"),
        )];
        let text = summarize(&deal, &activities, date(TODAY));
        assert!(
            text.contains("Its close date, 10 Nov 2026, passed 12 days ago."),
            "{text}"
        );
        assert!(!text.contains("competitor"), "{text}");
        assert!(
            text.ends_with(
                "Risks: the close date is overdue by 12 days; it has stalled in the Propose stage, \
                 with no activity in 52 days."
            ),
            "{text}"
        );
        assert!(text.contains("No next step is planned."), "{text}");
    }

    #[test]
    fn missing_fields_are_said_plainly() {
        let deal = DealFacts {
            name: "Pilot".into(),
            customer: "Aoife O'Brien".into(),
            stage: None,
            value: None,
            probability: None,
            close_date: None,
            owner: None,
            forecast: None,
            competitor: None,
            created_on: date("2026-11-20"),
        };
        let text = summarize(&deal, &[], date(TODAY));
        assert_eq!(
            text,
            "\"Pilot\" is an open deal with Aoife O'Brien. Neither an estimated value nor a \
             probability is recorded. No close date is set. No owner is recorded.\n\n\
             No completed activities are logged on this deal. No next step is planned.\n\n\
             Risks: no close date is set."
        );
    }

    #[test]
    fn a_low_probability_close_soon_and_a_quiet_new_deal() {
        let mut deal = espresso();
        deal.probability = Some(20);
        deal.close_date = Some(date("2026-11-23"));
        deal.created_on = date("2026-08-01");
        let text = summarize(&deal, &[], date(TODAY));
        assert!(text.contains("(tomorrow)"), "{text}");
        assert!(
            text.ends_with(
                "Risks: the probability is only 20% with 1 day left; it has stalled in the Propose \
                 stage, with no activity since it was created 113 days ago."
            ),
            "{text}"
        );
    }

    #[test]
    fn a_name_ending_with_a_period_ends_its_sentence_once() {
        let mut deal = espresso();
        deal.customer = "Adatum Bank S.A.".into();
        deal.stage = None;
        deal.competitor = Some("Litware, Inc.".into());
        let text = summarize(&deal, &[], date(TODAY));
        assert!(
            text.starts_with(
                "\"Espresso machines for 4 sites\" is an open deal with Adatum Bank S.A. It is worth"
            ),
            "{text}"
        );
        assert!(
            text.contains("The known competitor is Litware, Inc.\n\n"),
            "{text}"
        );
        assert!(!text.contains(".."), "{text}");
    }

    #[test]
    fn money_is_grouped_with_its_currency() {
        let m = |amount: f64, currency: &str| {
            money(&Money {
                amount,
                currency: currency.into(),
            })
        };
        assert_eq!(m(250_000.0, "USD"), "USD 250,000");
        assert_eq!(m(1_234.5, "EUR"), "EUR 1,234.50");
        assert_eq!(m(37_500_000.0, "JPY"), "JPY 37,500,000");
        assert_eq!(m(999.0, "USD"), "USD 999");
        assert_eq!(m(0.0, "USD"), "USD 0");
    }
}
