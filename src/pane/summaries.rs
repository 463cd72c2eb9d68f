//! The pane's summaries that arrive after its deals: one long-poll at a time (a
//! [`RequestSlot`]), asking only for the deals still pending, until none is. Each answer fills
//! its deals in the board, and each card reads its own summary from it through a memo, so a
//! card changes only when its summary does (its disclosure stays as the agent left it).
//! When every summary is in, the pane says so once, politely.

use dealpane_contract::{Deal, Guid, Summary, SummaryState};
use leptos::prelude::*;

use crate::api::{self, SummariesAnswer, SummaryBoard};
use crate::components::live_region::Announcer;
use crate::config::WidgetConfig;
use crate::i18n::Strings;
use crate::request::poll::{Next, PollBudget, Round};
use crate::request::RequestSlot;

/// Where the long-poll stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polling {
    /// Nothing pending (or a text answer): no long-poll.
    Idle,
    /// A long-poll is open, or about to be.
    Waiting,
    /// Sales is busy (429, 503): waiting its `Retry-After`; the pane says so.
    Busy,
    /// Stopped before every summary was in (no connection, an answer that would not change):
    /// each pending summary offers Retry.
    Stopped,
}

/// One pane's summaries; `Copy`, like the rest of the pane's state.
#[derive(Clone, Copy)]
pub struct Summaries {
    board: RwSignal<SummaryBoard>,
    pub polling: RwSignal<Polling>,
    config: RwSignal<Option<WidgetConfig>>,
    budget: StoredValue<PollBudget>,
    slot: RequestSlot,
    text: &'static Strings,
    announcer: Announcer,
}

impl Summaries {
    pub fn new(
        config: RwSignal<Option<WidgetConfig>>,
        text: &'static Strings,
        announcer: Announcer,
    ) -> Summaries {
        Summaries {
            board: RwSignal::new(SummaryBoard::default()),
            polling: RwSignal::new(Polling::Idle),
            config,
            budget: StoredValue::new(PollBudget::default()),
            slot: RequestSlot::new(),
            text,
            announcer,
        }
    }

    /// A new DealSummary answer: its summaries replace the board, and a long-poll starts when
    /// any is pending. Call before the cards render.
    pub fn show(self, deals: &[Deal]) {
        self.stop();
        self.board.set(SummaryBoard::of(deals));
        if self.board.with_untracked(SummaryBoard::pending) > 0 {
            self.restart();
        }
    }

    /// Stops the long-poll (another customer, a reload, a text answer).
    pub fn stop(self) {
        self.slot.cancel();
        self.polling.set(Polling::Idle);
    }

    /// Asks again for what is still pending (Retry on a summary, the browser back online).
    pub fn restart(self) {
        self.budget.set_value(PollBudget::default());
        self.polling.set(Polling::Waiting);
        self.poll(0);
    }

    /// True when the long-poll stopped with summaries still pending.
    pub fn stopped_untracked(self) -> bool {
        self.polling.get_untracked() == Polling::Stopped
    }

    /// A deal's summary as it stands, and whether the long-poll stopped while it was pending;
    /// changes only when that deal's does.
    pub fn of(self, deal: &Deal) -> Memo<(Summary, bool)> {
        let (id, first): (Guid, Summary) = (deal.id, deal.summary.clone());
        let (board, polling) = (self.board, self.polling);
        Memo::new(move |_| {
            let summary = board
                .with(|b| b.summary(&id).cloned())
                .unwrap_or_else(|| first.clone());
            let stopped =
                summary.state == SummaryState::Pending && polling.get() == Polling::Stopped;
            (summary, stopped)
        })
    }

    /// One round: after `after_ms`, the long-poll for the deals still pending.
    fn poll(self, after_ms: u32) {
        let items = self.board.with_untracked(SummaryBoard::pending_items);
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
        let s = self.text;
        let round = match &answer.result {
            Ok(summaries) => {
                let settled = self.board.try_update(|b| b.apply(summaries)).unwrap_or(0);
                Round::Answered {
                    progress: settled > 0,
                }
            }
            Err(api::FetchError::Aborted) => return,
            Err(error) => Round::failed(error, answer.retry_after.as_deref()),
        };
        if self.board.with_untracked(SummaryBoard::pending) == 0 {
            self.polling.set(Polling::Idle);
            self.announcer.polite(s.summaries_ready);
            return;
        }
        let next = self
            .budget
            .try_update_value(|budget| budget.next(round))
            .unwrap_or(Next::Stop);
        match next {
            Next::Poll { after_ms } => {
                self.polling.set(Polling::Waiting);
                self.poll(after_ms);
            }
            Next::Busy { after_ms } => {
                // Said once per busy spell, not at every 429.
                if self.polling.get_untracked() != Polling::Busy {
                    self.polling.set(Polling::Busy);
                    self.announcer.polite(s.summaries_busy);
                }
                self.poll(after_ms);
            }
            Next::Stop => {
                self.polling.set(Polling::Stopped);
                self.announcer.polite(s.summaries_stopped);
            }
        }
    }
}
