//! Moving real sites in without losing anything: the shapes that broke on public Hugo, Zola and
//! WordPress sites, written here as small fixtures of our own and imported through the binary.

use crate::helpers::*;
use std::path::Path;
use zeroopposite::domain::{Article, Slug, Status};
use zeroopposite::store::Store;

/// Writes `text` at `root/rel`, making folders.
fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn import(data: &Path, path: &Path) -> (bool, String, String) {
    run_cli(&["--data", data.to_str().unwrap(), "import", path.to_str().unwrap()])
}

fn article(store: &Store, slug: &str) -> Option<Article> {
    store.article(&Slug::parse(slug).unwrap()).unwrap().map(|s| s.article)
}

/// A Hugo site with two languages, the same file name in two sections, a translation, aliases, and
/// links between its pages by their old addresses.
fn hugo_site(root: &Path) {
    write(
        root,
        "hugo.toml",
        "baseURL = 'https://old.example.org/'\ndefaultContentLanguage = 'en'\n\
         [languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n",
    );
    write(
        root,
        "content/en/posts/grounding.md",
        "---\ntitle: Grounding after a panic attack\ndate: 2021-03-01\n\
         aliases: [/old/grounding-guide/, grounding-tips]\n---\n\
         Some people find it helps to notice five things they can see. See also [sleep](/posts/sleep/#night).\n",
    );
    write(
        root,
        "content/en/trauma/grounding.md",
        "---\ntitle: Grounding, in the trauma section\ndate: 2021-04-01\n---\nA different page with the same file name.\n",
    );
    write(
        root,
        "content/en/posts/sleep.md",
        "---\ntitle: Sleep after a hard day\ndate: 2021-05-01\n---\nRest can come back slowly. \
         Back to [grounding](https://old.example.org/old/grounding-guide/).\n",
    );
    write(
        root,
        "content/fr/posts/sleep.md",
        "---\ntitle: Le sommeil après une journée difficile\ndate: 2021-05-02\n---\nLe repos peut revenir lentement.\n",
    );
}

#[test]
fn same_named_files_and_translations_never_overwrite_each_other_and_old_addresses_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    hugo_site(&site);
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &site);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("4 created, 0 updated"), "{stdout}");
    assert!(
        stderr.contains("the slug `grounding` is taken by")
            && stderr.contains("imported as `trauma-grounding`"),
        "{stderr}"
    );
    let store = Store::open(&data).unwrap();
    assert_eq!(store.article_count().unwrap(), 4);
    let en = article(&store, "sleep").unwrap();
    let fr = article(&store, "sleep-fr").unwrap();
    assert_eq!(en.title, "Sleep after a hard day");
    assert_eq!(
        (fr.title.as_str(), fr.language.as_deref()),
        ("Le sommeil après une journée difficile", Some("fr"))
    );
    assert_eq!(en.language.as_deref(), Some("en"));
    assert!(en.tags.iter().all(|t| t.as_str() != "en" && t.as_str() != "fr"), "a language folder is no tag");
    assert_eq!(article(&store, "trauma-grounding").unwrap().title, "Grounding, in the trauma section");
    assert_eq!(article(&store, "grounding").unwrap().title, "Grounding after a panic attack");

    let redirects: Vec<(String, String)> =
        store.redirects().unwrap().into_iter().map(|(p, s)| (p.to_string(), s.to_string())).collect();
    for (old, slug) in [
        ("/posts/grounding", "grounding"),
        ("/old/grounding-guide", "grounding"),
        ("/posts/grounding-tips", "grounding"),
        ("/trauma/grounding", "trauma-grounding"),
        ("/posts/sleep", "sleep"),
        ("/fr/posts/sleep", "sleep-fr"),
    ] {
        assert!(redirects.contains(&(old.to_owned(), slug.to_owned())), "{old} → {slug} in {redirects:?}");
    }
    let grounding = article(&store, "grounding").unwrap();
    assert!(grounding.body.contains("[sleep](/articles/sleep#night)"), "{}", grounding.body);
    assert!(en.body.contains("[grounding](/articles/grounding)"), "{}", en.body);

    // A second run is the same plan: nothing changes, nothing is reported as updated.
    let (ok, stdout, _) = import(&data, &site);
    assert!(ok);
    assert!(stdout.contains("0 created, 0 updated, 4 unchanged"), "{stdout}");
}

