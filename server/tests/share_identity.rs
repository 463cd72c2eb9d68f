//! Who sent a note (issue 12 over issue 11's sign-in): the agent's name from the token; with
//! `--sales-identity agent` the task is created as the agent (`CallerObjectId`), with `app` by
//! the application user "on behalf of" the agent; idempotency keys are each agent's own.

mod support;

use dealpane_contract::{Guid, Note};
use dealpane_server::auth::SalesIdentity;
use dealpane_server::dev_issuer::TestUser;
use serde_json::{json, Value};
use support::dataverse::{DataverseStandin, Opportunity, RecordedRequest};
use support::issuer::{bearer, Issuer, ALEX, DANA};
use support::{Dirs, Server};

struct Setup {
    issuer: Issuer,
    standin: DataverseStandin,
    server: Server,
    deal: Guid,
    _dirs: Dirs,
}

/// One deal, owned by Alex.
async fn setup(identity: SalesIdentity) -> Setup {
    let issuer = Issuer::start().await;
    let standin = DataverseStandin::start().await;
    let contoso = standin.add_account("Contoso");
    let mut deal = Opportunity::new(contoso, "Alex's espresso deal", Some(5000.0));
    deal.owner = Some(ALEX.name.to_owned());
    let deal = standin.add_opportunity(deal);
    let (server, dirs) = issuer.server_over(&standin, identity, false).await;
    Setup {
        issuer,
        standin,
        server,
        deal,
        _dirs: dirs,
    }
}

impl Setup {
    async fn note_as(
        &self,
        user: Option<&TestUser>,
        key: &str,
        message: &str,
    ) -> reqwest::Response {
        let mut request = self
            .server
            .client
            .post(self.server.url(&format!("/api/deals/{}/notes", self.deal)))
            .header("Idempotency-Key", key)
            .json(&json!({"message": message}));
        if let Some(user) = user {
            let (name, value) = bearer(&self.issuer.token(user));
            request = request.header(name, value);
        }
        request.send().await.unwrap()
    }

    fn task_creates(&self) -> Vec<RecordedRequest> {
        self.standin
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == "/api/data/v9.2/tasks")
            .collect()
    }
}

fn description(request: &RecordedRequest) -> String {
    let body: Value = serde_json::from_str(&request.body).unwrap();
    body["description"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn in_agent_mode_the_task_is_the_agents_own() {
    let setup = setup(SalesIdentity::Agent).await;
    assert_eq!(
        setup.note_as(None, "k", "x").await.status(),
        401,
        "sign-in first"
    );
    let sent = setup.note_as(Some(&ALEX), "k", "Wants a demo").await;
    assert_eq!(sent.status(), 201);
    let note: Note = sent.json().await.unwrap();
    assert_eq!(note.created_by, ALEX.name);
    let creates = setup.task_creates();
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0].caller_object_id.as_deref(), Some(ALEX.oid));
    assert!(
        description(&creates[0]).ends_with(&format!("Sent by {} via dealpane", ALEX.name)),
        "{}",
        description(&creates[0])
    );
}

#[tokio::test]
async fn in_app_mode_the_text_says_on_behalf_of_whom_and_keys_are_each_agents() {
    let setup = setup(SalesIdentity::App).await;
    let alex: Note = setup
        .note_as(Some(&ALEX), "same-key", "Wants a demo")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(alex.created_by, ALEX.name);
    let creates = setup.task_creates();
    assert_eq!(
        creates[0].caller_object_id, None,
        "the application user writes"
    );
    assert!(description(&creates[0])
        .ends_with(&format!("Sent on behalf of {} via dealpane", ALEX.name)));

    // Dana's key is Dana's: the same text under the same key is her own note.
    let dana = setup.note_as(Some(&DANA), "same-key", "Wants a demo").await;
    assert_eq!(dana.status(), 201);
    assert!(dana.headers().get("idempotent-replayed").is_none());
    let dana: Note = dana.json().await.unwrap();
    assert_eq!(dana.created_by, DANA.name);
    assert_ne!(dana.id, alex.id);
    // Alex's repeat is a replay.
    let again = setup.note_as(Some(&ALEX), "same-key", "Wants a demo").await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(setup.task_creates().len(), 2);
}
