//! `cargo xtask build`: what a deployment ships. The release widget in `dist/` (trunk, then the
//! steps after it: [`widget::build_release`]) and the server's optimised binary.

use crate::process::{announce, Result};
use crate::tools::{self, Needs};
use crate::{project, widget};

pub fn run() -> Result<()> {
    tools::ensure(Needs::Build)?;
    widget::build_release()?;
    let server = widget::build_server("server")?;
    announce("built");
    eprintln!("    widget: {}", project::dist_dir().display());
    eprintln!("    server: {}", server.display());
    eprintln!(
        "    deploy dist/ as it is (with its .br and .gz copies) and run the server with \
         --widget-dir pointing at it"
    );
    Ok(())
}
