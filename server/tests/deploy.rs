//! The binary as the Azure Functions host runs it: listening on FUNCTIONS_CUSTOMHANDLER_PORT,
//! configured by environment, stopping cleanly on SIGTERM; and the deploy files agree with it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn deploy_file(path: &str) -> serde_json::Value {
    let full = format!(
        "{}/deploy/azure-functions/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap()
}

#[test]
fn deploy_files_route_to_this_binary() {
    let host = deploy_file("host.json");
    assert_eq!(host["version"], "2.0");
    assert_eq!(
        host["customHandler"]["description"]["defaultExecutablePath"],
        "dealpane-server"
    );
    assert_eq!(host["customHandler"]["enableForwardingHttpRequest"], true);
    assert_eq!(host["extensions"]["http"]["routePrefix"], "api");
    for (function, route, auth) in [
        // The server checks function keys and bearer tokens itself (issue 11).
        ("DealSummary", "DealSummary", "anonymous"),
        ("Customers", "customers", "anonymous"),
        ("Summaries", "summaries", "anonymous"),
        ("Swagger", "swagger.json", "anonymous"),
        ("Health", "health", "anonymous"),
    ] {
        let bindings = deploy_file(&format!("{function}/function.json"))["bindings"].clone();
        assert_eq!(bindings[0]["type"], "httpTrigger", "{function}");
        assert_eq!(bindings[0]["route"], route, "{function}");
        assert_eq!(bindings[0]["authLevel"], auth, "{function}");
        assert_eq!(bindings[1]["type"], "http", "{function}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn runs_as_a_custom_handler_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dealpane-server"))
        .args(["--port", "1", "--sample-size", "20"])
        .env("FUNCTIONS_CUSTOMHANDLER_PORT", port.to_string())
        // Behind the Functions host an open server refuses to start.
        .env("DEALPANE_FUNCTION_KEYS", "deploy-test-key")
        .env("DEALPANE_STORE", dir.path().join("s.sqlite"))
        .env("DEALPANE_WIDGET_DIR", dir.path())
        .env("DEALPANE_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let body = loop {
        match ureq_get(
            port,
            "/api/DealSummary?customerName=contoso%20pharmaceuticals&code=deploy-test-key",
        ) {
            Some(body) => break body,
            None if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(100))
            }
            None => {
                child.kill().unwrap();
                panic!("the server did not answer on port {port}");
            }
        }
    };
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("text/plain; charset=utf-8"), "{body}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let logs = String::from_utf8_lossy(&output.stdout);
    assert!(logs.contains("shutting down"), "{logs}");
    assert!(
        logs.lines().all(|l| l.starts_with('{')),
        "json lines: {logs}"
    );
}

/// A minimal HTTP/1.1 GET over a blocking socket (no client crate needed in a sync test).
fn ureq_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

#[test]
fn a_bad_config_file_stops_the_binary_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("dealpane.toml");
    std::fs::write(&config, "cache_ttl_secs = \"thirty\"\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dealpane-server"))
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("dealpane.toml") && stderr.contains("cache_ttl_secs"),
        "{stderr}"
    );
}

#[test]
fn help_documents_every_setting_with_its_environment_variable() {
    let output = Command::new(env!("CARGO_BIN_EXE_dealpane-server"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "--bind",
        "--port",
        "FUNCTIONS_CUSTOMHANDLER_PORT",
        "--source",
        "--store",
        "--sample-size",
        "DATAVERSE_URL",
        "DATAVERSE_CLIENT_SECRET",
        "--function-key",
        "--frame-ancestors",
        "--widget-dir",
        "--preview-dir",
        "--cache-ttl-secs",
        "--summaries",
        "--log-format",
        "--config",
    ] {
        assert!(
            help.contains(expected),
            "{expected} missing from --help:\n{help}"
        );
    }
}
