use crate::api::help::{get_article, list_articles};
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn HelpIndexPage() -> impl IntoView {
    let articles = Resource::new(|| (), |_| list_articles());
    view! {
        <Title text="Help center · Stock Sentry"/>
        <h1>"Help center"</h1>
        <p class="muted">"How Stock Sentry watches your inventory, and how to tune it."</p>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading articles…"</p> }>
            {move || Suspend::new(async move {
                match articles.await {
                    Ok(list) => view! {
                        <ul class="article-list">
                            {list.into_iter().map(|a| view! {
                                <li class="article-card">
                                    <span class="article-category">{a.category}</span>
                                    <a class="article-title" href=format!("/help/{}", a.slug)>{a.title}</a>
                                    <p>{a.teaser}</p>
                                    <span class="muted">{a.reading_minutes}" min read"</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn HelpArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let article = Resource::new(slug, get_article);
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading article…"</p> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(a) => view! {
                        <Title text=format!("{} · Stock Sentry help", a.summary.title)/>
                        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/help">"Help center"</a>" › "{a.summary.category.clone()}</nav>
                        <article class="article">
                            <h1>{a.summary.title}</h1>
                            <p class="muted">{a.summary.reading_minutes}" min read"</p>
                            <div class="prose" inner_html=a.html></div>
                        </article>
                    }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
