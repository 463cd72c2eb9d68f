//! `/mcp` on the wire: the JSON-RPC shapes a Streamable HTTP client sees (the e2e suite drives
//! it with the official TypeScript SDK), the key and Origin checks, and the connector file.

mod support;

use std::sync::Arc;

use serde_json::{json, Value};
use support::{settings, Dirs, FakeSource, Server, CONTOSO};

const ACCEPT: &str = "application/json, text/event-stream";

async fn start(adjust: impl FnOnce(&mut dealpane_server::Settings)) -> (Server, Dirs) {
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    adjust(&mut settings);
    let server = Server::start(&settings, FakeSource::new() as Arc<_>).await;
    (server, dirs)
}

/// One JSON-RPC message POSTed to /mcp with these extra headers; after initialize, as a client
/// does, with the negotiated version in `MCP-Protocol-Version`.
async fn post(server: &Server, message: &Value, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = server
        .client
        .post(server.url("/mcp"))
        .header("accept", ACCEPT)
        .json(message);
    if message["method"] != "initialize" {
        request = request.header("mcp-protocol-version", "2025-06-18");
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// The JSON-RPC response to `method` with `params`.
async fn call(server: &Server, method: &str, params: Value) -> Value {
    let message = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
    let response = post(server, &message, &[]).await;
    assert_eq!(response.status(), 200, "{method}");
    assert!(
        support::header(&response, "content-type").starts_with("application/json"),
        "a JSON answer, not a stream"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["id"], 7);
    body
}

async fn tool(server: &Server, name: &str, arguments: Value) -> Value {
    call(
        server,
        "tools/call",
        json!({"name": name, "arguments": arguments}),
    )
    .await
}

fn initialize(version: &str) -> Value {
    json!({"protocolVersion": version, "capabilities": {},
        "clientInfo": {"name": "dealpane-tests", "version": "1"}})
}

#[tokio::test]
async fn initialize_negotiates_both_versions_statelessly() {
    let (server, _dirs) = start(|_| {}).await;
    for version in ["2025-06-18", "2025-11-25"] {
        let message = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": initialize(version)});
        let response = post(&server, &message, &[]).await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers().get("mcp-session-id").is_none(),
            "stateless: no session"
        );
        let body: Value = response.json().await.unwrap();
        let result = &body["result"];
        assert_eq!(result["protocolVersion"], version);
        assert_eq!(result["serverInfo"]["name"], "dealpane");
        assert!(result["capabilities"]["tools"].is_object());
        assert!(result["instructions"]
            .as_str()
            .unwrap()
            .contains("search_customers"));
    }
    let notified = post(
        &server,
        &json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        &[],
    )
    .await;
    assert_eq!(notified.status(), 202);
    assert_eq!(call(&server, "ping", json!({})).await["result"], json!({}));
}

#[tokio::test]
async fn tools_are_listed_with_flat_input_schemas_and_output_schemas() {
    let (server, _dirs) = start(|_| {}).await;
    let body = call(&server, "tools/list", json!({})).await;
    let tools = body["result"]["tools"].as_array().unwrap();
    let get = |name: &str| {
        tools
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} is listed"))
    };
    let deals = get("get_customer_deals");
    assert_eq!(deals["annotations"]["readOnlyHint"], true);
    assert_eq!(
        deals["outputSchema"]["required"],
        json!(["customer", "deals", "source", "generatedAt"])
    );
    let input = &deals["inputSchema"];
    assert_eq!(input["type"], "object");
    assert_eq!(input["properties"]["top"]["maximum"], 50);
    assert!(get("search_customers")["outputSchema"]["properties"]["customers"].is_object());
    for tool in tools {
        let text = tool["inputSchema"].to_string();
        assert!(
            !text.contains("$ref"),
            "Copilot Studio drops tools with references: {text}"
        );
    }
}

#[tokio::test]
async fn get_customer_deals_is_the_json_answer_plus_quotable_text() {
    let (server, _dirs) = start(|_| {}).await;
    let body = tool(
        &server,
        "get_customer_deals",
        json!({"customerName": "contoso pharmaceuticals", "top": 2}),
    )
    .await;
    let result = &body["result"];
    assert_eq!(result["isError"], false);
    let structured = &result["structuredContent"];
    let api: Value = server
        .json("/api/DealSummary?customerName=contoso%20pharmaceuticals&top=2")
        .await;
    assert_eq!(structured["customer"], api["customer"]);
    assert_eq!(
        structured["deals"], api["deals"],
        "same deals and summaries"
    );
    assert_eq!(structured["customer"]["id"], CONTOSO.to_string());

    let text = result["content"][0]["text"].as_str().unwrap();
    assert_eq!(result["content"][0]["type"], "text");
    assert!(
        text.starts_with("Contoso Pharmaceuticals (account "),
        "{text}"
    );
    assert!(
        text.contains(
            "Espresso machines for 4 sites: stage Propose, value 250,000 USD, closes \
             2026-12-15, owner Alex Wu. Summary: "
        ),
        "{text}"
    );
    assert_eq!(text.split("\n\n").count(), 3, "a header and two deals");
}

