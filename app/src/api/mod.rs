//! Server functions, by feature. Each is a thin shell: resolve the shop, read or write D1
//! through a repository, and leave the decisions to `domain`.

pub mod alerts;
pub mod bundles;
pub mod channels;
pub mod codec;
pub mod dashboard;
pub mod digest_settings;
pub mod exports;
pub mod help;
pub mod jobs;
pub mod outbox;
pub mod overrides;
pub mod purchase_orders;
pub mod reorder;
pub mod settings;
pub mod suppliers;
pub mod sync;
pub mod variant;
pub mod watch;

/// Every server function, for the Worker to register (wasm has no link-time registry).
#[cfg(feature = "ssr")]
pub fn register_all() {
    use leptos::server_fn::axum::register_explicit;
    register_explicit::<dashboard::GetDashboard>();
    register_explicit::<exports::ExportCsv>();
    register_explicit::<alerts::AlertAction>();
    register_explicit::<alerts::UndoAlertAction>();
    register_explicit::<settings::SettingsPage>();
    register_explicit::<settings::SaveSettings>();
    register_explicit::<help::ListArticles>();
    register_explicit::<help::GetArticle>();
    register_explicit::<help::SearchHelp>();
    register_explicit::<help::VoteArticle>();
    register_explicit::<help::ContactSupport>();
    register_explicit::<jobs::RecentJobs>();
    register_explicit::<reorder::ReorderList>();
    register_explicit::<sync::SyncStatus>();
    register_explicit::<sync::StartSync>();
    register_explicit::<outbox::ListOutbox>();
    register_explicit::<digest_settings::SaveDigestSettings>();
    register_explicit::<outbox::SendDigestsNow>();
    register_explicit::<variant::VariantDetail>();
    register_explicit::<watch::SaveWatch>();
    register_explicit::<overrides::SaveOverride>();
    register_explicit::<overrides::ImportOverrides>();
}
