use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;

use super::*;

#[tokio::test]
async fn never_more_than_capacity_at_once() {
    let budget = UpstreamBudget::new(3, 3);
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let calls = (0..12).map(|i| {
        let (budget, running, most) = (budget.clone(), running.clone(), most.clone());
        let priority = if i % 2 == 0 {
            Priority::Interactive
        } else {
            Priority::Background
        };
        tokio::spawn(async move {
            let _permit = budget.acquire(priority).await;
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(15)).await;
            running.fetch_sub(1, Ordering::SeqCst);
        })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap();
    }
    assert_eq!(most.load(Ordering::SeqCst), 3);
    assert_eq!(budget.stats().in_use, 0);
}

#[tokio::test]
async fn interactive_waiters_go_before_background_ones_queued_earlier() {
    let budget = UpstreamBudget::new(1, 1);
    let held = budget.acquire(Priority::Interactive).await;
    let (order_tx, mut order_rx) = tokio::sync::mpsc::unbounded_channel();
    // Queued in this order: two summaries, then two lookups.
    let mut tasks = Vec::new();
    for (name, priority) in [
        ("summary 1", Priority::Background),
        ("summary 2", Priority::Background),
        ("lookup 1", Priority::Interactive),
        ("lookup 2", Priority::Interactive),
    ] {
        let wait = budget.acquire(priority);
        let order_tx = order_tx.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = wait.await;
            order_tx.send(name).unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }));
    }
    assert_eq!(budget.stats().interactive_waiting, 2);
    assert_eq!(budget.stats().background_waiting, 2);
    drop(held);
    for task in tasks {
        task.await.unwrap();
    }
    drop(order_tx);
    let mut order = Vec::new();
    while let Some(name) = order_rx.recv().await {
        order.push(name);
    }
    assert_eq!(order, ["lookup 1", "lookup 2", "summary 1", "summary 2"]);
}

#[tokio::test]
async fn background_calls_leave_room_for_interactive_ones() {
    let budget = UpstreamBudget::new(4, 2);
    let mut background: Vec<Acquire> = (0..4)
        .map(|_| budget.acquire(Priority::Background))
        .collect();
    let first = background
        .remove(0)
        .now_or_never()
        .expect("within the share");
    let second = background
        .remove(0)
        .now_or_never()
        .expect("within the share");
    assert!(
        (&mut background[0]).now_or_never().is_none(),
        "over the background share"
    );
    let stats = budget.stats();
    assert_eq!(
        (
            stats.in_use,
            stats.background_in_use,
            stats.background_waiting
        ),
        (2, 2, 2)
    );
    // The two free permits still serve lookups at once.
    let lookups = [
        budget.acquire(Priority::Interactive).now_or_never(),
        budget.acquire(Priority::Interactive).now_or_never(),
    ];
    assert!(lookups.iter().all(Option::is_some));
    drop((first, second, lookups));
    let stats = budget.stats();
    assert_eq!(
        (stats.in_use, stats.background_waiting),
        (2, 0),
        "the queued ones got theirs"
    );
    drop(background);
    assert_eq!(budget.stats().in_use, 0, "and gave them back unused");
}

#[tokio::test]
async fn a_caller_that_gives_up_does_not_leak_its_place_or_permit() {
    let budget = UpstreamBudget::new(1, 1);
    let held = budget.acquire(Priority::Interactive).await;

    // Gives up while queued.
    drop(budget.acquire(Priority::Interactive));
    // Is granted the permit, then gives up before taking it.
    let granted_but_dropped = budget.acquire(Priority::Background);
    drop(held);
    assert_eq!(budget.stats().in_use, 1, "granted to the queued caller");
    drop(granted_but_dropped);
    assert_eq!(budget.stats().in_use, 0, "and given back");

    let again = tokio::time::timeout(
        Duration::from_secs(1),
        budget.acquire(Priority::Interactive),
    )
    .await
    .expect("the permit is free");
    assert_eq!(again.priority(), Priority::Interactive);
}

#[test]
fn bounds_are_sane() {
    let budget = UpstreamBudget::new(0, 0);
    assert_eq!(budget.stats().capacity, 1);
    assert!(budget
        .acquire(Priority::Background)
        .now_or_never()
        .is_some());
    assert_eq!(
        UpstreamBudget::with_capacity(16)
            .state
            .lock()
            .unwrap()
            .background_max,
        8
    );
    assert_eq!(
        UpstreamBudget::new(4, 10)
            .state
            .lock()
            .unwrap()
            .background_max,
        4
    );
}
