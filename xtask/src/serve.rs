//! `cargo xtask serve`: build the widget (release) and the server, start the server on its
//! embedded store and print where to point the browser. It never opens a browser itself.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::process::{announce, Result, StepError};
use crate::tools::{self, Needs};
use crate::{project, widget};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (127.0.0.1).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Customers in the embedded store when it is first created.
    #[arg(long, default_value_t = 300)]
    pub sample_size: u32,
    /// Sign in through the server's local Entra-like issuer (test users, no passwords): the
    /// API then takes bearer tokens, as with Entra ID in production, and reads Sales as the
    /// signed-in agent (`--sales-identity agent`), so each test user sees what their role allows.
    #[arg(long)]
    pub local_issuer: bool,
}

/// A fixture customer of the embedded store, for the printed example URLs.
const EXAMPLE_CUSTOMER: &str = "Contoso Pharmaceuticals";

pub fn run(args: ServeArgs) -> Result<()> {
    tools::ensure(Needs::Build)?;
    widget::build_release()?;
    let server = widget::build_server("dev")?;
    let store = project::target_dir().join("dealpane-sales.sqlite");
    announce(format!(
        "starting dealpane-server (store {})",
        store.display()
    ));
    let mut command = widget::server_command(&server, args.port, args.sample_size, &store);
    if args.local_issuer {
        command.args(["--local-issuer", "--sales-identity", "agent"]);
    }
    let mut child = widget::spawn_server(&mut command)?;
    if let Err(error) = wait_until_healthy(args.port, &mut child) {
        let _ = child.kill();
        return Err(error);
    }
    print_urls(args.port);
    if args.local_issuer {
        println!(
            "  sign-in              local issuer at http://127.0.0.1:{}/_issuer (/config.json's \
             `auth` points the widget there); Sales is read as the agent: Alex Wu sees the deals \
             he owns, Dana Seller every deal, Riley Newhire is not a Sales user (no access)",
            args.port
        );
    }
    let status = child.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("dealpane-server stopped: {status}").into())
    }
}

fn print_urls(port: u16) {
    let base = format!("http://127.0.0.1:{port}");
    let name = EXAMPLE_CUSTOMER.replace(' ', "%20");
    println!();
    println!("dealpane is running. Open in a browser:");
    let rows = [
        ("workspace preview", format!("{base}/preview/")),
        ("widget, standalone", format!("{base}/")),
        ("widget, a customer", format!("{base}/?customerName={name}")),
        (
            "API (JSON or text)",
            format!("{base}/api/DealSummary?customerName={name}"),
        ),
        ("health", format!("{base}/api/health")),
        ("OpenAPI 2.0", format!("{base}/api/swagger.json")),
    ];
    for (what, url) in rows {
        println!("  {what:<20} {url}");
    }
    println!("Stop with Ctrl+C.");
}

/// Polls `/api/health` until it answers 200, the server exits, or 60 s pass (first start
/// generates the embedded store).
fn wait_until_healthy(port: u16, child: &mut Child) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            return Err(StepError {
                step: "starting dealpane-server".into(),
                cause: format!("it exited with {status} before answering"),
                fix: format!(
                    "is port {port} taken? try `cargo xtask serve --port {}`",
                    port + 1
                ),
            }
            .into());
        }
        if health_status(port) == Some(200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(StepError {
        step: "starting dealpane-server".into(),
        cause: "/api/health did not answer 200 within 60 s".into(),
        fix: "read the server's log above".into(),
    }
    .into())
}

/// A minimal HTTP/1.1 GET; xtask needs nothing more than a status code.
fn health_status(port: u16) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}
