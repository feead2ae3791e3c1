use crate::error::AppError;
use leptos::prelude::*;
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
}

#[server(endpoint = "help/articles")]
pub async fn list_articles() -> Result<Vec<ArticleSummary>, AppError> {
    Ok(crate::server::help::list())
}

#[server(endpoint = "help/article")]
pub async fn get_article(slug: String) -> Result<Article, AppError> {
    crate::server::context::run(async move {
        crate::server::help::render(&slug).ok_or_else(|| AppError::NotFound(format!("The article “{slug}”")))
    })
    .await
}
