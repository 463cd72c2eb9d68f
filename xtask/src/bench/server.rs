//! The server under measurement: started on a free loopback port with the bench's store, its
//! output kept in a log file, its peak resident memory read from /proc before it is stopped.

use std::fs::File;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::process::{Result, StepError};
use crate::widget;

pub struct BenchServer {
    child: Child,
    pub origin: String,
}

/// A port free right now (the kernel picks it).
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

impl BenchServer {
    /// Starts `binary` on `store` (generated with `sample_size` customers if absent) with
    /// `extra` settings, serving `preview` at /preview/, and waits until `/api/health` answers
    /// 200.
    pub async fn start(
        binary: &Path,
        store: &Path,
        sample_size: u32,
        preview: &Path,
        extra: &[&str],
        log: &Path,
    ) -> Result<BenchServer> {
        let port = free_port()?;
        let log_file = File::create(log)?;
        let child = widget::spawn_server(
            widget::server_command_with_preview(binary, port, sample_size, store, preview)
                .args(extra)
                .env("RUST_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(log_file.try_clone()?)
                .stderr(log_file),
        )?;
        let mut server = BenchServer {
            child,
            origin: format!("http://127.0.0.1:{port}"),
        };
        // Generating a 5,000-customer store on first start takes a while.
        let deadline = Instant::now() + Duration::from_secs(300);
        let client = reqwest::Client::new();
        while Instant::now() < deadline {
            if let Some(status) = server.child.try_wait()? {
                return Err(StepError {
                    step: "starting dealpane-server".into(),
                    cause: format!("it exited with {status} before answering"),
                    fix: format!("read its log, {}", log.display()),
                }
                .into());
            }
            let health = client
                .get(format!("{}/api/health", server.origin))
                .send()
                .await;
            if matches!(&health, Ok(r) if r.status() == reqwest::StatusCode::OK) {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        server.stop();
        Err(StepError {
            step: "starting dealpane-server".into(),
            cause: "/api/health did not answer 200 within 300 s".into(),
            fix: format!("read its log, {}", log.display()),
        }
        .into())
    }

    /// The process's peak resident set size (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        vm_hwm_kib(&status)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads `VmHWM:   12345 kB` out of /proc/<pid>/status.
pub fn vm_hwm_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vm_hwm() {
        let status = "Name:\tdealpane-server\nVmPeak:\t  900000 kB\nVmHWM:\t   48212 kB\nVmRSS:\t   40000 kB\n";
        assert_eq!(vm_hwm_kib(status), Some(48212));
        assert_eq!(vm_hwm_kib("Name:\tx\n"), None);
    }

    #[test]
    fn own_process_has_a_peak() {
        let own = std::fs::read_to_string("/proc/self/status").unwrap();
        assert!(vm_hwm_kib(&own).unwrap() > 0);
    }
}
