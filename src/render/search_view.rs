//! The search results as template values. Handing `SearchResults` to minijinja through serde
//! builds a map per hit and copies every string into it on every search; these objects answer
//! the template's look-ups straight from the results instead, which is most of what rendering
//! the results page costs besides the template itself.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};

use crate::search::{Hit, SearchResults};

/// `results` in `search.html`: `total`, `total_exact`, `truncated`, `fuzzy`, `suggestion` and `hits`.
pub fn results_value(results: SearchResults) -> Value {
    Value::from_object(ResultsView(Arc::new(results)))
}

#[derive(Debug)]
struct ResultsView(Arc<SearchResults>);

impl Object for ResultsView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let r = &self.0;
        Some(match key.as_str()? {
            "total" => Value::from(r.total),
            "total_exact" => Value::from(r.total_exact),
            "truncated" => Value::from(r.truncated),
            "fuzzy" => Value::from(r.fuzzy),
            "suggestion" => r.suggestion.as_deref().map_or(Value::from(()), Value::from),
            "hits" => Value::from_object(HitsView(Arc::clone(r))),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["total", "total_exact", "truncated", "fuzzy", "suggestion", "hits"])
    }
}

/// `results.hits`: a sequence of [`HitView`].
#[derive(Debug)]
struct HitsView(Arc<SearchResults>);

impl Object for HitsView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = key.as_usize()?;
        (i < self.0.hits.len()).then(|| Value::from_object(HitView(Arc::clone(&self.0), i)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.hits.len())
    }
}

/// One hit: `slug`, `title`, `snippet_html` (already escaped, with `<mark>`), `tags`, `score`.
#[derive(Debug)]
struct HitView(Arc<SearchResults>, usize);

impl HitView {
    fn hit(&self) -> &Hit {
        &self.0.hits[self.1]
    }
}

impl Object for HitView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let h = self.hit();
        Some(match key.as_str()? {
            "slug" => Value::from(h.slug.as_str()),
            "title" => Value::from(h.title.as_str()),
            "snippet_html" => Value::from_safe_string(h.snippet_html.clone()),
            "tags" => h.tags.iter().map(|t| Value::from(t.as_str())).collect(),
            "score" => Value::from(h.score),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["slug", "title", "snippet_html", "tags", "score"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn templates_see_the_results_and_escape_all_but_the_snippet() {
        let results = SearchResults {
            total: 12,
            total_exact: false,
            hits: vec![Hit {
                slug: "a-b".into(),
                title: "<Title>".into(),
                snippet_html: "x <mark>y</mark>".into(),
                tags: vec!["trauma".into(), "growth".into()],
                score: 1.5,
            }],
            suggestion: None,
            fuzzy: true,
            took: Duration::ZERO,
            truncated: false,
        };
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        let t = env
            .template_from_str(
                "{{ r.total }} {{ r.total_exact }} {{ r.fuzzy }} {{ r.suggestion is none }} {% for h in r.hits %}{{ h.slug }} \
                 {{ h.title }} {{ h.snippet_html }} {% for t in h.tags %}#{{ t }}{% endfor %}{% endfor %} \
                 {{ r.hits | length }} {{ r.missing is undefined }}",
            )
            .unwrap();
        let out = t.render(minijinja::context! { r => results_value(results.clone()) }).unwrap();
        assert_eq!(out, "12 False True True a-b &lt;Title&gt; x <mark>y</mark> #trauma#growth 1 True");
        let empty = SearchResults { hits: Vec::new(), suggestion: Some("trust".into()), ..results };
        let t =
            env.template_from_str("{% if r.hits %}hits{% else %}none{% endif %} {{ r.suggestion }}").unwrap();
        assert_eq!(t.render(minijinja::context! { r => results_value(empty) }).unwrap(), "none trust");
    }
}
