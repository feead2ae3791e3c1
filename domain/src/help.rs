//! Help-center logic that needs no I/O: full-text search over the articles, and the
//! contact form's validation.

use serde::{Deserialize, Serialize};

/// One searchable article: plain text fields, as written in Markdown.
pub struct Doc<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    /// The sentence around the first match, to show under the title.
    pub snippet: String,
    pub score: u32,
}

fn terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric()).filter(|t| t.chars().count() >= 2).map(str::to_lowercase).take(8).collect()
}

fn snippet(body: &str, term: &str) -> String {
    let plain: String = body.chars().filter(|c| !matches!(c, '#' | '*' | '|' | '`')).collect();
    let lower = plain.to_lowercase();
    let Some(at) = lower.find(term) else { return String::new() };
    // Back to the start of the sentence or line, forward ~160 characters.
    let start = lower[..at].rfind(['.', '\n']).map_or(0, |i| i + 1);
    let text: String = plain[start..].trim_start().chars().take(160).collect();
    let text = text.lines().next().unwrap_or("").trim().to_string();
    if text.chars().count() >= 160 {
        format!("{text}…")
    } else {
        text
    }
}

/// Articles matching every term of `query` (case-insensitive, word prefixes count), best
/// first: a title match weighs more than one in the body.
pub fn search(docs: &[Doc<'_>], query: &str) -> Vec<Hit> {
    let terms = terms(query);
    if terms.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = docs
        .iter()
        .filter_map(|d| {
            let title = d.title.to_lowercase();
            let body = d.body.to_lowercase();
            let mut score = 0;
            for t in &terms {
                let in_title = title.matches(t.as_str()).count() as u32;
                let in_body = body.matches(t.as_str()).count() as u32;
                if in_title + in_body == 0 {
                    return None;
                }
                score += in_title * 10 + in_body.min(20);
            }
            Some(Hit { slug: d.slug.into(), title: d.title.into(), snippet: snippet(d.body, &terms[0]), score })
        })
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.slug.cmp(&b.slug)));
    hits
}

/// A support request as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub message: String,
}

pub const MESSAGE_MAX: usize = 5_000;

/// A plausible address: one `@`, a non-empty local part, a dotted domain, no spaces.
/// (Deliverability is for the mail system to prove, not a regex.)
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && local.len() <= 64
        && domain.len() <= 255
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && !s.chars().any(char::is_whitespace)
}

impl ContactInput {
    pub fn parse(&self) -> Result<Contact, Vec<crate::FieldError>> {
        let mut errs = Vec::new();
        let err = |f: &str, m: &str| crate::FieldError { field: f.into(), message: m.into() };
        let name = self.name.trim();
        let email = self.email.trim();
        let message = self.message.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errs.push(err("name", "Enter your name (up to 100 characters)."));
        }
        if !valid_email(email) {
            errs.push(err("email", "Enter an email address like you@example.com."));
        }
        if message.chars().count() < 10 {
            errs.push(err("message", "Tell us a little more (at least 10 characters)."));
        } else if message.chars().count() > MESSAGE_MAX {
            errs.push(err("message", "Keep it under 5,000 characters."));
        }
        if errs.is_empty() {
            Ok(Contact { name: name.into(), email: email.into(), message: message.into() })
        } else {
            Err(errs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Doc<'static>> {
        vec![
            Doc {
                slug: "alerts",
                title: "How alerts work",
                body: "Days of cover decide alerts. Reorder now when cover is below lead time.",
            },
            Doc { slug: "sync", title: "Data sync", body: "Stock Sentry imports orders. Webhooks keep stock in sync." },
        ]
    }

    #[test]
    fn every_term_must_match_and_title_weighs_more() {
        let hits = search(&docs(), "alerts");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].slug, "alerts");
        assert!(search(&docs(), "stock cover").is_empty());
        let both = search(&docs(), "stock");
        assert_eq!(both.iter().map(|h| h.slug.as_str()).collect::<Vec<_>>(), vec!["sync"]);
        assert!(search(&docs(), "  ").is_empty());
    }

    #[test]
    fn snippets_start_at_the_sentence() {
        let hits = search(&docs(), "Lead TIME");
        assert_eq!(hits[0].snippet, "Reorder now when cover is below lead time.");
    }

    #[test]
    fn contact_form_is_checked_field_by_field() {
        let ok = ContactInput { name: "Ana".into(), email: "ana@shop.example".into(), message: "My alerts look wrong".into() };
        assert!(ok.parse().is_ok());
        let bad = ContactInput { name: "".into(), email: "ana@@x".into(), message: "hi".into() };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "email", "message"]);
        for e in ["a@b", "a b@c.com", "@c.com", "a@.com", "a@c..com"] {
            assert!(!valid_email(e), "{e}");
        }
        assert!(valid_email("first.last+tag@sub.shop.co"));
    }
}
