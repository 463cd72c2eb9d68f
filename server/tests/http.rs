//! The HTTP contract over loopback, through the real router: statuses, bodies, content types,
//! bounds, keys, caching, coalescing. A fake source forces the failure modes.

mod support;

use std::sync::Arc;
use std::time::Duration;

use dealpane_contract::{
    CustomerList, DealSummaryResponse, Health, MatchedBy, Problem, SummaryState,
};
use dealpane_server::Settings;
use support::{
    header, settings, summary_text, Dirs, Failure, FakeSource, Server, CONTOSO, FABRIKAM, NO_DEALS,
    UNKNOWN,
};

/// The DealSummary path for Contoso, the fake's customer with three deals.
fn contoso() -> String {
    format!("/api/DealSummary?customerId={CONTOSO}")
}

async fn start_default() -> (Server, Arc<FakeSource>, Dirs) {
    start_with(|_| {}).await
}

/// A server over a fresh fake, with the test settings as `adjust` leaves them.
async fn start_with(adjust: impl FnOnce(&mut Settings)) -> (Server, Arc<FakeSource>, Dirs) {
    let source = FakeSource::new();
    let (server, dirs) = start_over(source.clone(), adjust).await;
    (server, source, dirs)
}

/// A server over `source` (set up by the test), with the settings as `adjust` leaves them.
async fn start_over(source: Arc<FakeSource>, adjust: impl FnOnce(&mut Settings)) -> (Server, Dirs) {
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    adjust(&mut settings);
    (Server::start(&settings, source).await, dirs)
}

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.status, status);
    assert!(!problem.title.is_empty());
    let trace_id = problem.trace_id.clone().expect("a traceId");
    assert_eq!(trace_id.len(), 32, "{trace_id}");
    problem
}

// --- answers -------------------------------------------------------------------------------

#[tokio::test]
async fn json_answer_follows_the_contract() {
    let (server, _, _dirs) = start_default().await;
    let response = server
        .get_json(&format!(
            "/api/DealSummary?customerId={{{}}}",
            CONTOSO.to_string().to_uppercase()
        ))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/json");
    let answer: DealSummaryResponse = response.json().await.unwrap();
    assert_eq!(answer.customer.id, CONTOSO);
    assert_eq!(answer.customer.matched_by, MatchedBy::Id);
    assert_eq!(
        answer.customer.name.as_deref(),
        Some("Contoso Pharmaceuticals")
    );
    assert_eq!(answer.source, "embedded");
    let names: Vec<_> = answer.deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["Espresso machines for 4 sites", "Grinders", "Service plan"]
    );
    for deal in &answer.deals {
        assert_eq!(deal.summary.state, SummaryState::Ready);
        assert_eq!(
            deal.summary.text.as_deref(),
            Some(summary_text(deal.id).as_str())
        );
        assert!(deal
            .summary
            .generated_at
            .as_deref()
            .is_some_and(|t| t.ends_with('Z')));
    }
    assert!(chrono::DateTime::parse_from_rfc3339(&answer.generated_at).is_ok());
}

