use crate::error::AppError;
use domain::help::Hit;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::wire::help::{Article, ArticleSummary};

#[server(endpoint = "help/articles", output = crate::api::codec::Json)]
pub async fn list_articles() -> Result<Vec<ArticleSummary>, AppError> {
    Ok(crate::server::help::list())
}

#[server(endpoint = "help/article", output = crate::api::codec::Json)]
pub async fn get_article(slug: String) -> Result<Article, AppError> {
    crate::server::context::run(async move {
        crate::server::help::render(&slug).ok_or_else(|| AppError::NotFound(format!("The article “{slug}”")))
    })
    .await
}

#[server(endpoint = "help/search", output = crate::api::codec::Json)]
pub async fn search_help(q: String) -> Result<Vec<Hit>, AppError> {
    Ok(crate::server::help::find(&q))
}

/// The help center is public: readers are told apart by a random cookie (set on the first
/// vote), or by address when cookies are off, so each gets one (changeable) vote.
#[server(endpoint = "help/vote", output = crate::api::codec::Json)]
pub async fn vote_article(slug: String, helpful: String) -> Result<bool, AppError> {
    use crate::server::{auth::cookie, config::random_id, context, rate_limit, repo};
    context::run(async move {
        if !crate::server::help::exists(&slug) {
            return Err(AppError::NotFound(format!("The article “{slug}”")));
        }
        let helpful = helpful == "yes";
        let env = context::worker_env().await?;
        let parts: http::request::Parts = leptos_axum::extract().await.map_err(|e| context::internal("request parts", e))?;
        let ip = rate_limit::client_ip(&parts);
        rate_limit::check(&env, &rate_limit::Limit { scope: "vote", max: 20, window_secs: 60 }, &ip).await?;
        let reader = match cookie(&parts, "ss_reader").filter(|c| c.len() == 32 && c.bytes().all(|b| b.is_ascii_hexdigit())) {
            Some(id) => id,
            None => {
                let id = random_id()?;
                if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
                    let c = format!("ss_reader={id}; Path=/help; HttpOnly; Secure; SameSite=Lax; Max-Age=31536000");
                    if let Ok(v) = http::HeaderValue::from_str(&c) {
                        opts.append_header(http::header::SET_COOKIE, v);
                    }
                }
                id
            }
        };
        repo::help::vote(&crate::server::shards::directory_db(&env)?, &slug, &reader, helpful).await?;
        Ok(helpful)
    })
    .await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportReceipt {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[server(endpoint = "help/contact", output = crate::api::codec::Json)]
pub async fn contact_support(name: String, email: String, message: String, article: String) -> Result<SupportReceipt, AppError> {
    use crate::server::{context, rate_limit, repo};
    let input = domain::help::ContactInput { name, email, message };
    context::run(async move {
        let contact = input.parse().map_err(AppError::Invalid)?;
        let env = context::worker_env().await?;
        let parts: http::request::Parts = leptos_axum::extract().await.map_err(|e| context::internal("request parts", e))?;
        rate_limit::check(&env, &rate_limit::Limit { scope: "contact", max: 5, window_secs: 600 }, &rate_limit::client_ip(&parts)).await?;
        let article = Some(article.as_str()).filter(|a| crate::server::help::exists(a));
        let id = repo::help::add_request(
            &crate::server::shards::directory_db(&env)?,
            &contact.name,
            &contact.email,
            &contact.message,
            article,
            &context::now_rfc3339(),
        )
        .await?;
        Ok(SupportReceipt { id, name: contact.name, email: contact.email })
    })
    .await
}
