//! Secure by default (issue 11): a server without Entra or keys serves only on loopback, and
//! never behind the Azure Functions host, unless told so with `--allow-anonymous`.

use dealpane_server::settings::Environment;
use dealpane_server::{check_auth_settings, serve, Settings};

fn parse(args: &[&str]) -> Settings {
    let mut all = vec!["dealpane-server"];
    all.extend_from_slice(args);
    Settings::parse_from_args(all, Environment::Ignore).unwrap()
}

#[tokio::test]
async fn an_open_server_on_the_network_is_refused_with_what_to_set() {
    let settings = parse(&["--bind", "0.0.0.0:0"]);
    let error = serve(settings).await.unwrap_err().to_string();
    for named in [
        "0.0.0.0:0",
        "--entra-tenant-id",
        "--function-key",
        "--allow-anonymous",
    ] {
        assert!(error.contains(named), "{named} in: {error}");
    }
}

#[tokio::test]
async fn behind_the_functions_host_an_open_server_is_refused() {
    let settings = parse(&["--functions-customhandler-port", "7071"]);
    assert!(settings.bind.ip().is_loopback());
    let error = serve(settings).await.unwrap_err().to_string();
    assert!(error.contains("FUNCTIONS_CUSTOMHANDLER_PORT"), "{error}");
    assert!(error.contains("--allow-anonymous"), "{error}");
}

#[test]
fn loopback_keys_entra_or_allow_anonymous_may_start() {
    let allowed = [
        parse(&[]),
        parse(&["--bind", "[::1]:0"]),
        parse(&["--bind", "0.0.0.0:0", "--allow-anonymous"]),
        parse(&["--bind", "0.0.0.0:0", "--allow-anonymous=true"]),
        parse(&["--bind", "0.0.0.0:0", "--function-key", "k"]),
        parse(&[
            "--functions-customhandler-port",
            "7071",
            "--function-key",
            "k",
        ]),
        parse(&[
            "--bind",
            "0.0.0.0:0",
            "--entra-tenant-id",
            "t",
            "--entra-audience",
            "api://dealpane",
        ]),
    ];
    for settings in allowed {
        check_auth_settings(&settings).unwrap_or_else(|e| panic!("{:?}: {e}", settings.bind));
    }
}

#[test]
fn entra_needs_its_tenant_and_its_audience() {
    let error = check_auth_settings(&parse(&["--entra-tenant-id", "t"]))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("--entra-audience (DEALPANE_ENTRA_AUDIENCE)"),
        "{error}"
    );
}

#[test]
fn the_auth_settings_have_their_defaults() {
    let settings = parse(&[]);
    assert_eq!(
        settings.entra_authority,
        "https://login.microsoftonline.com"
    );
    assert_eq!(settings.entra_required_scope, "Deals.Read");
    assert_eq!(
        settings.sales_identity,
        dealpane_server::auth::SalesIdentity::App
    );
    assert!(!settings.allow_anonymous && !settings.local_issuer);
    assert_eq!(settings.max_connections, 1024);
    let agent = parse(&["--sales-identity", "agent", "--idle-timeout-secs", "5"]);
    assert_eq!(
        agent.sales_identity,
        dealpane_server::auth::SalesIdentity::Agent
    );
    assert_eq!(agent.idle_timeout, std::time::Duration::from_secs(5));
    let zero = Settings::parse_from_args(
        ["dealpane-server", "--header-read-timeout-secs", "0"],
        Environment::Ignore,
    );
    assert!(zero.is_err());
}