#[tokio::test]
async fn text_plain_is_exactly_the_top_deals_summary() {
    let (server, source, _dirs) = start_default().await;
    let top_deal = support::deal(1, "", 0.0).id;
    for accept in [
        None,
        Some("text/plain"),
        Some("*/*"),
        Some("text/html, */*;q=0.8"),
    ] {
        let mut request = server
            .client
            .get(server.url("/api/DealSummary?customerName=Contoso%20Pharmaceuticals&top=5"));
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{accept:?}");
        assert_eq!(
            header(&response, "content-type"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            response.text().await.unwrap(),
            summary_text(top_deal),
            "{accept:?}"
        );
    }
    // The text answer needs only the top deal's summary, like the sample function.
    assert_eq!(source.summary_calls(), 1);
}

#[tokio::test]
async fn text_plain_is_empty_without_open_deals_or_summary() {
    let (server, source, _dirs) = start_default().await;
    for query in [
        "customerName=northwind".to_owned(),
        format!("customerId={NO_DEALS}"),
    ] {
        let response = server.get(&format!("/api/DealSummary?{query}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "");
    }

    source
        .failing_summaries
        .lock()
        .unwrap()
        .push(support::deal(4, "", 0.0).id);
    let response = server
        .get(&format!("/api/DealSummary?customerId={FABRIKAM}"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "");
}

#[tokio::test]
async fn id_is_tried_first_then_the_name_case_insensitively() {
    let (server, _, _dirs) = start_default().await;
    let answer: DealSummaryResponse = server
        .json(&format!(
            "/api/DealSummary?customerId={UNKNOWN}&customerName=%20%20contoso%20PHARMACEUTICALS%20"
        ))
        .await;
    assert_eq!(answer.customer.id, CONTOSO);
    assert_eq!(answer.customer.matched_by, MatchedBy::Name);

    let answer: DealSummaryResponse = server
        .json(&format!(
            "/api/DealSummary?customerId={CONTOSO}&customerName=Northwind"
        ))
        .await;
    assert_eq!(answer.customer.matched_by, MatchedBy::Id);
    assert_eq!(answer.customer.id, CONTOSO);

    // customerType narrows: Fabrikam is a contact.
    let response = server
        .get_json("/api/DealSummary?customerName=Fabrikam%20%C3%96d%C3%B6n&customerType=account")
        .await;
    problem(response, 404).await;
    let response = server
        .get_json("/api/DealSummary?customerName=fabrikam%20%C3%B6d%C3%B6n&customerType=Contact")
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn top_limits_the_deals() {
    let (server, _, _dirs) = start_default().await;
    for (top, expected) in [("1", 1), ("2", 2), ("50", 3)] {
        let answer: DealSummaryResponse = server
            .json(&format!("/api/DealSummary?customerId={CONTOSO}&top={top}"))
            .await;
        assert_eq!(answer.deals.len(), expected, "top={top}");
    }
}

#[tokio::test]
async fn a_failed_summary_marks_only_its_deal() {
    let (server, source, _dirs) = start_default().await;
    let second = support::deal(2, "", 0.0).id;
    source.failing_summaries.lock().unwrap().push(second);
    let answer: DealSummaryResponse = server.json(&contoso()).await;
    let states: Vec<_> = answer.deals.iter().map(|d| d.summary.state).collect();
    assert_eq!(
        states,
        [
            SummaryState::Ready,
            SummaryState::Unavailable,
            SummaryState::Ready
        ]
    );
    assert_eq!(answer.deals[1].summary.text, None);
}

#[tokio::test]
async fn summaries_can_be_turned_off() {
    let (server, source, _dirs) = start_with(|s| s.summaries = false).await;
    let answer: DealSummaryResponse = server.json(&contoso()).await;
    assert!(answer
        .deals
        .iter()
        .all(|d| d.summary.state == SummaryState::Disabled));
    assert_eq!(source.summary_calls(), 0);
}

// --- errors --------------------------------------------------------------------------------

#[tokio::test]
async fn every_bad_parameter_is_a_400_that_names_it() {
    let (server, _, _dirs) = start_default().await;
    let long_name = "x".repeat(161);
    for (query, parameter) in [
        ("".to_owned(), "customerId"),
        ("customerId=&customerName=%20".to_owned(), "customerId"),
        ("customerId=not-a-guid".to_owned(), "customerId"),
        (
            "customerId={anchor._customerid_value}".to_owned(),
            "customerId",
        ),
        (format!("customerName={long_name}"), "customerName"),
        (
            "customerName=A&customerType=lead".to_owned(),
            "customerType",
        ),
        ("customerName=A&top=0".to_owned(), "top"),
        ("customerName=A&top=51".to_owned(), "top"),
        ("customerName=A&top=abc".to_owned(), "top"),
        ("customerName=A&top=-1".to_owned(), "top"),
        ("customerName=A&customerName=B".to_owned(), "customerName"),
    ] {
        let response = server.get_json(&format!("/api/DealSummary?{query}")).await;
        let problem = problem(response, 400).await;
        let detail = problem.detail.unwrap();
        assert!(
            detail.contains(&format!("'{parameter}'")),
            "{query}: {detail}"
        );
    }
    // The name bound counts characters after trimming, not bytes.
    let name_160 = "é".repeat(160);
    let response = server
        .get_json(&format!("/api/DealSummary?customerName=%20{name_160}%20"))
        .await;
    problem(response, 404).await;
}

#[tokio::test]
async fn the_query_string_is_bounded_at_4096_bytes() {
    let (server, _, _dirs) = start_default().await;
    let base = format!("customerId={CONTOSO}&pad=");
    let exactly = format!("{base}{}", "p".repeat(4096 - base.len()));
    assert_eq!(exactly.len(), 4096);
    let response = server
        .get_json(&format!("/api/DealSummary?{exactly}"))
        .await;
    assert_eq!(response.status(), 200);
    let response = server
        .get_json(&format!("/api/DealSummary?{exactly}p"))
        .await;
    let problem = problem(response, 400).await;
    assert!(problem.detail.unwrap().contains("4097 bytes"));
}

#[tokio::test]
async fn an_unknown_customer_is_a_404() {
    let (server, _, _dirs) = start_default().await;
    for query in [
        format!("customerId={UNKNOWN}"),
        "customerName=Nobody%20Inc".to_owned(),
        format!("customerId={UNKNOWN}&customerName=Nobody"),
    ] {
        let response = server.get(&format!("/api/DealSummary?{query}")).await;
        let problem = problem(response, 404).await;
        assert!(problem.detail.unwrap().contains("Sales environment"));
    }
}

#[tokio::test]
async fn upstream_failures_map_to_429_502_504() {
    let (server, source, _dirs) = start_default().await;
    source.fail_with(Some(Failure::Throttled(Duration::from_millis(2500))));
    let response = server.get_json(&contoso()).await;
    assert_eq!(header(&response, "retry-after"), "3");
    problem(response, 429).await;

    source.fail_with(Some(Failure::Upstream));
    let response = server.get_json(&contoso()).await;
    let detail = problem(response, 502).await.detail.unwrap();
    assert!(
        !detail.contains("fake"),
        "upstream text is logged, not shown: {detail}"
    );

    source.fail_with(Some(Failure::Timeout));
    let response = server.get(&contoso()).await;
    problem(response, 504).await;

    // Errors are not cached: once the source recovers, the next call answers.
    source.fail_with(None);
    let response = server.get_json(&contoso()).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_slow_summary_marks_its_deal_unavailable_instead_of_failing_the_answer() {
    let source = FakeSource::new();
    *source.summary_delay.lock().unwrap() = Duration::from_secs(3);
    let (server, _dirs) = start_over(source, |s| {
        s.upstream_timeout = Duration::from_millis(400);
        // Summaries run in the background, with their own timeout.
        s.summary_timeout = Duration::from_secs(1);
    })
    .await;
    let response = server.get_json(&contoso()).await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    let deals = body["deals"].as_array().unwrap();
    assert!(!deals.is_empty());
    for deal in deals {
        assert_eq!(deal["summary"]["state"], "pending", "{deal}");
    }
    // The long-poll brings each one's end: unavailable, because it timed out.
    let items: Vec<String> = deals
        .iter()
        .map(|deal| deal["id"].as_str().unwrap().to_owned())
        .collect();
    let path = format!("/api/summaries?deals={}&wait=5", items.join(","));
    let mut summaries = Vec::new();
    for _ in 0..=deals.len() {
        let body: serde_json::Value = server.json(&path).await;
        summaries = body["summaries"].as_array().unwrap().clone();
        if summaries.iter().all(|s| s["summary"]["state"] != "pending") {
            break;
        }
    }
    assert_eq!(summaries.len(), deals.len());
    for update in summaries {
        assert_eq!(update["summary"]["state"], "unavailable", "{update}");
        assert_eq!(update["summary"]["reason"], "timeout", "{update}");
    }
}

#[tokio::test]
async fn a_slow_source_is_a_504_after_the_upstream_timeout() {
    let source = FakeSource::new();
    *source.delay.lock().unwrap() = Duration::from_secs(3);
    let (server, _dirs) =
        start_over(source, |s| s.upstream_timeout = Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    let response = server.get_json(&contoso()).await;
    problem(response, 504).await;
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn trace_id_comes_from_traceparent() {
    let (server, _, _dirs) = start_default().await;
    let response = server
        .get_with(
            "/api/DealSummary",
            &[(
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            )],
        )
        .await;
    let problem = problem(response, 400).await;
    assert_eq!(
        problem.trace_id.as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
}

#[tokio::test]
async fn unknown_api_routes_and_methods_are_problems() {
    let (server, _, _dirs) = start_default().await;
    problem(server.get("/api/Nope").await, 404).await;
    problem(server.get("/api").await, 404).await;
    let response = server
        .client
        .post(server.url("/api/DealSummary?customerName=A"))
        .send()
        .await
        .unwrap();
    assert!(header(&response, "allow").contains("GET"));
    problem(response, 405).await;
    // Azure Functions routes ignore case; so do these.
    let response = server
        .get_json(&format!("/api/dealsummary?CUSTOMERID={CONTOSO}"))
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn every_api_path_is_routed_in_any_case() {
    let (server, _, _dirs) = start_default().await;
    for path in dealpane_server::routes::paths::ALL {
        for spelling in [path.to_owned(), path.to_uppercase(), path.to_lowercase()] {
            let response = server
                .get_json(&format!("{spelling}?customerId={CONTOSO}"))
                .await;
            assert_ne!(response.status(), 404, "{spelling}");
            assert_ne!(response.status(), 405, "{spelling}");
        }
    }
}

// --- function keys -------------------------------------------------------------------------

#[tokio::test]
async fn function_keys_are_required_when_configured() {
    let keys = ["k1-secret".to_owned(), "k2+secret".to_owned()];
    let (server, _, _dirs) = start_with(|s| s.function_keys = keys.to_vec()).await;
    let path = format!("/api/DealSummary?customerId={CONTOSO}");
    let no_key = server.get(&path).await;
    assert!(header(&no_key, "www-authenticate").contains("FunctionKey"));
    assert!(problem(no_key, 401).await.detail.unwrap().contains("code"));
    problem(server.get(&format!("{path}&code=wrong")).await, 401).await;
    problem(server.get(&format!("{path}&code=k1-secre")).await, 401).await;
    problem(server.get("/api/customers?q=C").await, 401).await;

    assert_eq!(
        server.get(&format!("{path}&code=k1-secret")).await.status(),
        200
    );
    assert_eq!(
        server
            .get(&format!("{path}&code=k2%2Bsecret"))
            .await
            .status(),
        200
    );
    let with_header = server
        .get_with(&path, &[("x-functions-key", "k2+secret")])
        .await;
    assert_eq!(with_header.status(), 200);
    let wrong_header = server.get_with(&path, &[("x-functions-key", "nope")]).await;
    problem(wrong_header, 401).await;
    assert_eq!(
        server
            .get("/api/customers?q=C&code=k1-secret")
            .await
            .status(),
        200
    );
    // Probes and connector imports need no key.
    assert_eq!(server.get("/api/health").await.status(), 200);
    assert_eq!(server.get("/api/swagger.json").await.status(), 200);
}

#[tokio::test]
async fn without_configured_keys_a_code_is_ignored() {
    let (server, _, _dirs) = start_default().await;
    let response = server
        .get(&format!(
            "/api/DealSummary?customerId={CONTOSO}&code=anything"
        ))
        .await;
    assert_eq!(response.status(), 200);
}

// --- caching -------------------------------------------------------------------------------

#[tokio::test]
async fn etag_and_304_per_representation() {
    let (server, source, _dirs) = start_default().await;
    let path = format!("/api/DealSummary?customerId={CONTOSO}");
    let first = server.get_json(&path).await;
    assert_eq!(header(&first, "cache-control"), "private, max-age=60");
    assert!(header(&first, "vary")
        .to_ascii_lowercase()
        .contains("accept"));
    let etag = header(&first, "etag").to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{etag}");
    let body = first.bytes().await.unwrap();

    // Same cached answer: same bytes and ETag, though `generatedAt` is per upstream call.
    let second = server.get_json(&path).await;
    assert_eq!(header(&second, "etag"), etag);
    assert_eq!(second.bytes().await.unwrap(), body);
    assert_eq!(source.open_deals_calls(), 1);

    let not_modified = server
        .get_with(
            &path,
            &[
                ("accept", "application/json"),
                ("if-none-match", &format!("\"other\", {etag}")),
            ],
        )
        .await;
    assert_eq!(not_modified.status(), 304);
    assert_eq!(header(&not_modified, "etag"), etag);
    assert_eq!(
        header(&not_modified, "cache-control"),
        "private, max-age=60"
    );
    assert!(not_modified.bytes().await.unwrap().is_empty());

    // The text representation has its own ETag; the JSON one does not validate it.
    let text = server
        .get_with(&path, &[("accept", "text/plain"), ("if-none-match", &etag)])
        .await;
    assert_eq!(text.status(), 200);
    let text_etag = header(&text, "etag").to_owned();
    assert_ne!(text_etag, etag);
    let text_304 = server
        .get_with(&path, &[("if-none-match", &text_etag)])
        .await;
    assert_eq!(text_304.status(), 304);
}

#[tokio::test]
async fn concurrent_identical_requests_make_one_upstream_call() {
    let (server, source, _dirs) = start_default().await;
    *source.delay.lock().unwrap() = Duration::from_millis(300);
    let server = Arc::new(server);
    let requests = (0..16).map(|i| {
        let server = server.clone();
        // Same question in different spellings of the name and id.
        let query = if i % 2 == 0 {
            format!("/api/DealSummary?customerId={CONTOSO}&customerName=Contoso%20Pharmaceuticals")
        } else {
            format!(
                "/api/DealSummary?customerName=%20CONTOSO%20pharmaceuticals&customerId=%7B{}%7D",
                CONTOSO.to_string().to_uppercase()
            )
        };
        tokio::spawn(async move { server.get_json(&query).await.bytes().await.unwrap() })
    });
    let bodies: Vec<_> = futures::future::join_all(requests)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "every caller gets the same answer"
    );
    assert_eq!(source.open_deals_calls(), 1);
    assert_eq!(source.summary_calls(), 3);
}

#[tokio::test]
async fn the_cache_expires_after_its_ttl() {
    let (server, source, _dirs) = start_with(|s| s.cache_ttl = Duration::from_millis(300)).await;
    let path = format!("/api/DealSummary?customerId={CONTOSO}");
    server.get_json(&path).await;
    server.get_json(&path).await;
    assert_eq!(source.open_deals_calls(), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    server.get_json(&path).await;
    assert_eq!(source.open_deals_calls(), 2);
}

// --- customers, health, swagger -----------------------------------------------------------

#[tokio::test]
async fn customers_search_by_prefix_within_bounds() {
    let (server, _, _dirs) = start_default().await;
    let list: CustomerList = server.json("/api/customers?q=con").await;
    assert_eq!(list.customers.len(), 1);
    assert_eq!(list.customers[0].id, CONTOSO);

    let all: CustomerList = server.json("/api/customers").await;
    let names: Vec<_> = all.customers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Contoso Pharmaceuticals", "Fabrikam Ödön", "Northwind"]
    );
    let two: CustomerList = server.json("/api/customers?q=&top=2").await;
    assert_eq!(two.customers.len(), 2);
    assert_eq!(server.get("/api/customers?top=20").await.status(), 200);
    assert_eq!(
        server
            .get(&format!("/api/customers?q={}", "a".repeat(160)))
            .await
            .status(),
        200
    );

    for query in [
        "top=0",
        "top=21",
        "top=x",
        &format!("q={}", "a".repeat(161)),
    ] {
        let response = server.get(&format!("/api/customers?{query}")).await;
        problem(response, 400).await;
    }
}

#[tokio::test]
async fn health_reports_counts_or_degraded() {
    let (server, source, _dirs) = start_default().await;
    let response = server.get("/api/health").await;
    assert_eq!(response.status(), 200);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.source, "embedded");
    assert_eq!(health.customers, Some(3));
    assert_eq!(health.deals, Some(4));
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));

    source.fail_with(Some(Failure::Upstream));
    let response = server.get("/api/health").await;
    assert_eq!(response.status(), 503);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, "degraded");
}

#[tokio::test]
async fn swagger_is_an_openapi_2_document_a_custom_connector_imports() {
    let (server, _, _dirs) = start_default().await;
    let response = server.get("/api/swagger.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["swagger"], "2.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert_eq!(doc["basePath"], "/api");
    assert!(doc["host"].as_str().unwrap().starts_with("127.0.0.1:"));
    assert_eq!(doc["schemes"], serde_json::json!(["http"]));
    assert_eq!(
        doc["securityDefinitions"]["function_key"],
        serde_json::json!({"type": "apiKey", "name": "code", "in": "query"})
    );
    let op = &doc["paths"]["/DealSummary"]["get"];
    assert_eq!(op["operationId"], "DealSummary");
    let produces: Vec<_> = op["produces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(produces.contains(&"application/json") && produces.contains(&"text/plain"));
    let params = op["parameters"].as_array().unwrap();
    let param = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("parameter {name}"))
            .clone()
    };
    for name in ["customerId", "customerName", "customerType", "top"] {
        let p = param(name);
        assert_eq!(p["in"], "query");
        assert_eq!(p["required"], false);
    }
    assert_eq!(
        param("customerType")["enum"],
        serde_json::json!(["account", "contact"])
    );
    assert_eq!(param("top")["minimum"], 1);
    assert_eq!(param("top")["maximum"], 50);
    assert_eq!(param("top")["type"], "integer");
    assert_eq!(param("customerName")["maxLength"], 160);
    assert_eq!(op["security"], serde_json::json!([{"function_key": []}]));
    let ok_ref = op["responses"]["200"]["schema"]["$ref"].as_str().unwrap();
    let definition = ok_ref.strip_prefix("#/definitions/").unwrap();
    assert!(doc["definitions"][definition]["properties"]["deals"].is_object());
    for status in ["400", "401", "404", "429", "502", "504"] {
        let schema = op["responses"][status]["schema"]["$ref"].as_str().unwrap();
        assert!(doc["definitions"][schema.strip_prefix("#/definitions/").unwrap()].is_object());
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for piece in text.split("\"#/definitions/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(doc["definitions"][name].is_object(), "dangling $ref {name}");
    }
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight() {
    let dirs = Dirs::new();
    let source = FakeSource::new();
    *source.delay.lock().unwrap() = Duration::from_millis(400);
    let app = dealpane_server::build_app_with_source(&settings(&dirs), source);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(dealpane_server::serve_on(listener, app, async move {
        let _ = stopped.await;
    }));
    let in_flight = tokio::spawn(async move {
        reqwest::get(format!("{base}/api/DealSummary?customerId={CONTOSO}"))
            .await
            .unwrap()
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let response = in_flight.await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(!response.text().await.unwrap().is_empty());
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops once the request is answered")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_compressed_answer_has_its_own_strong_etag_and_revalidates() {
    let (server, _, _dirs) = start_default().await;
    let path = format!("/api/DealSummary?customerId={CONTOSO}");
    let plain = server.get_json(&path).await;
    let plain_tag = header(&plain, "etag").to_owned();
    let plain_body = plain.bytes().await.unwrap();

    let request = |encoding: &'static str, if_none_match: Option<String>| {
        let mut request = server
            .client
            .get(server.url(&path))
            .header("accept", "application/json")
            .header("accept-encoding", encoding);
        if let Some(tag) = if_none_match {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let gzip = request("gzip", None).await.unwrap();
    assert_eq!(header(&gzip, "content-encoding"), "gzip");
    let gzip_tag = header(&gzip, "etag").to_owned();
    assert_eq!(
        gzip_tag,
        format!("{}-gzip\"", plain_tag.trim_end_matches('"'))
    );
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(gzip.bytes().await.unwrap().as_ref()),
        &mut decoded,
    )
    .unwrap();
    assert_eq!(decoded, plain_body);

    let revalidated = request("gzip", Some(gzip_tag.clone())).await.unwrap();
    assert_eq!(revalidated.status(), 304);
    assert_eq!(header(&revalidated, "etag"), gzip_tag);
    let br = request("br", None).await.unwrap();
    assert!(header(&br, "etag").ends_with("-br\""));
}