#[tokio::test]
async fn search_customers_lists_names_and_ids() {
    let (server, _dirs) = start(|_| {}).await;
    let result = &tool(&server, "search_customers", json!({"prefix": "fab"})).await["result"];
    assert_eq!(
        result["structuredContent"]["customers"][0]["type"],
        "contact"
    );
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("Fabrikam Ödön (contact "), "{text}");
}

#[tokio::test]
async fn an_unknown_customer_is_a_tool_error_and_bad_arguments_are_invalid_params() {
    let (server, _dirs) = start(|_| {}).await;
    let result = &tool(
        &server,
        "get_customer_deals",
        json!({"customerName": "Nobody Ltd"}),
    )
    .await["result"];
    assert_eq!(result["isError"], true);
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("No account or contact named 'Nobody Ltd'")
            && text.contains("search_customers"),
        "{text}"
    );

    for (name, arguments, says) in [
        (
            "get_customer_deals",
            json!({}),
            "customerId or customerName",
        ),
        (
            "get_customer_deals",
            json!({"customerName": "A", "top": 99}),
            "top",
        ),
        (
            "get_customer_deals",
            json!({"customerId": "x"}),
            "not a GUID",
        ),
        ("search_customers", json!({"top": 3}), "prefix"),
    ] {
        let body = tool(&server, name, arguments.clone()).await;
        assert_eq!(body["error"]["code"], -32602, "{arguments}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{arguments}: {message}");
    }
}

#[tokio::test]
async fn the_write_tools_say_they_write_once_per_key_and_check_their_arguments() {
    let (server, _dirs) = start(|_| {}).await;
    let body = call(&server, "tools/list", json!({})).await;
    for name in ["notify_deal_owner", "suggest_deal"] {
        let tool = body["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} is listed"));
        let hints = &tool["annotations"];
        assert_eq!(
            (
                &hints["readOnlyHint"],
                &hints["destructiveHint"],
                &hints["idempotentHint"]
            ),
            (&json!(false), &json!(false), &json!(true)),
            "{name}"
        );
        assert!(tool["outputSchema"]["required"]
            .as_array()
            .unwrap()
            .contains(&json!("id")));
    }

    let deal = support::deal(1, "", 0.0).id.to_string();
    for (name, arguments, says) in [
        (
            "notify_deal_owner",
            json!({"dealId": "x", "message": "hi"}),
            "dealId",
        ),
        (
            "notify_deal_owner",
            json!({"dealId": deal, "message": "  "}),
            "message",
        ),
        (
            "notify_deal_owner",
            json!({"dealId": deal, "message": "hi", "idempotencyKey": "a key"}),
            "idempotencyKey",
        ),
        (
            "suggest_deal",
            json!({"customerId": CONTOSO.to_string(), "customerType": "lead", "topic": "x"}),
            "customerType",
        ),
    ] {
        let body = tool(&server, name, arguments.clone()).await;
        assert_eq!(body["error"]["code"], -32602, "{arguments}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{arguments}: {message}");
    }

    // The fake source reads only: a refusal the model can explain, not a protocol error.
    let result = &tool(
        &server,
        "notify_deal_owner",
        json!({"dealId": deal, "message": "Wants grinders too"}),
    )
    .await["result"];
    assert_eq!(result["isError"], true);
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("does not accept writes"), "{text}");
}

