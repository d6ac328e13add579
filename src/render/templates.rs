//! minijinja templates: built into the binary, each overridable by a file in the theme's `templates/` folder.

use super::RenderError;
use minijinja::Environment;
use serde::Serialize;
use std::path::PathBuf;

/// The built-in templates, by name.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("contact.html", include_str!("../../templates/contact.html")),
    ("thanks.html", include_str!("../../templates/thanks.html")),
    ("admin/base.html", include_str!("../../templates/admin/base.html")),
    ("admin/macros.html", include_str!("../../templates/admin/macros.html")),
    ("admin/login.html", include_str!("../../templates/admin/login.html")),
    ("admin/articles.html", include_str!("../../templates/admin/articles.html")),
    ("admin/trash.html", include_str!("../../templates/admin/trash.html")),
    ("admin/editor.html", include_str!("../../templates/admin/editor.html")),
    ("admin/revisions.html", include_str!("../../templates/admin/revisions.html")),
    ("admin/revision.html", include_str!("../../templates/admin/revision.html")),
    ("admin/inbox.html", include_str!("../../templates/admin/inbox.html")),
    ("admin/message.html", include_str!("../../templates/admin/message.html")),
    ("admin/insights.html", include_str!("../../templates/admin/insights.html")),
    ("admin/users.html", include_str!("../../templates/admin/users.html")),
    ("admin/preview_error.html", include_str!("../../templates/admin/preview_error.html")),
];

/// The template environment. Auto-escaping is on for `.html`, so every value is escaped unless marked safe.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Builds the environment; `theme_dir/templates/NAME` wins over the built-in `NAME`.
    pub fn new(theme_dir: Option<PathBuf>) -> Templates {
        let mut env = Environment::new();
        let dir = theme_dir.map(|d| d.join("templates"));
        env.set_loader(move |name| {
            if let Some(dir) = &dir {
                // Names come from our own templates, but refuse anything that could leave the folder.
                if !name.contains("..") && !name.starts_with('/') {
                    match std::fs::read_to_string(dir.join(name)) {
                        Ok(text) => return Ok(Some(text)),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(minijinja::Error::new(
                                minijinja::ErrorKind::InvalidOperation,
                                format!("cannot read theme template {name}: {e}"),
                            ));
                        }
                    }
                }
            }
            Ok(BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| (*t).to_owned()))
        });
        env.add_filter("hashtags", hashtags);
        Templates { env }
    }

    /// Renders template `name` with `ctx`.
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<String, RenderError> {
        Ok(self.env.get_template(name)?.render(ctx)?)
    }
}

/// `{{ tags | hashtags }}`: each tag as a `#tag` link to its tag page, separated by spaces,
/// escaped. The lists of hashtags on cards and results are the same markup everywhere, and a
/// loop in the template cost more than the rest of a result.
fn hashtags(tags: minijinja::Value) -> Result<minijinja::Value, minijinja::Error> {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (i, t) in tags.try_iter()?.enumerate() {
        let text =
            t.as_str().map_or_else(|| std::borrow::Cow::Owned(t.to_string()), std::borrow::Cow::Borrowed);
        let t = minijinja::HtmlEscape(&text);
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, r#"<a class="hashtag" href="/tags/{t}">#{t}</a>"#);
    }
    Ok(minijinja::Value::from_safe_string(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_escaped_links_separated_by_spaces() {
        let t = Templates::new(None);
        let mut env = t.env.clone();
        env.add_template("x", "[{{ tags | hashtags }}]").unwrap();
        let out = env.get_template("x").unwrap().render(minijinja::context! { tags => ["trauma", "a\"<b"] });
        assert_eq!(
            out.unwrap(),
            r#"[<a class="hashtag" href="/tags/trauma">#trauma</a> <a class="hashtag" href="/tags/a&quot;&lt;b">#a&quot;&lt;b</a>]"#
        );
        let none =
            env.get_template("x").unwrap().render(minijinja::context! { tags => Vec::<String>::new() });
        assert_eq!(none.unwrap(), "[]");
        assert!(env.get_template("x").unwrap().render(minijinja::context! { tags => 3 }).is_err());
    }
}
