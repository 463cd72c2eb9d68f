//! Fills a new store: the fixed customers of [`super::fixtures`], then `sample_size` Contoso-style
//! customers drawn from a seeded PRNG, each with open, won and lost deals, activities and a stored
//! summary per open deal. Everything is relative to the store's creation date, so the same seed
//! and date give the same rows. One transaction and prepared statements: 5,000 customers take
//! seconds.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use dealpane_contract::{CustomerType, ForecastCategory, Guid, Money};
use rusqlite::{params, Statement, Transaction};

use super::currencies;
use super::fixtures;
use super::rng::SplitMix64;
use super::schema::name_key;
use super::summarizer::{summarize, ActivityFacts, ActivityKind, DealFacts};

/// The generator's clock: every date derives from the store's creation day.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub today: NaiveDate,
}

impl Clock {
    /// The instant the store is considered generated (and its summaries written): the start of
    /// its creation day, so nothing generated lies in the future.
    pub fn generated_at(self) -> NaiveDateTime {
        self.today.and_time(NaiveTime::MIN)
    }

    /// `days` before today at `hour` o'clock (UTC).
    pub fn days_ago(self, days: i64, hour: u32) -> NaiveDateTime {
        let time = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
        (self.today - Duration::days(days)).and_time(time)
    }

    /// Today plus `days` (negative: in the past).
    pub fn date(self, days: i64) -> NaiveDate {
        self.today + Duration::days(days)
    }
}

/// A seller (`systemuser`) owning deals and activities.
#[derive(Debug, Clone, Copy)]
pub struct Owner {
    pub id: Guid,
    pub name: &'static str,
}

const fn owner(n: u128, name: &'static str) -> Owner {
    Owner {
        id: Guid::from_u128(0x0d1a_5e11_0000_4000_8000_0000_0000_0000 | n),
        name,
    }
}

pub const OWNERS: [Owner; 12] = [
    owner(1, "Alex Wu"),
    owner(2, "Priya Natarajan"),
    owner(3, "Jonas Keller"),
    owner(4, "María García"),
    owner(5, "Kenji Watanabe"),
    owner(6, "Fatima Al-Sayed"),
    owner(7, "Liam O'Connor"),
    owner(8, "Chloé Dubois"),
    owner(9, "Olusegun Adeyemi"),
    owner(10, "Anna Kowalska"),
    owner(11, "Mateo Rossi"),
    owner(12, "Ingrid Johansson"),
];

pub struct CustomerSpec {
    pub id: Guid,
    pub name: String,
    pub kind: CustomerType,
    pub modified_on: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealState {
    Open = 0,
    Won = 1,
    Lost = 2,
}

pub struct DealSpec {
    pub id: Guid,
    pub name: String,
    pub state: DealState,
    pub value: Option<Money>,
    pub close_date: Option<NaiveDate>,
    pub probability: Option<u8>,
    pub stage: Option<&'static str>,
    pub forecast: Option<i64>,
    pub competitor: Option<&'static str>,
    pub owner: Option<Owner>,
    pub created_on: NaiveDateTime,
    /// False only for the fixture whose summary must be missing.
    pub with_summary: bool,
    pub activities: Vec<ActivitySpec>,
}

pub struct ActivitySpec {
    pub id: Guid,
    pub kind: ActivityKind,
    pub subject: String,
    pub description: Option<String>,
    pub owner: Option<Owner>,
    /// `actualend`; `None` while planned.
    pub done_at: Option<NaiveDateTime>,
    pub created_on: NaiveDateTime,
}

/// Writes one customer with its deals, activities and summaries.
struct Writer<'t> {
    clock: Clock,
    account: Statement<'t>,
    contact: Statement<'t>,
    deal: Statement<'t>,
    activity: Statement<'t>,
    summary: Statement<'t>,
}