#[tokio::test]
async fn keys_and_origins_are_checked() {
    let (server, _dirs) = start(|s| s.function_keys = vec!["sesame".into()]).await;
    let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "ping"});
    assert_eq!(post(&server, &ping, &[]).await.status(), 401);
    assert_eq!(
        post(&server, &ping, &[("x-functions-key", "wrong")])
            .await
            .status(),
        401
    );
    assert_eq!(
        post(&server, &ping, &[("x-functions-key", "sesame")])
            .await
            .status(),
        200
    );
    let refused = post(
        &server,
        &ping,
        &[
            ("x-functions-key", "sesame"),
            ("origin", "https://evil.example"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        support::header(&refused, "content-type"),
        "application/problem+json"
    );
    let code = server
        .client
        .post(server.url("/mcp?code=sesame"))
        .header("accept", ACCEPT)
        .json(&ping)
        .send()
        .await
        .unwrap();
    assert_eq!(code.status(), 200, "the key as `code`, like the API");

    let (open, _dirs) =
        start(|s| s.mcp_allowed_origins = vec!["http://localhost:6274".into()]).await;
    let host = open.base.trim_start_matches("http://").to_owned();
    for (origin, status) in [
        ("http://localhost:6274", 200),
        (&*format!("http://{host}"), 200),
        ("http://localhost:9999", 403),
    ] {
        let answer = post(&open, &ping, &[("origin", origin)]).await;
        assert_eq!(answer.status(), status, "{origin}");
    }
}

#[tokio::test]
async fn the_connector_file_marks_mcp_for_copilot_studio() {
    let (server, _dirs) = start(|s| s.function_keys = vec!["sesame".into()]).await;
    let doc: Value = server.json("/api/mcp/connector.swagger.json").await;
    let post = &doc["paths"]["/mcp"]["post"];
    assert_eq!(post["x-ms-agentic-protocol"], "mcp-streamable-1.0");
    assert_eq!(doc["host"], server.base.trim_start_matches("http://"));
    assert_eq!(doc["securityDefinitions"]["function_key"]["in"], "header");
}

#[test]
fn the_functions_host_forwards_mcp_and_its_connector_to_the_server() {
    let read = |function: &str| -> Value {
        let path = format!(
            "{}/deploy/azure-functions/{function}/function.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let mcp = &read("Mcp")["bindings"][0];
    assert_eq!(mcp["route"], "mcp", "/api/mcp under the host's routePrefix");
    assert_eq!(
        mcp["authLevel"], "anonymous",
        "the server checks key or token"
    );
    assert!(mcp["methods"].as_array().unwrap().contains(&json!("post")));
    let connector = &read("McpConnector")["bindings"][0];
    assert_eq!(connector["route"], "mcp/connector.swagger.json");
}

/// The SDK answers each call on a task of its own; the agent's identity must reach it, so
/// Dataverse calls carry their `CallerObjectId` and each agent sees their own deals.
#[tokio::test]
async fn tools_run_as_the_signed_in_agent() {
    use dealpane_server::auth::SalesIdentity;
    use support::dataverse::{DataverseStandin, Opportunity};
    use support::issuer::{bearer, Issuer, ALEX, DANA};

    let issuer = Issuer::start().await;
    let standin = DataverseStandin::start().await;
    let contoso = standin.add_account("Contoso");
    for (owner, name) in [
        (ALEX, "Alex's espresso deal"),
        (DANA, "Dana's grinder deal"),
    ] {
        let mut deal = Opportunity::new(contoso, name, Some(5000.0));
        deal.owner = Some(owner.name.to_owned());
        standin.add_opportunity(deal);
    }
    let source = dealpane_server::source::dataverse::DataverseSource::new(standin.config())
        .expect("a valid configuration");
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    issuer.trust(&mut settings);
    settings.sales_identity = SalesIdentity::Agent;
    settings.summaries = false;
    let server = Server::start(&settings, Arc::new(source)).await;

    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "get_customer_deals", "arguments": {"customerName": "Contoso"}}});
    assert_eq!(post(&server, &call, &[]).await.status(), 401, "no token");
    for (user, expected) in [
        (ALEX, "Alex's espresso deal"),
        (DANA, "Dana's grinder deal"),
    ] {
        let (name, value) = bearer(&issuer.token(&user));
        let response = post(&server, &call, &[(name, &value)]).await;
        assert_eq!(response.status(), 200, "{}", user.name);
        let body: Value = response.json().await.unwrap();
        let deals: Vec<&str> = body["result"]["structuredContent"]["deals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|deal| deal["name"].as_str().unwrap())
            .collect();
        assert_eq!(deals, [expected], "{}", user.name);
    }

    let doc: Value = server.json("/api/mcp/connector.swagger.json").await;
    let oauth = &doc["securityDefinitions"]["entra"];
    assert_eq!(oauth["type"], "oauth2", "Entra is offered when configured");
    assert!(oauth["authorizationUrl"]
        .as_str()
        .unwrap()
        .contains(dealpane_server::dev_issuer::TENANT));
}

/// A model reads a result once: where the JSON API answers with summaries `pending` (they reach
/// the pane later), the tool waits for them (up to 8 s) and quotes them.
#[tokio::test]
async fn get_customer_deals_waits_for_summaries_the_api_would_send_pending() {
    let dirs = Dirs::new();
    let source = FakeSource::new();
    *source.summary_delay.lock().unwrap() = std::time::Duration::from_millis(800);
    let server = Server::start(&settings(&dirs), source.clone() as Arc<_>).await;
    let api: Value = server
        .json("/api/DealSummary?customerName=Contoso%20Pharmaceuticals")
        .await;
    assert_eq!(api["deals"][0]["summary"]["state"], "pending");

    let result = &tool(
        &server,
        "get_customer_deals",
        json!({"customerName": "Contoso Pharmaceuticals"}),
    )
    .await["result"];
    let deals = result["structuredContent"]["deals"].as_array().unwrap();
    assert!(
        deals.iter().all(|deal| deal["summary"]["state"] == "ready"),
        "{deals:?}"
    );
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(!text.contains("Summary: pending"), "{text}");
}