#[test]
fn a_slug_taken_twice_with_no_section_to_tell_them_apart_fails_that_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("notes");
    write(&folder, "a.md", "+++\ntitle = \"First\"\nslug = \"same\"\n+++\nOne.\n");
    write(&folder, "b.md", "+++\ntitle = \"Second\"\nslug = \"same\"\n+++\nTwo.\n");
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &folder);

    assert!(!ok, "a refused file fails the run");
    assert!(stderr.contains("b.md: error: the slug `same` is already taken by"), "{stderr}");
    assert!(stdout.contains("1 created, 0 updated, 0 unchanged, 1 failed"), "{stdout}");
    let store = Store::open(&data).unwrap();
    assert_eq!(article(&store, "same").unwrap().title, "First");
}

#[test]
fn front_matter_hugo_and_zola_accept_imports() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("posts");
    write(&folder, "list-author.md", "---\ntitle: Listed authors\nauthor: [Sam Lee, Ana Ruiz]\n---\nText.\n");
    write(&folder, "underscore.md", "---\ntitle: Underscore slug\nslug: my_first_post\n---\nText.\n");
    write(&folder, "bom.md", "\u{feff}\n\n+++\ntitle = \"Blank lines first\"\n+++\nText.\n");
    write(&folder, "json.md", "{\n  \"title\": \"JSON front matter\",\n  \"tags\": [\"sleep\"]\n}\nText.\n");
    write(&folder, "offset.md", "---\ntitle: Spaced offset\ndate: 2014-03-10 09:30:00 +0100\n---\nText.\n");
    write(
        &folder,
        "extra.md",
        "+++\ntitle = \"Odd extra\"\n[extra]\nauthor = { name = \"x\", url = \"y\" }\nsocial = [1, 2]\n+++\nText.\n",
    );
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &folder);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("6 created"), "{stdout}");
    let store = Store::open(&data).unwrap();
    assert_eq!(article(&store, "list-author").unwrap().author.as_deref(), Some("Sam Lee, Ana Ruiz"));
    assert!(article(&store, "my-first-post").is_some());
    assert!(stderr.contains("the slug `my_first_post` is written `my-first-post`"), "{stderr}");
    assert!(article(&store, "bom").is_some());
    assert_eq!(article(&store, "json").unwrap().tags[0].as_str(), "sleep");
    let offset = article(&store, "offset").unwrap().published.unwrap();
    assert_eq!(offset.to_offset(time::UtcOffset::UTC).hour(), 8);
    assert!(article(&store, "extra").is_some());
    assert!(stderr.contains("`extra.author` is kept out"), "{stderr}");
}

