use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! { <main class="dp-root"><h1>"dealpane"</h1></main> }
}

/// Mounts the pane on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
