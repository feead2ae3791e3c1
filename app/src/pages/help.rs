use crate::api::help::{get_article, list_articles, search_help, Article, ArticleSummary, ContactSupport, VoteArticle};
use crate::components::error_notice::ErrorNotice;
use crate::components::help_search::HelpSearch;
use crate::components::post_form::{FormAction, PostForm};
use crate::error::AppError;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn HelpIndexPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let articles = Resource::new(|| (), |_| list_articles());
    let hits = Resource::new(q, |q| async move {
        if q.trim().is_empty() {
            Ok(None)
        } else {
            search_help(q).await.map(Some)
        }
    });
    view! {
        <Title text="Help center · Stock Sentry"/>
        <h1>"Help center"</h1>
        <p class="muted">"How Stock Sentry watches your inventory, and how to tune it."</p>
        {move || view! { <HelpSearch value=q()/> }}
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading articles…"</p> }>
            {move || Suspend::new(async move {
                match (hits.await, articles.await) {
                    (Ok(Some(hits)), _) => {
                        let count = hits.len();
                        view! {
                            <section aria-labelledby="results" class="section">
                                <h2 id="results">{format!("{count} result{} for “{}”", if count == 1 { "" } else { "s" }, q())}</h2>
                                {(count == 0).then(|| view! { <p>"No article matches every word. Try fewer or other words, or browse the articles below."</p> })}
                                <ul class="result-list">
                                    {hits.into_iter().map(|h| view! {
                                        <li>
                                            <a class="article-title" href=format!("/help/{}", h.slug)>{h.title}</a>
                                            <p class="muted">{h.snippet}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                    (Ok(None), Ok(list)) => view! { <ArticlesByCategory list/> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticlesByCategory(list: Vec<ArticleSummary>) -> impl IntoView {
    let mut categories: Vec<String> = Vec::new();
    for a in &list {
        if !categories.contains(&a.category) {
            categories.push(a.category.clone());
        }
    }
    categories
        .into_iter()
        .map(|c| {
            let id = format!("cat-{}", c.to_lowercase().replace(' ', "-"));
            let labelled_by = id.clone();
            let items: Vec<ArticleSummary> = list.iter().filter(|a| a.category == c).cloned().collect();
            view! {
                <section aria-labelledby=labelled_by class="help-category">
                    <h2 id=id>{c}</h2>
                    <ul class="article-list">
                        {items.into_iter().map(|a| view! {
                            <li class="article-card">
                                <a class="article-title" href=format!("/help/{}", a.slug)>{a.title}</a>
                                <p>{a.teaser}</p>
                                <span class="muted">{a.reading_minutes}" min read"</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
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
                    Ok(a) => view! { <ArticleView a/> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleView(a: Article) -> impl IntoView {
    let slug = a.summary.slug.clone();
    view! {
        <Title text=format!("{} · Stock Sentry help", a.summary.title)/>
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/help">"Help center"</a>" › "{a.summary.category.clone()}</nav>
        <article class="article">
            <h1>{a.summary.title}</h1>
            <p class="muted">{a.summary.reading_minutes}" min read"</p>
            <div class="prose" inner_html=a.html></div>
            <Feedback slug=slug.clone()/>
        </article>
        {(!a.related.is_empty()).then(|| view! {
            <section aria-labelledby="related" class="section related">
                <h2 id="related">"Related articles"</h2>
                <ul class="link-list">
                    {a.related.into_iter().map(|r| view! { <li><a href=format!("/help/{}", r.slug)>{r.title}</a></li> }).collect_view()}
                </ul>
            </section>
        })}
        <ContactForm slug/>
    }
}

#[component]
fn Feedback(slug: String) -> impl IntoView {
    let vote = FormAction::of::<VoteArticle>();
    view! {
        <div class="feedback">
            {move || match vote.value().get() {
                Some(Ok(_)) => view! { <p role="status" class="banner banner-success">"Thanks for your feedback."</p> }.into_any(),
                Some(Err(e)) => view! { <p role="alert" class="banner banner-critical">{e.to_string()}</p> }.into_any(),
                None => {
                    let slug = slug.clone();
                    view! {
                        <PostForm action=vote class="vote-form">
                            <fieldset>
                                <legend>"Was this article helpful?"</legend>
                                <input type="hidden" name="slug" value=slug/>
                                <button type="submit" name="helpful" value="yes" class="button">"Yes"</button>
                                <button type="submit" name="helpful" value="no" class="button">"No"</button>
                            </fieldset>
                        </PostForm>
                    }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn ContactForm(slug: String) -> impl IntoView {
    let send = FormAction::of::<ContactSupport>();
    let field_error = move |field: &'static str| move || send.error_at(field);
    view! {
        <section aria-labelledby="contact" class="section">
            <h2 id="contact">"Still stuck? Contact support"</h2>
            {move || match send.value().get() {
                Some(Ok(r)) => view! {
                    <p role="status" class="banner banner-success">
                        {format!("Thanks, {}. We received your request #{} and will reply to {} within one business day.", r.name, r.id, r.email)}
                    </p>
                }.into_any(),
                other => {
                    let slug = slug.clone();
                    let failed = other.and_then(|r| r.err()).filter(|e| e.field_errors().is_empty());
                    view! {
                        <PostForm action=send class="form" novalidate=true>
                            <input type="hidden" name="article" value=slug/>
                            <div class="field">
                                <label for="contact-name">"Your name"</label>
                                <input id="contact-name" name="name" autocomplete="name" aria-describedby="contact-name-error"/>
                                <p class="field-error" id="contact-name-error">{field_error("name")}</p>
                            </div>
                            <div class="field">
                                <label for="contact-email">"Email"</label>
                                <input id="contact-email" name="email" type="email" autocomplete="email" aria-describedby="contact-email-error"/>
                                <p class="field-error" id="contact-email-error">{field_error("email")}</p>
                            </div>
                            <div class="field">
                                <label for="contact-message">"How can we help?"</label>
                                <textarea id="contact-message" name="message" rows="4" aria-describedby="contact-message-error"></textarea>
                                <p class="field-error" id="contact-message-error">{field_error("message")}</p>
                            </div>
                            <button type="submit" class="button button-primary" disabled=move || send.pending().get()>"Send"</button>
                            {failed.map(|e| view! { <p role="alert" class="banner banner-critical">{e.to_string()}</p> })}
                        </PostForm>
                    }.into_any()
                }
            }}
        </section>
    }
}
