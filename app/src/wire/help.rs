//! Help articles as the help center's server functions return them, shared by the pages
//! and the server module that renders the repository's Markdown.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub teaser: String,
    pub reading_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub summary: ArticleSummary,
    /// Rendered from the repository's own Markdown: trusted content.
    pub html: String,
    pub related: Vec<ArticleSummary>,
}