#[test]
fn publication_controls_and_pages_that_are_not_articles_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "hugo.toml", "baseURL = 'https://old.example.org/'\n");
    write(
        &site,
        "content/posts/expired.md",
        "---\ntitle: Expired\ndate: 2019-01-01\nexpiryDate: 2020-01-01\n---\nOld.\n",
    );
    write(
        &site,
        "content/posts/later.md",
        "---\ntitle: Later\ndate: 2019-01-01\npublishDate: 2999-01-01\n---\nNot yet.\n",
    );
    write(&site, "content/media/index.md", "---\ntitle: Media\nheadless: true\n---\n");
    write(&site, "content/hidden.md", "---\ntitle: Hidden\nbuild:\n  render: never\n---\nNot a page.\n");
    write(&site, "content/archives.md", "---\ntitle: Archives\nlayout: archives\n---\n");
    write(
        &site,
        "content/posts/escaped.md",
        "---\ntitle: Escaped\ndate: 2020-01-01\n---\nWrite `{{</* youtube id */>}}` to embed a video.\n",
    );
    write(&site, "content/posts/undated.md", "---\ntitle: Undated\n---\nNo date here.\n");
    let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    std::fs::File::options()
        .write(true)
        .open(site.join("content/posts/undated.md"))
        .unwrap()
        .set_modified(when)
        .unwrap();
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &site);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("4 created, 0 updated, 0 unchanged, 0 failed, 3 skipped (not articles)"),
        "{stdout}"
    );
    assert!(stdout.contains("media/index.md: skipped: a headless bundle"), "{stdout}");
    assert!(stdout.contains("hidden.md: skipped: `build.render` is never"), "{stdout}");
    assert!(stdout.contains("archives.md: skipped: the theme's `archives` page"), "{stdout}");
    let store = Store::open(&data).unwrap();
    assert_eq!(store.article_count().unwrap(), 4);
    assert_eq!(article(&store, "expired").unwrap().status, Status::Draft);
    assert!(stderr.contains("expired on 2020-01-01"), "{stderr}");
    let later = article(&store, "later").unwrap();
    assert_eq!((later.status, later.published.unwrap().year()), (Status::Scheduled, 2999));
    assert!(article(&store, "escaped").unwrap().body.contains("`{{< youtube id >}}`"));
    let undated = article(&store, "undated").unwrap();
    assert_eq!(undated.published.unwrap().unix_timestamp(), 1_600_000_000);
    assert!(
        stderr.contains(
            "1 page(s) had no date of their own: dated by their last git commit (0) or their file's modification time (1)"
        ),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_password_protected_post_never_goes_public_and_an_unknown_post_id_is_404() {
    let app = spawn_with(|_| {}).await;
    let export = app.dir.path().join("protected.xml");
    let item = |id: u32, name: &str, password: &str| {
        format!(
            "<item><title>{name}</title><link>https://old.example.org/{name}/</link>\
             <content:encoded><![CDATA[<p>Body of {name}.</p>]]></content:encoded>\
             <wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt>\
             <wp:post_name>{name}</wp:post_name><wp:status>publish</wp:status>\
             <wp:post_type>post</wp:post_type><wp:post_password><![CDATA[{password}]]></wp:post_password></item>"
        )
    };
    std::fs::write(
        &export,
        format!(
            "<?xml version=\"1.0\"?>\n<rss><channel><wp:wxr_version>1.2</wp:wxr_version>\
             <wp:base_blog_url>https://old.example.org</wp:base_blog_url>{}{}</channel></rss>",
            item(1, "open-post", ""),
            item(2, "members-only", "hunter2")
        ),
    )
    .unwrap();
    let data = app.dir.path().to_owned();
    let (ok, _, stderr) = tokio::task::spawn_blocking(move || import(&data, &export)).await.unwrap();
    assert!(ok, "{stderr}");
    assert!(stderr.contains("password-protected"), "{stderr}");
    app.app.refresh_if_changed().unwrap();

    assert_eq!(app.get("/articles/open-post").await.0, 200);
    assert_eq!(app.get("/articles/members-only").await.0, 404, "a draft is not public");
    assert_eq!(app.get("/members-only/").await.0, 404, "its old address does not lead to it");
    assert_eq!(app.get("/?p=2").await.0, 404);
    let r = app.client.get(format!("{}/?p=1", app.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 301);
    assert_eq!(app.get("/?p=999").await.0, 404, "an unknown post id is not the home page");
}

#[tokio::test]
async fn translations_are_linked_with_hreflang_a_switcher_and_their_own_lang() {
    let app = spawn_with(|c| c.language = "en-GB".into()).await;
    let site = app.dir.path().join("site");
    write(&site, "hugo.toml", "baseURL = 'https://old.example.org/'\n");
    write(&site, "content/posts/consent.md", "---\ntitle: Consent\ndate: 2021-01-01\n---\nText.\n");
    write(
        &site,
        "content/posts/consent.fr.md",
        "---\ntitle: Le consentement\ndate: 2021-01-02\n---\nTexte.\n",
    );
    write(&site, "content/posts/alone.md", "---\ntitle: Alone\ndate: 2021-01-03\n---\nOnly English.\n");
    let data = app.dir.path().to_owned();
    let (ok, _, stderr) = tokio::task::spawn_blocking(move || import(&data, &site)).await.unwrap();
    assert!(ok, "{stderr}");
    app.app.refresh_if_changed().unwrap();

    let (status, en) = app.get("/articles/consent").await;
    assert_eq!(status, 200);
    assert!(en.contains("<html lang=\"en-GB\">"), "the site's language when the article has none");
    let alternate =
        en.lines().find(|l| l.contains("hreflang=\"fr\"") && l.starts_with("<link")).unwrap_or("");
    assert!(alternate.ends_with("/articles/consent-fr\">"), "{en}");
    assert!(en.contains("<a href=\"/articles/consent-fr\" hreflang=\"fr\" lang=\"fr\""), "{en}");
    let (_, fr) = app.get("/articles/consent-fr").await;
    assert!(fr.contains("<html lang=\"fr\">"), "{fr}");
    assert!(fr.contains("<link rel=\"alternate\" hreflang=\"en-GB\""), "{fr}");
    assert!(fr.contains("<a href=\"/articles/consent\" hreflang=\"en-GB\""), "{fr}");
    let (_, alone) = app.get("/articles/alone").await;
    assert!(
        !alone.contains("hreflang=") && !alone.contains("class=\"languages\""),
        "one language is no choice"
    );
}

#[test]
fn each_bundle_image_left_behind_is_named_with_its_article() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "config.toml", "base_url = \"https://old.example.org\"\n");
    write(
        &site,
        "content/blog/chairs/index.md",
        "+++\ntitle = \"Two chairs\"\ndate = 2020-01-01\n+++\nIntro.\n\n![Two chairs](chairs.jpg)\n\nSee [repair](@/blog/repair.md).\n",
    );
    write(&site, "content/blog/chairs/chairs.jpg", "not really a jpeg");
    write(
        &site,
        "content/blog/repair.md",
        "+++\ntitle = \"Repair\"\ndate = 2020-01-02\n[taxonomies]\nseries = [\"Night notes\"]\nauthors = [\"Sam Lee\"]\n+++\nText.\n",
    );
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &site);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("chairs/index.md:7: warning: the image chairs.jpg is a file of the old site"),
        "{stderr}"
    );
    let store = Store::open(&data).unwrap();
    assert!(
        article(&store, "chairs").unwrap().body.contains("[repair](/articles/repair)"),
        "Zola @/ links resolve"
    );
    let repair = article(&store, "repair").unwrap();
    assert_eq!(repair.author.as_deref(), Some("Sam Lee"), "Zola's authors taxonomy");
    assert!(repair.tags.iter().any(|t| t.as_str() == "nightnotes"), "other taxonomies are tags");
}

