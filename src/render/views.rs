//! View models and page renderers: domain values in, HTML out. One function per page type.

use super::{RenderError, Templates};
use crate::config::SupportBox;
use crate::domain::{Article, ArticleSummary, MessageKind, Tag, TagCount, Translation};
use crate::search::SearchResults;
use minijinja::context;
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// What every page knows about the site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    /// Site name for the header and titles.
    pub name: String,
    /// Public base URL without a trailing slash.
    pub base_url: String,
    /// The site's language, for pages and articles that do not say their own.
    pub language: String,
}

/// Position in a paginated listing, with links to neighbours.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// 1-based page number.
    pub number: u64,
    /// Number of pages (at least 1).
    pub count: u64,
    /// Link to the previous page.
    pub prev: Option<String>,
    /// Link to the next page.
    pub next: Option<String>,
}

impl Pager {
    /// Builds a pager for `page` of `total` items, `per_page` a page; links are `base` plus `page=N`.
    pub fn new(base: &str, page: u64, total: u64, per_page: u64) -> Pager {
        let count = total.div_ceil(per_page.max(1)).max(1);
        let sep = if base.contains('?') { '&' } else { '?' };
        let link = |n: u64| if n == 1 { base.to_owned() } else { format!("{base}{sep}page={n}") };
        Pager {
            number: page,
            count,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < count).then(|| link(page + 1)),
        }
    }
}

/// An article in a list.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    slug: String,
    title: String,
    description: String,
    question: Option<String>,
    tags: Vec<String>,
    published_iso: String,
    published_human: String,
}

impl From<&ArticleSummary> for SummaryView {
    fn from(a: &ArticleSummary) -> Self {
        SummaryView {
            slug: a.slug.to_string(),
            title: a.title.clone(),
            description: a.description.clone(),
            question: a.question.clone(),
            tags: a.tags.iter().map(Tag::to_string).collect(),
            published_iso: iso(a.published),
            published_human: human(a.published.date()),
        }
    }
}

#[derive(Serialize)]
struct ReferenceView {
    text: String,
    doi_url: Option<String>,
    url: Option<String>,
}

/// The pieces of an article page the store provides.
pub struct ArticlePage<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its rendered body.
    pub body_html: &'a str,
    /// The publication time shown.
    pub published: OffsetDateTime,
    /// Related articles.
    pub related: &'a [ArticleSummary],
    /// The page in every language it exists in (its own included), or nothing.
    pub translations: &'a [Translation],
}

/// A language of the page, for `hreflang` alternates and the language switcher.
#[derive(Serialize)]
struct TranslationView {
    language: String,
    slug: String,
    title: String,
    current: bool,
}

/// Home: newest articles first.
pub fn home(
    t: &Templates,
    site: &SiteCtx,
    articles: &[ArticleSummary],
    pager: &Pager,
) -> Result<String, RenderError> {
    let articles: Vec<SummaryView> = articles.iter().map(SummaryView::from).collect();
    t.render("home.html", context! { site, articles, pager })
}

/// One article, with its support boxes (chosen by the caller from the configuration).
pub fn article(
    t: &Templates,
    site: &SiteCtx,
    page: &ArticlePage<'_>,
    support: &[&SupportBox],
    exit_url: &str,
) -> Result<String, RenderError> {
    let a = page.article;
    let references: Vec<ReferenceView> = a
        .references
        .iter()
        .map(|r| ReferenceView {
            text: r.text.clone(),
            doi_url: r.doi_url(),
            url: r.safe_url().map(str::to_owned),
        })
        .collect();
    let updated = a.updated.filter(|u| u.date() > page.published.date());
    // The article's own fields as stored (so a new field reaches the template by its name), with
    // the derived ones added or put in a form for the page.
    let view = context! {
        description => a.summary(),
        body_html => page.body_html,
        references,
        last_reviewed => a.last_reviewed.map(|d| d.to_string()),
        last_reviewed_human => a.last_reviewed.map(human),
        next_review => a.next_review.map(|d| d.to_string()),
        published_iso => iso(page.published),
        published_human => human(page.published.date()),
        updated_iso => updated.map(iso),
        updated_human => updated.map(|u| human(u.date())),
        ..minijinja::Value::from_serialize(a)
    };
    let related: Vec<SummaryView> = page.related.iter().map(SummaryView::from).collect();
    let exit_url = (!support.is_empty()).then_some(exit_url);
    let json_ld = json_ld(site, page);
    let language = a.language.clone().unwrap_or_else(|| site.language.clone());
    let translations: Vec<TranslationView> = page
        .translations
        .iter()
        .map(|tr| TranslationView {
            language: tr.language.clone().unwrap_or_else(|| site.language.clone()),
            slug: tr.slug.to_string(),
            title: tr.title.clone(),
            current: tr.slug == a.slug,
        })
        .collect();
    // A lone language is no choice.
    let translations = if translations.len() > 1 { translations } else { Vec::new() };
    t.render(
        "article.html",
        context! { site, a => view, related, support, exit_url, json_ld, language, translations },
    )
}

