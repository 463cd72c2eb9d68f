//! Running external commands with a readable trail: each step is announced, and a failure
//! names the step and how to fix it.

use std::ffi::OsStr;
use std::fmt;
use std::process::{Command, Stdio};

/// A failed step: what was being done, what happened, what to do about it.
#[derive(Debug)]
pub struct StepError {
    pub step: String,
    pub cause: String,
    pub fix: String,
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.step, self.cause)?;
        if !self.fix.is_empty() {
            write!(f, "\n  fix: {}", self.fix)?;
        }
        Ok(())
    }
}

impl std::error::Error for StepError {}

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub fn announce(message: impl fmt::Display) {
    eprintln!("==> {message}");
}

/// Describes a command as a shell would show it, for the trail and for error messages.
pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs `command` with inherited output; a non-zero exit becomes a `StepError` naming `step`.
pub fn run_step(
    step: &str,
    command: &mut Command,
    fix: &str,
) -> std::result::Result<(), StepError> {
    eprintln!("    $ {}", describe(command));
    let status = command.status().map_err(|e| StepError {
        step: step.to_owned(),
        cause: format!("could not start `{}`: {e}", describe(command)),
        fix: fix.to_owned(),
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(StepError {
            step: step.to_owned(),
            cause: format!("`{}` exited with {status}", describe(command)),
            fix: fix.to_owned(),
        })
    }
}

/// Runs `program args` quietly and returns its stdout (trimmed), or None when it cannot run or fails.
pub fn output_of(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    output_of_command(Command::new(program).args(args))
}

/// Runs `command` quietly and returns its stdout (trimmed), or None when it cannot run or fails.
pub fn output_of_command(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