impl<'t> Writer<'t> {
    fn new(tx: &'t Transaction<'t>, clock: Clock) -> rusqlite::Result<Writer<'t>> {
        Ok(Writer {
            clock,
            account: tx.prepare(
                "INSERT INTO account (accountid, name, name_key, modifiedon) VALUES (?1, ?2, ?3, ?4)",
            )?,
            contact: tx.prepare(
                "INSERT INTO contact (contactid, fullname, name_key, modifiedon) VALUES (?1, ?2, ?3, ?4)",
            )?,
            deal: tx.prepare(
                "INSERT INTO opportunity (opportunityid, name, _customerid_value, customeridtype,
                    estimatedvalue, _transactioncurrencyid_value, estimatedclosedate,
                    closeprobability, stepname, statecode, msdyn_forecastcategory, competitorname,
                    _ownerid_value, owneridname, createdon, modifiedon, exchangerate,
                    estimatedvalue_base)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18)",
            )?,
            activity: tx.prepare(
                "INSERT INTO activitypointer (activityid, activitytypecode, subject, description,
                    regardingobjectid, _ownerid_value, owneridname, actualend, createdon)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?,
            summary: tx.prepare(
                "INSERT INTO opportunity_summary (opportunityid, summary, generatedon) VALUES (?1, ?2, ?3)",
            )?,
        })
    }

    fn customer(&mut self, customer: &CustomerSpec, deals: &[DealSpec]) -> rusqlite::Result<()> {
        let statement = match customer.kind {
            CustomerType::Account => &mut self.account,
            CustomerType::Contact => &mut self.contact,
        };
        statement.execute(params![
            customer.id.to_string(),
            customer.name,
            name_key(&customer.name),
            timestamp(customer.modified_on),
        ])?;
        for deal in deals {
            self.deal(customer, deal)?;
        }
        Ok(())
    }

    fn deal(&mut self, customer: &CustomerSpec, deal: &DealSpec) -> rusqlite::Result<()> {
        // Dataverse bumps modifiedon when activities roll up; the latest touch is close enough.
        let modified_on = deal
            .activities
            .iter()
            .map(|a| a.done_at.unwrap_or(a.created_on))
            .chain([deal.created_on])
            .max()
            .unwrap_or(deal.created_on);
        // A deal without a value still has a currency in Dataverse: the base one by default.
        let currency = match &deal.value {
            Some(value) => currencies::by_code(&value.currency),
            None => Some(currencies::BASE),
        };
        let base = deal
            .value
            .as_ref()
            .zip(currency)
            .map(|(value, currency)| currencies::to_base(value.amount, currency.rate));
        self.deal.execute(params![
            deal.id.to_string(),
            deal.name,
            customer.id.to_string(),
            customer.kind.as_str(),
            deal.value.as_ref().map(|v| v.amount),
            currency.map(|c| c.id.to_string()),
            deal.close_date.map(|d| d.to_string()),
            deal.probability,
            deal.stage,
            deal.state as i64,
            deal.forecast,
            deal.competitor,
            deal.owner.map(|o| o.id.to_string()),
            deal.owner.map(|o| o.name),
            timestamp(deal.created_on),
            timestamp(modified_on),
            currency.map(|c| c.rate),
            base,
        ])?;
        for activity in &deal.activities {
            self.activity.execute(params![
                activity.id.to_string(),
                activity.kind.code(),
                activity.subject,
                activity.description,
                deal.id.to_string(),
                activity.owner.map(|o| o.id.to_string()),
                activity.owner.map(|o| o.name),
                activity.done_at.map(timestamp),
                timestamp(activity.created_on),
            ])?;
        }
        if deal.state == DealState::Open && deal.with_summary {
            let text = summarize(
                &facts(customer, deal),
                &activity_facts(&deal.activities),
                self.clock.today,
            );
            self.summary.execute(params![
                deal.id.to_string(),
                text,
                timestamp(self.clock.generated_at())
            ])?;
        }
        Ok(())
    }
}

fn facts(customer: &CustomerSpec, deal: &DealSpec) -> DealFacts {
    DealFacts {
        name: deal.name.clone(),
        customer: customer.name.clone(),
        stage: deal.stage.map(str::to_owned),
        value: deal.value.clone(),
        probability: deal.probability,
        close_date: deal.close_date,
        owner: deal.owner.map(|o| o.name.to_owned()),
        forecast: deal.forecast.and_then(ForecastCategory::from_option_value),
        competitor: deal.competitor.map(str::to_owned),
        created_on: deal.created_on.date(),
    }
}

