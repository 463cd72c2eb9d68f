//! Helpers shared by the integration tests (`mod support;`): the running server and its widget
//! directory, a fake `SalesSource`, and a local Dataverse stand-in. Each test binary uses a
//! part, so the rest (and a re-export it never names) would warn as unused.
#![allow(dead_code, unused_imports)]

pub mod dataverse;
mod fake_source;
mod server;

pub use fake_source::*;
pub use server::*;