#[test]
fn hugo_docs_shapes_import_one_article_per_built_page() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "hugo.toml", "baseURL = 'https://old.example.org/'\n");
    // Snippets for an include shortcode: a section cascades build.render = never to them.
    write(
        &site,
        "content/_common/_index.md",
        "---\ncascade:\n  build:\n    render: never\n    list: never\n---\n",
    );
    write(
        &site,
        "content/_common/snippet.md",
        "---\n_comment: Do not remove front matter.\n---\nA snippet.\n",
    );
    // A page without front matter, one without a title, and a top-level page sharing a bundle's name.
    write(&site, "content/LICENSE.md", "Everything here may be shared.\n");
    write(&site, "content/notes.md", "---\ndate: 2020-01-01\n---\n# Notes on grounding\n\nText.\n");
    write(
        &site,
        "content/contribute/documentation/index.md",
        "---\ntitle: Contribute to the docs\n---\nHow.\n",
    );
    write(&site, "content/documentation.md", "---\ntitle: Documentation\n---\nThe docs.\n");
    // A git work tree: an undated page is dated by its last commit.
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(&site)
            .env("GIT_COMMITTER_DATE", "2021-06-01T12:00:00Z")
            .env("GIT_AUTHOR_DATE", "2021-06-01T12:00:00Z")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "site"]);
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &site);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("4 created, 0 updated, 0 unchanged, 0 failed, 1 skipped (not articles)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("snippet.md: skipped:") && stdout.contains("cascades `build.render = never`"),
        "{stdout}"
    );
    let store = Store::open(&data).unwrap();
    assert_eq!(article(&store, "license").unwrap().title, "LICENSE");
    assert_eq!(article(&store, "notes").unwrap().title, "Notes on grounding");
    assert_eq!(article(&store, "documentation").unwrap().title, "Documentation");
    assert_eq!(article(&store, "contribute-documentation").unwrap().title, "Contribute to the docs");
    let license = article(&store, "license").unwrap();
    assert_eq!(license.published.unwrap().date().to_string(), "2021-06-01", "its last commit's date");
    assert!(stderr.contains("dated by their last git commit (3)"), "{stderr}");
}

#[test]
fn a_large_wordpress_export_imports_with_its_1_0_terms_and_explicit_ids() {
    // 6 MB, past the 4.7 MB that took 112 s of CPU when lines were recounted for every tag.
    let dir = tempfile::tempdir().unwrap();
    let body = "<p>Some readers find that sleep comes back slowly.</p>\n".repeat(120);
    let mut items = String::new();
    for i in 1..=1000 {
        // The first item's guid claims the second one's id; WXR 1.0 tags and categories.
        let guid = if i == 1 { 2 } else { i };
        items.push_str(&format!(
            "<item><title>Post {i}</title><link>https://old.example.org/post-{i}/</link>\
             <guid isPermaLink=\"false\">https://old.example.org/?p={guid}</guid>\
             <content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{i}</wp:post_id>\
             <wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>post-{i}</wp:post_name>\
             <wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\
             <category domain=\"tag\"><![CDATA[sleep]]></category><category><![CDATA[Wellbeing]]></category></item>\n"
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<rss><channel><wp:wxr_version>1.0</wp:wxr_version>\
         <wp:base_blog_url>https://old.example.org</wp:base_blog_url>\n{items}</channel></rss>\n"
    );
    assert!(xml.len() > 6_000_000);
    let export = dir.path().join("big.xml");
    std::fs::write(&export, xml).unwrap();
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &export);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("imported 1000 articles: 1000 created"), "{stdout}");
    assert!(
        stderr.contains(
            "big.xml:3: warning: the guid https://old.example.org/?p=2 is the address of another item"
        ),
        "{stderr}"
    );
    let store = Store::open(&data).unwrap();
    let tags: Vec<String> = article(&store, "post-1").unwrap().tags.iter().map(|t| t.to_string()).collect();
    assert_eq!(tags, ["sleep", "wellbeing"]);
    let target =
        |p: &str| store.redirect_target(&[zeroopposite::domain::OldPath::from_link(p).unwrap()]).unwrap();
    assert_eq!(target("/?p=2").unwrap().as_str(), "post-2", "the explicit id wins");
    assert_eq!(target("/?p=1").unwrap().as_str(), "post-1");
}