fn activity_facts(activities: &[ActivitySpec]) -> Vec<ActivityFacts> {
    activities
        .iter()
        .map(|a| ActivityFacts {
            kind: a.kind,
            subject: a.subject.clone(),
            owner: a.owner.map(|o| o.name.to_owned()),
            done_on: a.done_at.map(|t| t.date()),
            created_on: a.created_on.date(),
        })
        .collect()
}

/// RFC 3339 UTC, the shape Dataverse's Web API returns.
pub fn timestamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Fills an empty schema inside `tx`. `sample_size` counts every customer, the fixed ones
/// included (they are always written, even when `sample_size` is smaller).
pub fn generate(
    tx: &Transaction<'_>,
    clock: Clock,
    seed: u64,
    sample_size: u32,
) -> rusqlite::Result<()> {
    currencies::write(tx)?;
    let mut writer = Writer::new(tx, clock)?;
    let fixed = fixtures::customers(clock);
    let random = (sample_size as usize).saturating_sub(fixed.len());
    for (customer, deals) in &fixed {
        writer.customer(customer, deals)?;
    }
    let mut rng = SplitMix64::new(seed);
    for _ in 0..random {
        let customer = random_customer(&mut rng, clock);
        let deals = random_deals(&mut rng, clock);
        writer.customer(&customer, &deals)?;
    }
    Ok(())
}

const ACCOUNT_FIRST: &[&str] = &[
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Adatum",
    "Tailspin",
    "Wingtip",
    "Woodgrove",
    "Litware",
    "Proseware",
    "Relecloud",
    "Lucerne",
    "Coho",
    "Fourth Coffee",
    "Alpine Ski",
    "Blue Yonder",
    "Humongous",
    "Trey",
    "VanArsdel",
    "Wide World",
    "Southridge",
    "Margie's",
    "O'Neill",
    "Graphic Design",
    "Lamna",
    "Bellows",
    "Consolidated",
    "Datum",
    "Munson's",
];
const ACCOUNT_SECOND: &[&str] = &[
    "Pharmaceuticals",
    "Airlines",
    "Bank",
    "Logistics",
    "Foods",
    "Winery",
    "Studios",
    "Hospital",
    "Insurance",
    "Traders",
    "Electronics",
    "Travel",
    "Motors",
    "Energy",
    "Retail",
    "Healthcare",
    "Shipping",
    "Hotels",
    "Coffee",
    "Importers",
    "Pickle Company",
    "Toys",
];
const ACCOUNT_SUFFIX: &[&str] = &[
    "", "", "", " Inc.", " Ltd", " GmbH", " S.A.", " Group", " LLC",
];
/// Names in other scripts: matching must fold their case (Greek, Cyrillic) or leave it (CJK,
/// Arabic) exactly as Dataverse does.
const ACCOUNT_OTHER_SCRIPTS: &[&str] = &[
    "株式会社さくら物産",
    "株式会社ふじ精機",
    "东方贸易有限公司",
    "Арктика Транс",
    "Сибирские Технологии",
    "Ωμέγα Τεχνική",
    "Αιγαίο Τρόφιμα",
    "مجموعة النخبة للتجارة",
    "شركة الواحة",
    "Côte d'Azur Transports",
    "Ålesund Fiskeri",
    "Łódź Meble",
    "İstanbul Tekstil",
    "서울 전자",
    "Élan Vital SAS",
];
const FIRST_NAMES: &[&str] = &[
    "Aoife",
    "Seán",
    "Maria",
    "Hiroshi",
    "Yuki",
    "Olga",
    "Dmitri",
    "Eleni",
    "Nikos",
    "Amina",
    "Omar",
    "Chen",
    "Wei",
    "Sofia",
    "Lucas",
    "Emma",
    "Noah",
    "Zoë",
    "Björn",
    "Ana",
    "Rahul",
    "Aisha",
    "Jean-Luc",
    "Małgorzata",
    "Kwame",
    "Thandiwe",
    "Diego",
    "Laura",
];
const LAST_NAMES: &[&str] = &[
    "O'Brien",
    "D'Souza",
    "Murphy",
    "Tanaka",
    "Ivanova",
    "Papadopoulos",
    "Haddad",
    "Li",
    "Müller",
    "García",
    "Smith",
    "Johnson",
    "Nakamura",
    "Kowalski",
    "Dubois",
    "N'Diaye",
    "Ólafsdóttir",
    "McKay",
    "Van der Berg",
    "Rossi",
    "Singh",
    "Okafor",
    "Lindqvist",
    "da Silva",
];
const CONTACT_OTHER_SCRIPTS: &[&str] = &[
    "山田 太郎",
    "佐藤 花子",
    "Иван Петров",
    "Анна Смирнова",
    "Γιώργος Παπαδόπουλος",
    "محمد الأحمد",
    "李 伟",
];
const PRODUCTS: &[&str] = &[
    "Espresso machines",
    "Cold-chain sensors",
    "Fleet telematics",
    "Barcode scanners",
    "Lab refrigerators",
    "Self-service kiosks",
    "Field service tablets",
    "Solar panels",
    "Forklift batteries",
    "Conference room displays",
    "Security cameras",
    "Water filters",
    "Ergonomic chairs",
    "3D printers",
    "Network switches",
    "Packaging robots",
];
const DEAL_SHAPES: &[&str] = &[
    "{p} for {n} sites",
    "{p} renewal",
    "{p}: pilot",
    "{p} upgrade",
    "{p} – phase {n}",
    "Service contract for {p}",
    "{p} expansion",
    "{p} replacement",
];
const COMPETITORS: &[&str] = &[
    "Fabrikam",
    "Litware",
    "A. Datum",
    "Proseware",
    "Northwind Systems",
    "Wingtip Solutions",
];
const STAGES: &[(&str, i64, i64)] = &[
    ("Qualify", 10, 30),
    ("Develop", 30, 50),
    ("Propose", 50, 75),
    ("Close", 75, 95),
];
const EMAILS: &[&str] = &[
    "Sent pricing proposal",
    "Shared case study",
    "Answered security questionnaire",
    "Sent revised quote",
    "Followed up on budget approval",
    "Sent contract draft",
];
const CALLS: &[&str] = &[
    "Call with procurement about volume discount",
    "Discovery call",
    "Call about delivery dates",
    "Check-in with the project sponsor",
    "Call about support terms",
];
const MEETINGS: &[&str] = &[
    "On-site demo",
    "Workshop with IT",
    "Executive briefing",
    "Site survey",
    "Negotiation meeting",
];
const TASKS: &[&str] = &[
    "Prepare revised quote",
    "Book technical review",
    "Update the business case",
    "Confirm installation window",
    "Collect signatures",
];
const NOTES: &[&str] = &[
    "The customer asked for a phased rollout.",
    "Budget is approved for this fiscal year.",
    "Procurement wants a three-year price lock.",
    "IT raised questions about single sign-on.",
    "The sponsor is changing roles next quarter.",
];

