//! The pane's summaries that arrive after its deals: one long-poll at a time (a
//! [`RequestSlot`]), asking only for the deals still pending, until none is. Each card holds
//! its summary in a signal of its own, which an answer sets only when that deal's summary
//! changed: nothing else of the card renders again (its disclosure stays as the agent left it).
//! When every summary is in, the pane says so once, politely.
//!
//! When the long-poll gives up (no connection after the retry policy, an answer that asking
//! again would not change, too long without progress), the summaries still pending become
//! `unavailable`: each says so and to refresh, and Refresh asks again (the server retries).
//! Plain signals, no memo: size is a feature.

use dealpane_contract::{Deal, Guid, SummariesResponse, Summary};
use leptos::prelude::*;

use crate::api::{self, SummariesAnswer, SummaryBoard};
use crate::components::live_region::Announcer;
use crate::config::WidgetConfig;
use crate::request::poll::{Next, PollBudget, Round};
use crate::request::RequestSlot;

use super::Words;

/// What the long-poll knows, apart from what the view reads.
#[derive(Default)]
struct Progress {
    board: SummaryBoard,
    budget: PollBudget,
    /// Each card's summary signal, set when its deal's summary settles.
    cards: Vec<(Guid, RwSignal<Summary>)>,
}

/// One pane's summaries; `Copy`, like the rest of the pane's state.
#[derive(Clone, Copy)]
pub struct Summaries {
    progress: StoredValue<Progress>,
    /// Sales answered the long-poll with 429 or 503: the pane says it is busy.
    pub busy: RwSignal<bool>,
    config: RwSignal<Option<WidgetConfig>>,
    slot: RequestSlot,
    words: Words,
    announcer: Announcer,
}

impl Summaries {
    pub fn new(
        config: RwSignal<Option<WidgetConfig>>,
        words: Words,
        announcer: Announcer,
    ) -> Summaries {
        Summaries {
            progress: StoredValue::new(Progress::default()),
            busy: RwSignal::new(false),
            config,
            slot: RequestSlot::new(),
            words,
            announcer,
        }
    }

    /// A new DealSummary answer: its summaries replace the board, and a long-poll starts when
    /// any is pending. Call before the cards render.
    pub fn show(self, deals: &[Deal]) {
        self.stop();
        let pending = self
            .progress
            .try_update_value(|p| {
                *p = Progress {
                    board: SummaryBoard::of(deals),
                    ..Progress::default()
                };
                p.board.pending()
            })
            .unwrap_or(0);
        if pending > 0 {
            self.poll(0);
        }
    }

    /// Stops the long-poll (another customer, a reload, a text answer).
    pub fn stop(self) {
        self.slot.cancel();
        self.busy.set(false);
    }

    /// The signal a card shows its summary from, starting as it stands (an answer may have
    /// come between the board's start and the card's render).
    pub fn of(self, deal: &Deal) -> RwSignal<Summary> {
        let now = self
            .progress
            .with_value(|p| p.board.summary(&deal.id).cloned());
        let signal = RwSignal::new(now.unwrap_or_else(|| deal.summary.clone()));
        self.progress
            .update_value(|p| p.cards.push((deal.id, signal)));
        signal
    }

    /// One round: after `after_ms`, the long-poll for the deals still pending.
    fn poll(self, after_ms: u32) {
        let items = self.progress.with_value(|p| p.board.pending_items());
        let Some(config) = self.config.get_untracked() else {
            return;
        };
        self.slot.start(
            move |cancel| async move {
                if after_ms > 0 {
                    gloo_timers::future::TimeoutFuture::new(after_ms).await;
                }
                if cancel.aborted() {
                    return None;
                }
                Some(api::fetch_summaries(&config, &items, &cancel).await)
            },
            move |answer| {
                if let Some(answer) = answer {
                    self.answered(answer);
                }
            },
        );
    }

    fn answered(self, answer: SummariesAnswer) {
        // The long-poll starts from a shown answer, which waited for the words.
        let s = self.words.now();
        let round = match &answer.result {
            Ok(summaries) => Round::Answered {
                progress: self.settle(Some(summaries)),
            },
            Err(api::FetchError::Aborted) => return,
            Err(error) => Round::failed(error, answer.retry_after.as_deref()),
        };
        let next = self
            .progress
            .try_update_value(|p| match p.board.pending() {
                0 => None,
                _ => Some(p.budget.next(round)),
            })
            .flatten();
        match next {
            None => {
                self.busy.set(false);
                self.announcer.polite(s.summaries_ready);
            }
            Some(Next::Poll { after_ms }) => {
                self.busy.set(false);
                self.poll(after_ms);
            }
            Some(Next::Busy { after_ms }) => {
                // Said once per busy spell, not at every 429.
                if !self.busy.get_untracked() {
                    self.busy.set(true);
                    self.announcer.polite(s.summaries_busy);
                }
                self.poll(after_ms);
            }
            Some(Next::Stop) => {
                self.busy.set(false);
                self.settle(None);
                self.announcer.polite(s.summaries_stopped);
            }
        }
    }

    /// Takes an answer into the board (`None`: gives up on what is pending), then shows each
    /// card whose summary changed. True when a summary settled.
    fn settle(self, answer: Option<&SummariesResponse>) -> bool {
        let mut changed = Vec::new();
        let settled = self.progress.try_update_value(|p| {
            let settled = match answer {
                Some(answer) => p.board.apply(answer),
                None => p.board.give_up(),
            };
            for (id, card) in &p.cards {
                let now = p.board.summary(id);
                if let Some(now) =
                    now.filter(|now| card.try_with_untracked(|c| c != *now) == Some(true))
                {
                    changed.push((*card, now.clone()));
                }
            }
            settled
        });
        // Outside the stored value: setting a signal may run the view.
        for (card, summary) in changed {
            card.try_set(summary);
        }
        settled.unwrap_or(0) > 0
    }
}
