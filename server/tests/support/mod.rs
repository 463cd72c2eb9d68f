//! Helpers shared by the integration tests (`mod support;`). Each test binary uses a part, so
//! the rest would warn as unused.
#![allow(dead_code)]

pub mod dataverse;