fn random_customer(rng: &mut SplitMix64, clock: Clock) -> CustomerSpec {
    let kind = if rng.percent(75) {
        CustomerType::Account
    } else {
        CustomerType::Contact
    };
    let name = match kind {
        CustomerType::Account if rng.percent(7) => rng.pick(ACCOUNT_OTHER_SCRIPTS).to_string(),
        CustomerType::Account => format!(
            "{} {}{}",
            rng.pick(ACCOUNT_FIRST),
            rng.pick(ACCOUNT_SECOND),
            rng.pick(ACCOUNT_SUFFIX)
        ),
        CustomerType::Contact if rng.percent(8) => rng.pick(CONTACT_OTHER_SCRIPTS).to_string(),
        CustomerType::Contact => format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
    };
    CustomerSpec {
        id: rng.guid(),
        name,
        kind,
        modified_on: clock.days_ago(rng.between(1, 400), rng.between(7, 18) as u32),
    }
}

fn random_deals(rng: &mut SplitMix64, clock: Clock) -> Vec<DealSpec> {
    let open = match rng.below(100) {
        0..=17 => 0,
        18..=96 => rng.between(1, 5),
        _ => rng.between(12, 16),
    };
    let closed = rng.between(0, 3);
    let mut deals = Vec::new();
    for _ in 0..open {
        deals.push(random_deal(rng, clock, DealState::Open));
    }
    for _ in 0..closed {
        let state = if rng.percent(55) {
            DealState::Won
        } else {
            DealState::Lost
        };
        deals.push(random_deal(rng, clock, state));
    }
    deals
}