/// schema.org data for an article: the page as `MedicalWebPage`/`Article`, the reader's question as an
/// editorial `FAQPage` entry, and a breadcrumb trail. Escaped so it cannot close its `<script>` element.
pub fn json_ld(site: &SiteCtx, page: &ArticlePage<'_>) -> String {
    use serde_json::json;
    let a = page.article;
    let url = format!("{}/articles/{}", site.base_url, a.slug);
    let author = json!({ "@type": "Person", "name": a.author.as_deref().unwrap_or("ZeroOpposite editors") });
    let citations: Vec<_> = a
        .references
        .iter()
        .map(|r| {
            let mut c = json!({ "@type": "CreativeWork", "name": r.text });
            if let Some(d) = r.doi_url() {
                c["url"] = json!(d);
                c["identifier"] = json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": r.doi });
            } else if let Some(u) = r.safe_url() {
                c["url"] = json!(u);
            }
            c
        })
        .collect();
    let mut article = json!({
        "@type": ["MedicalWebPage", "Article"],
        "@id": format!("{url}#article"),
        "url": url,
        "headline": a.title,
        "description": a.summary(),
        "inLanguage": a.language.as_deref().unwrap_or(&site.language),
        "author": author,
        "publisher": { "@type": "Organization", "name": site.name, "url": format!("{}/", site.base_url) },
        "datePublished": iso(page.published),
        "dateModified": iso(a.updated.unwrap_or(page.published).max(page.published)),
        "keywords": a.tags.iter().map(Tag::as_str).collect::<Vec<_>>(),
        "citation": citations,
    });
    if let Some(r) = &a.reviewer {
        article["reviewedBy"] = json!({ "@type": "Person", "name": r });
    }
    if let Some(d) = a.last_reviewed {
        article["lastReviewed"] = json!(d.to_string());
    }
    let mut crumbs = vec![
        json!({ "@type": "ListItem", "position": 1, "name": site.name, "item": format!("{}/", site.base_url) }),
    ];
    if let Some(t) = a.tags.first() {
        crumbs.push(json!({ "@type": "ListItem", "position": 2, "name": format!("#{t}"), "item": format!("{}/tags/{t}", site.base_url) }));
    }
    crumbs.push(json!({ "@type": "ListItem", "position": crumbs.len() + 1, "name": a.title, "item": url }));
    let mut graph = vec![article, json!({ "@type": "BreadcrumbList", "itemListElement": crumbs })];
    if let (Some(q), Some(ans)) = (&a.question, &a.answer) {
        graph.push(json!({
            "@type": "FAQPage",
            "@id": format!("{url}#question"),
            "mainEntity": [{ "@type": "Question", "name": q, "acceptedAnswer": { "@type": "Answer", "text": ans } }],
        }));
    }
    let text = json!({ "@context": "https://schema.org", "@graph": graph }).to_string();
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// All tags with counts.
pub fn tags(t: &Templates, site: &SiteCtx, tags: &[TagCount]) -> Result<String, RenderError> {
    t.render("tags.html", context! { site, tags })
}

/// One tag's articles.
pub fn tag(
    t: &Templates,
    site: &SiteCtx,
    tag: &Tag,
    articles: &[ArticleSummary],
    total: u64,
    pager: &Pager,
) -> Result<String, RenderError> {
    let articles: Vec<SummaryView> = articles.iter().map(SummaryView::from).collect();
    t.render("tag.html", context! { site, tag => tag.as_str(), articles, total, pager })
}

/// A human error page (404, 400, 413, 429, 500, 503 …).
pub fn error(t: &Templates, site: &SiteCtx, heading: &str, message: &str) -> Result<String, RenderError> {
    t.render("error.html", context! { site, heading, message })
}

/// The support boxes whose tags meet the article's tags or content notes (a note "trauma" counts as the tag).
pub fn support_for<'c>(boxes: &'c [SupportBox], article: &Article) -> Vec<&'c SupportBox> {
    boxes
        .iter()
        .filter(|b| {
            b.tags.iter().filter_map(|t| Tag::parse(t).ok()).any(|t| {
                article.tags.contains(&t)
                    || article.content_notes.iter().any(|n| Tag::parse(n).ok().as_ref() == Some(&t))
            })
        })
        .collect()
}

