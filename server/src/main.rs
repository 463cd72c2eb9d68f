//! Wiring only: settings, logs, serve.

use std::process::ExitCode;

use dealpane_server::{logging, serve, Settings};

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_env_and_args() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("dealpane-server: {error}");
            return ExitCode::from(2);
        }
    };
    if let Err(error) = logging::init(settings.log_format, &settings.log_filter) {
        eprintln!("dealpane-server: {error}");
        return ExitCode::from(2);
    }
    match serve(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "cannot start");
            eprintln!("dealpane-server: {error}");
            ExitCode::FAILURE
        }
    }
}
