//! Help articles: Markdown files in `help/`, compiled into the Worker and rendered to HTML.

use crate::api::help::{Article, ArticleSummary};
use pulldown_cmark::{html, Options, Parser};

struct Source {
    slug: &'static str,
    category: &'static str,
    markdown: &'static str,
}

const ARTICLES: &[Source] = &[
    Source { slug: "getting-started", category: "Basics", markdown: include_str!("../../../help/getting-started.md") },
    Source { slug: "how-alerts-work", category: "Alerts", markdown: include_str!("../../../help/how-alerts-work.md") },
    Source { slug: "settings-reference", category: "Settings", markdown: include_str!("../../../help/settings-reference.md") },
];

const WORDS_PER_MINUTE: usize = 200;

fn title(markdown: &str) -> &str {
    markdown.lines().find_map(|l| l.strip_prefix("# ")).unwrap_or("Untitled")
}

fn summary(s: &Source) -> ArticleSummary {
    let words = s.markdown.split_whitespace().count();
    // The first paragraph after the title, as the teaser.
    let teaser = s.markdown.lines().skip(1).map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    ArticleSummary {
        slug: s.slug.to_string(),
        title: title(s.markdown).to_string(),
        category: s.category.to_string(),
        teaser: teaser.to_string(),
        reading_minutes: words.div_ceil(WORDS_PER_MINUTE).max(1) as u32,
    }
}

pub fn list() -> Vec<ArticleSummary> {
    ARTICLES.iter().map(summary).collect()
}

pub fn render(slug: &str) -> Option<Article> {
    let source = ARTICLES.iter().find(|a| a.slug == slug)?;
    // The title is shown by the page itself; render the body below it.
    let body = source.markdown.split_once('\n').map_or("", |(_, rest)| rest);
    let mut html_out = String::new();
    html::push_html(&mut html_out, Parser::new_ext(body, Options::ENABLE_TABLES));
    Some(Article { summary: summary(source), html: html_out })
}
