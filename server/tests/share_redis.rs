//! Exactly once across instances (issue 12): two servers sharing one Redis and one store; the
//! same draft sent to both, at once and again later, creates one task.

#[path = "support/redis.rs"]
mod redis_server;
mod support;

use dealpane_server::source::embedded::fixtures::CONTOSO_TOP_DEAL_ID;
use dealpane_server::{build_app, Settings};
use redis_server::RedisServer;
use serde_json::json;
use support::{count, settings, Dirs, Server};

#[tokio::test]
async fn a_retry_landing_on_another_instance_creates_nothing() {
    let redis = RedisServer::start();
    let dirs = Dirs::new();
    let store = dirs.root.path().join("sales.sqlite");
    let instance = || async {
        let settings = Settings {
            store_path: store.clone(),
            sample_size: 20,
            cache_url: Some(redis.url()),
            ..settings(&dirs)
        };
        Server::serve(build_app(&settings).await.expect("the store opens")).await
    };
    let (first, second) = (instance().await, instance().await);
    let path = format!("/api/deals/{CONTOSO_TOP_DEAL_ID}/notes");
    let send = |server: &Server| {
        server
            .client
            .post(server.url(&path))
            .header("Idempotency-Key", "draft-across-instances")
            .json(&json!({"message": "Sent from two instances"}))
            .send()
    };
    let (a, b) = tokio::join!(send(&first), send(&second));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (201, 201));
    let (a, b) = (a.text().await.unwrap(), b.text().await.unwrap());
    assert_eq!(a, b, "one answer");
    let later = send(&second).await.unwrap();
    assert_eq!(later.headers()["idempotent-replayed"], "true");
    assert_eq!(later.text().await.unwrap(), a);
    assert_eq!(count(&store, "SELECT count(*) FROM task"), 1);
}
