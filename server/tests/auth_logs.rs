//! Bearer tokens never reach the logs, valid or forged, at any level. Its own test binary,
//! since it installs the global subscriber.

mod support;

use serde_json::json;
use support::issuer::{bearer, Issuer, ALEX};
use support::logs::captured_logs;
use support::*;

#[tokio::test]
async fn tokens_are_never_logged() {
    let captured = captured_logs();

    let issuer = Issuer::start().await;
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    issuer.trust(&mut settings);
    let server = Server::start(&settings, FakeSource::new()).await;
    let valid = issuer.token(&ALEX);
    let expired = issuer.token_with(&ALEX, |c| c["exp"] = json!(1));
    let unscoped = issuer.token_with(&ALEX, |c| c["scp"] = json!("User.Read"));
    let path = format!("/api/DealSummary?customerId={CONTOSO}");
    for (token, status) in [(&valid, 200), (&expired, 401), (&unscoped, 403)] {
        let (name, value) = bearer(token);
        let response = server.get_with(&path, &[(name, &value)]).await;
        assert_eq!(response.status(), status);
    }
    let logs = captured.text();
    assert!(
        logs.contains("bearer token refused"),
        "the refusal is logged"
    );
    for token in [&valid, &expired, &unscoped] {
        let signature = token.rsplit('.').next().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        for part in [token.as_str(), signature, payload] {
            assert!(!logs.contains(part), "a token part in the logs");
        }
    }
}