#[test]
fn only_mounted_content_is_read_and_an_old_address_two_pages_claim_stays_with_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(
        &site,
        "hugo.toml",
        "baseURL = 'https://old.example.org/'\n[languages.en]\n[[module.mounts]]\nsource = 'content/en'\ntarget = 'content'\n",
    );
    write(&site, "content/LICENSE.md", "Not content: outside the mount.\n");
    write(
        &site,
        "content/en/a.md",
        "---\ntitle: A\ndate: 2020-01-01\naliases: [/shared/]\nurl: about-a\n---\nA.\n",
    );
    write(&site, "content/en/b.md", "---\ntitle: B\ndate: 2020-01-01\naliases: [/shared/]\n---\nB.\n");
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &site);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("2 created"), "{stdout}");
    assert!(stdout.contains("1 file outside the folders the configuration mounts as content"), "{stdout}");
    assert!(stderr.contains("b.md: warning: the old address /shared is claimed by `a` too"), "{stderr}");
    let store = Store::open(&data).unwrap();
    let target =
        |p: &str| store.redirect_target(&[zeroopposite::domain::OldPath::from_link(p).unwrap()]).unwrap();
    assert_eq!(target("/shared").unwrap().as_str(), "a");
    assert_eq!(target("/about-a/").unwrap().as_str(), "a", "a `url` without a slash is from the root");
}

#[test]
fn a_block_editor_post_keeps_its_footnotes_code_language_and_sub_and_reports_what_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let content = "<!-- wp:paragraph --><p>CO<sub>2</sub> and sleep<sup data-fn=\"a1\" class=\"fn\"><a href=\"#a1\" id=\"a1-link\">1</a></sup>.</p><!-- /wp:paragraph -->\n\
        <!-- wp:code --><pre class=\"wp-block-code\"><code lang=\"python\">print(1)</code></pre><!-- /wp:code -->\n\
        <!-- wp:latest-posts {\"postsToShow\":3} /-->\n<!-- wp:footnotes /-->";
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<rss><channel><wp:wxr_version>1.2</wp:wxr_version>\n\
         <item><title>&lt;em&gt;Sleep&lt;/em&gt; notes</title><link>https://old.example.org/sleep-notes/</link>\
         <content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>9</wp:post_id>\
         <wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>sleep-notes</wp:post_name>\
         <wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\
         <wp:postmeta><wp:meta_key><![CDATA[footnotes]]></wp:meta_key>\
         <wp:meta_value><![CDATA[[{{\"content\":\"A review, 2021.\",\"id\":\"a1\"}}]]]></wp:meta_value></wp:postmeta>\
         </item>\n</channel></rss>\n"
    );
    let export = dir.path().join("blocks.xml");
    std::fs::write(&export, xml).unwrap();
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &export);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stderr.contains("`wp:latest-posts` is built by WordPress"), "{stderr}");
    let store = Store::open(&data).unwrap();
    let a = article(&store, "sleep-notes").unwrap();
    assert_eq!(a.title, "Sleep notes");
    assert!(a.body.contains("CO<sub>2</sub> and sleep[^1]."), "{}", a.body);
    assert!(a.body.contains("[^1]: A review, 2021."), "{}", a.body);
    assert!(a.body.contains("```python"), "{}", a.body);
    let html = store.article(&Slug::parse("sleep-notes").unwrap()).unwrap().unwrap().body_html;
    assert!(html.contains("<sub>2</sub>") && html.contains("footnote"), "{html}");
}
