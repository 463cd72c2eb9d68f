#[cfg(target_arch = "wasm32")]
fn main() {
    dealpane::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("dealpane is a WebAssembly widget: build it with `cargo xtask serve` (trunk).");
    std::process::exit(2);
}