fn iso(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// "23 November 2026".
pub fn human(d: Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

/// The search page with no query: every topic, so the page is useful without JavaScript. For the
/// static export (`static_search`) it also loads the offline search script.
pub fn search_topics(
    t: &Templates,
    site: &SiteCtx,
    tags: &[TagCount],
    static_search: bool,
) -> Result<String, RenderError> {
    t.render("search.html", context! { site, query => "", tags, static_search })
}

/// What a results page shows besides the hits.
pub struct SearchPage<'a> {
    /// The query as shown (cut to the longest searched).
    pub query: &'a str,
    /// The tag filter, normalised.
    pub tag: Option<&'a str>,
    /// The 1-based page.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// The deepest page offered.
    pub max_page: usize,
    /// The longest query searched, for the search box.
    pub max_chars: usize,
}

/// A search results page with its pager and "Did you mean" link.
pub fn search_results(
    t: &Templates,
    site: &SiteCtx,
    p: &SearchPage<'_>,
    results: SearchResults,
) -> Result<String, RenderError> {
    // An inexact total is a lower bound that reaches past this page: there is a next page, but how
    // many follow is not known.
    let pages = results.total.div_ceil(p.per_page.max(1)).max(1);
    let more = !results.total_exact;
    let link = |q: &str, page: usize| {
        let mut s = format!("/search?q={}", urlencode(q));
        if let Some(t) = p.tag {
            s.push_str(&format!("&tag={}", urlencode(t)));
        }
        if page > 1 {
            s.push_str(&format!("&page={page}"));
        }
        s
    };
    let pager = context! {
        number => p.page, count => (!more).then_some(pages),
        prev => (p.page > 1).then(|| link(p.query, p.page - 1)),
        next => ((more || p.page < pages) && p.page < p.max_page).then(|| link(p.query, p.page + 1)),
    };
    let suggestion_link = results.suggestion.as_ref().map(|s| link(s, 1));
    t.render(
        "search.html",
        context! {
            site, query => p.query, tag => p.tag, max_chars => p.max_chars, pager, suggestion_link,
            took_ms => format!("{:.1}", results.took.as_secs_f64() * 1000.0),
            results => super::search_view::results_value(results),
        },
    )
}

/// The Contact Us form with the reader's text (`form`), a token, and errors next to their fields.
/// `form_action` is where it posts (the static export's live endpoint), by default `/contact`.
pub fn contact(
    t: &Templates,
    site: &SiteCtx,
    form: &impl Serialize,
    errors: &impl Serialize,
    token: &str,
    max_chars: usize,
    form_action: Option<&str>,
) -> Result<String, RenderError> {
    let kinds: Vec<_> =
        MessageKind::ALL.iter().map(|k| context! { value => k.as_str(), label => k.label() }).collect();
    let form_action = form_action.unwrap_or("/contact");
    t.render("contact.html", context! { site, form, errors, kinds, token, max_chars, form_action })
}

/// The page after a message was stored.
pub fn thanks(t: &Templates, site: &SiteCtx) -> Result<String, RenderError> {
    t.render("thanks.html", context! { site })
}

/// Percent-encodes a query-string value (`+` for spaces).
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An editors' page: template `name` with `ctx` (built by the admin handler: the form, the
/// listing, the signed-in account) and the site.
pub fn admin(
    t: &Templates,
    site: &SiteCtx,
    name: &str,
    ctx: minijinja::Value,
) -> Result<String, RenderError> {
    t.render(name, context! { site, ..ctx })
}