fn random_deal(rng: &mut SplitMix64, clock: Clock, state: DealState) -> DealSpec {
    let product = rng.pick(PRODUCTS);
    let name = rng
        .pick(DEAL_SHAPES)
        .replace("{p}", product)
        .replace("{n}", &rng.between(2, 12).to_string());
    let value = (!rng.percent(8)).then(|| {
        let usd = (rng.between(5, 800) * 500) as f64;
        match rng.below(100) {
            0..=79 => Money {
                amount: usd,
                currency: "USD".into(),
            },
            80..=91 => Money {
                amount: usd,
                currency: "EUR".into(),
            },
            _ => Money {
                amount: usd * 150.0,
                currency: "JPY".into(),
            },
        }
    });
    let created_days_ago = rng.between(5, 300);
    let (stage, low, high) = *rng.pick(STAGES);
    let probability = rng.between(low / 5, high / 5) as u8 * 5;
    let (stage, probability, close_date, forecast) = match state {
        DealState::Open => (
            (!rng.percent(5)).then_some(stage),
            (!rng.percent(8)).then_some(probability),
            (!rng.percent(8)).then(|| clock.date(rng.between(-60, 200))),
            open_forecast(rng, probability),
        ),
        DealState::Won => (
            Some("Close"),
            Some(100),
            Some(clock.date(-rng.between(1, created_days_ago))),
            Some(100_000_005),
        ),
        DealState::Lost => (
            Some(stage),
            Some(0),
            Some(clock.date(-rng.between(1, created_days_ago))),
            Some(100_000_006),
        ),
    };
    let owner = (!rng.percent(3)).then(|| *rng.pick(&OWNERS));
    let mut activities = Vec::new();
    for _ in 0..rng.between(0, 6) {
        let at = clock.days_ago(rng.between(1, created_days_ago), rng.between(8, 17) as u32);
        activities.push(random_activity(rng, owner, at, true));
    }
    if state == DealState::Open && rng.percent(50) {
        let at = clock.days_ago(rng.between(1, created_days_ago), rng.between(8, 17) as u32);
        activities.push(random_activity(rng, owner, at, false));
    }
    DealSpec {
        id: rng.guid(),
        name,
        state,
        value,
        close_date,
        probability,
        stage,
        forecast,
        competitor: rng.percent(30).then(|| *rng.pick(COMPETITORS)),
        owner,
        created_on: clock.days_ago(created_days_ago, rng.between(8, 17) as u32),
        with_summary: true,
        activities,
    }
}

fn open_forecast(rng: &mut SplitMix64, probability: u8) -> Option<i64> {
    match rng.below(100) {
        0..=4 => None,
        5..=9 => Some(100_000_004),
        _ if probability >= 80 => Some(100_000_003),
        _ if probability >= 50 => Some(100_000_002),
        _ => Some(100_000_001),
    }
}

fn random_activity(
    rng: &mut SplitMix64,
    owner: Option<Owner>,
    at: NaiveDateTime,
    done: bool,
) -> ActivitySpec {
    let kind = match done {
        true => *rng.pick(&ActivityKind::ALL),
        // What is still planned is a task or a meeting, not a sent email.
        false if rng.percent(70) => ActivityKind::Task,
        false => ActivityKind::Appointment,
    };
    let subjects = match kind {
        ActivityKind::Email => EMAILS,
        ActivityKind::PhoneCall => CALLS,
        ActivityKind::Appointment => MEETINGS,
        ActivityKind::Task => TASKS,
    };
    // Now and then a colleague, not the deal's owner, did the work.
    let owner = if rng.percent(20) {
        Some(*rng.pick(&OWNERS))
    } else {
        owner
    };
    ActivitySpec {
        id: rng.guid(),
        kind,
        subject: rng.pick(subjects).to_string(),
        description: rng.percent(60).then(|| rng.pick(NOTES).to_string()),
        owner,
        done_at: done.then_some(at),
        created_on: at,
    }
}
