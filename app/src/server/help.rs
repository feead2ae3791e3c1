//! Help articles: Markdown files in `help/`, compiled into the Worker and rendered to HTML.

use crate::wire::help::{Article, ArticleSummary};
use domain::help::{search, Doc, Hit};
use pulldown_cmark::{html, Options, Parser};

struct Source {
    slug: &'static str,
    category: &'static str,
    related: &'static [&'static str],
    markdown: &'static str,
}

macro_rules! article {
    ($slug:literal, $category:literal, [$($rel:literal),*]) => {
        Source { slug: $slug, category: $category, related: &[$($rel),*], markdown: include_str!(concat!("../../../help/", $slug, ".md")) }
    };
}

/// In reading order; categories appear in the order of their first article.
const ARTICLES: &[Source] = &[
    article!("getting-started", "Basics", ["how-alerts-work", "settings-reference"]),
    article!("faq", "Basics", ["getting-started", "how-alerts-work"]),
    article!("how-alerts-work", "Alerts", ["velocity-and-seasonality", "settings-reference"]),
    article!("velocity-and-seasonality", "Alerts", ["how-alerts-work", "data-sync"]),
    article!("settings-reference", "Settings", ["how-alerts-work", "abc-classes"]),
    article!("abc-classes", "Alerts", ["settings-reference", "velocity-and-seasonality"]),
    article!("data-sync", "Data and security", ["infrastructure-and-security", "faq"]),
    article!("infrastructure-and-security", "Data and security", ["data-sync", "faq"]),
    article!("plans-and-billing", "Basics", ["getting-started", "faq"]),
    article!("purchasing", "Purchasing", ["how-alerts-work", "settings-reference"]),
    article!("alert-channels", "Settings", ["settings-reference", "how-alerts-work"]),
    article!("bundles", "Purchasing", ["purchasing", "how-alerts-work"]),
];

const WORDS_PER_MINUTE: usize = 200;

fn title(markdown: &str) -> &str {
    markdown.lines().find_map(|l| l.strip_prefix("# ")).unwrap_or("Untitled")
}

fn body(markdown: &str) -> &str {
    markdown.split_once('\n').map_or("", |(_, rest)| rest)
}

fn summary(s: &Source) -> ArticleSummary {
    let words = s.markdown.split_whitespace().count();
    // The first paragraph after the title, as the teaser.
    let teaser = body(s.markdown).lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    ArticleSummary {
        slug: s.slug.to_string(),
        title: title(s.markdown).to_string(),
        category: s.category.to_string(),
        teaser: teaser.replace("**", ""),
        reading_minutes: words.div_ceil(WORDS_PER_MINUTE).max(1) as u32,
    }
}

pub fn exists(slug: &str) -> bool {
    ARTICLES.iter().any(|a| a.slug == slug)
}

pub fn list() -> Vec<ArticleSummary> {
    ARTICLES.iter().map(summary).collect()
}

pub fn render(slug: &str) -> Option<Article> {
    let source = ARTICLES.iter().find(|a| a.slug == slug)?;
    // The title is shown by the page itself; render the body below it.
    let mut html_out = String::new();
    html::push_html(&mut html_out, Parser::new_ext(body(source.markdown), Options::ENABLE_TABLES));
    let related = source.related.iter().filter_map(|r| ARTICLES.iter().find(|a| a.slug == *r)).map(summary).collect();
    Some(Article { summary: summary(source), html: html_out, related })
}

pub fn find(query: &str) -> Vec<Hit> {
    let docs: Vec<Doc<'_>> = ARTICLES.iter().map(|a| Doc { slug: a.slug, title: title(a.markdown), body: body(a.markdown) }).collect();
    search(&docs, query)
}
