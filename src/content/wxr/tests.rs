//! Reading the hand-written export in `tests/fixtures/wxr/site.xml` and a few broken ones.

use super::*;
use crate::domain::Status;

const SITE: &str = include_str!("../../../tests/fixtures/wxr/site.xml");

fn item<'a>(items: &'a [ImportedItem], slug: &str) -> &'a ImportedItem {
    items.iter().find(|i| i.article.slug.as_str() == slug).unwrap_or_else(|| panic!("no item {slug}"))
}

#[test]
fn posts_and_pages_are_read_and_the_rest_counted() {
    let export = parse(SITE).unwrap();

    let items = export.articles();

    let slugs: Vec<&str> = items.iter().map(|i| i.article.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "feeling-numb",
            "talking-to-a-partner",
            "what-s-a-safe-first-step",
            "sleep-after-trauma",
            "notes-for-the-team",
            "about",
            "press"
        ]
    );
    assert_eq!(items.iter().filter(|i| i.post_type == PostType::Page).count(), 2);
    let s = &export.skipped;
    assert_eq!((s.comments, s.attachments, s.menu_items, s.other_total()), (1, 1, 1, 1));
    assert_eq!(s.other.get("wp_block"), Some(&1));
    assert!(export.warnings.is_empty(), "{:?}", export.warnings);
}

#[test]
fn status_dates_author_and_tags_are_mapped() {
    let items = parse(SITE).unwrap().articles();

    let numb = &item(&items, "feeling-numb").article;
    assert_eq!(numb.status, Status::Published);
    assert_eq!(numb.published.unwrap().to_string(), "2019-05-14 9:30:00.0 +00:00:00");
    assert_eq!(numb.updated.unwrap().date().to_string(), "2019-06-01");
    assert_eq!(numb.author.as_deref(), Some("Dr Alex Kim"));
    let tags: Vec<&str> = numb.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["trauma", "numbness", "copingrecovery"]);
    assert_eq!(numb.description, "Feeling numb is a common response.");

    let draft = &item(&items, "what-s-a-safe-first-step").article;
    assert_eq!((draft.status, draft.published), (Status::Draft, None));
    assert_eq!(draft.title, "What’s a safe first step?");
    assert_eq!(item(&items, "sleep-after-trauma").article.status, Status::Scheduled);
    assert_eq!(item(&items, "notes-for-the-team").article.status, Status::Draft);
    let partner = &item(&items, "talking-to-a-partner").article;
    let tags: Vec<&str> = partner.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["relationships"], "Uncategorized is not a tag");
    assert_eq!(partner.updated, None, "modified at publication is no update");
}

#[test]
fn bodies_become_markdown_and_internal_links_point_at_new_addresses() {
    let items = parse(SITE).unwrap().articles();

    let numb = &item(&items, "feeling-numb");
    assert_eq!(
        numb.article.body,
        "Many readers ask whether feeling *nothing* after a frightening event means something is wrong.\n\n\
         ## What numbness can be\n\n- a pause while the mind catches up\n- a way of getting through the day\n\n\
         ![A quiet room with morning light](https://old.example.org/wp-content/uploads/2019/05/quiet-room.jpg)\n\n\
         Talking with a partner can help; see [our earlier answer](/articles/talking-to-a-partner).\n"
    );
    assert_eq!(numb.remote_images, 1);
    let partner = item(&items, "talking-to-a-partner");
    assert!(
        partner
            .article
            .body
            .starts_with("Talking about a hard experience takes time.\n\n![Two chairs facing each other]("),
        "{}",
        partner.article.body
    );
    assert!(
        partner.article.body.contains("*Two chairs, one conversation*\n\nStart small.\\\nYou can stop"),
        "{}",
        partner.article.body
    );
    assert!(partner.article.body.contains("\\[gallery ids=\"107\"\\]"), "{}", partner.article.body);
    let about = item(&items, "about");
    assert!(
        about.article.body.contains("<table><tbody><tr><td>Founded</td><td>2018</td></tr>"),
        "{}",
        about.article.body
    );
}

#[test]
fn shortcodes_are_reported_at_their_lines() {
    let items = parse(SITE).unwrap().articles();

    let partner = item(&items, "talking-to-a-partner");
    let shown: Vec<(usize, &str)> = partner.warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
    let caption_line = SITE.lines().position(|l| l.starts_with("[caption")).unwrap() + 1;
    assert_eq!(
        shown,
        [
            (caption_line, "WordPress shortcode [caption] is turned into a figure"),
            (caption_line + 5, "WordPress shortcode [gallery] is left as text"),
        ]
    );
}

#[test]
fn only_published_items_keep_their_old_addresses() {
    let items = parse(SITE).unwrap().articles();

    let paths =
        |slug: &str| -> Vec<String> { item(&items, slug).old_paths.iter().map(|p| p.to_string()).collect() };
    assert_eq!(paths("feeling-numb"), ["/2019/05/feeling-numb", "/?p=101"]);
    assert_eq!(paths("about"), ["/about", "/?page_id=104", "/?p=104"]);
    assert!(paths("what-s-a-safe-first-step").is_empty());
    assert!(paths("notes-for-the-team").is_empty());
}

#[test]
fn a_taken_slug_gets_a_number_and_a_warning() {
    let xml = SITE.replace("<wp:post_name><![CDATA[press]]>", "<wp:post_name><![CDATA[about]]>");

    let items = parse(&xml).unwrap().articles();

    let second = items.last().unwrap();
    assert_eq!(second.article.slug.as_str(), "about-2");
    assert!(second.warnings.iter().any(|w| w.message.contains("taken")), "{:?}", second.warnings);
}

#[test]
fn an_external_entity_is_never_read() {
    let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n\
        <rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>T &x;</title>\
        <content:encoded>Before &x; after</content:encoded><wp:post_type>post</wp:post_type>\
        <wp:status>publish</wp:status></item></channel></rss>";

    let export = parse(xml).unwrap();

    let item = &export.items[0];
    assert_eq!(item.content, "Before &x; after");
    assert!(!item.title.contains("root:"));
    let messages: Vec<&str> = export.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages[0].contains("<!DOCTYPE> is ignored"), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("`&x;` is not resolved")), "{messages:?}");
}

#[test]
fn malformed_xml_fails_with_its_line_and_column() {
    let xml = "<rss><channel>\n<item>\n  <title>Broken</titel>\n</item></channel></rss>";

    let e = parse(xml).unwrap_err();

    assert_eq!(e.line, 3, "{e}");
    assert!(e.column > 1, "{e}");
    assert!(e.message.contains("not well-formed"), "{e}");
}

#[test]
fn a_truncated_file_and_a_non_wxr_file_fail() {
    let e = parse("<rss><channel>\n<item><title>x</title>").unwrap_err();
    assert!(e.message.contains("ends before"), "{e}");
    assert_eq!(e.line, 2);
    let e = parse("<html><body>hi</body></html>").unwrap_err();
    assert!(e.message.contains("not a WordPress export"), "{e}");
}

/// A minimal export with the given items' XML.
fn export(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<rss><channel><wp:wxr_version>1.2</wp:wxr_version>\
         <wp:base_blog_url>https://old.example.org</wp:base_blog_url>\n{items}\n</channel></rss>"
    )
}

fn post(id: u64, name: &str, extra: &str) -> String {
    format!(
        "<item><title>Post {id}</title><link>https://old.example.org/{name}/</link>\
         <guid isPermaLink=\"false\">https://old.example.org/?p={id}</guid>\
         <content:encoded><![CDATA[<p>Body of {name}.</p>]]></content:encoded>\
         <wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt>\
         <wp:post_name>{name}</wp:post_name><wp:status>publish</wp:status>\
         <wp:post_type>post</wp:post_type>{extra}</item>\n"
    )
}

#[test]
fn a_password_protected_post_is_a_draft_with_no_old_address() {
    let xml = export(&format!(
        "{}{}",
        post(1, "open", "<wp:post_password><![CDATA[]]></wp:post_password>"),
        post(2, "secret", "<wp:post_password><![CDATA[hunter2]]></wp:post_password>")
    ));

    let items = parse(&xml).unwrap().articles();

    assert_eq!(item(&items, "open").article.status, Status::Published);
    let secret = item(&items, "secret");
    assert_eq!(secret.article.status, Status::Draft);
    assert!(secret.old_paths.is_empty(), "{:?}", secret.old_paths);
    assert!(
        secret.warnings.iter().any(|w| w.message.contains("password-protected")),
        "{:?}",
        secret.warnings
    );
}

#[test]
fn wxr_1_0_tags_and_domainless_categories_are_read() {
    let terms = "<category><![CDATA[Uncategorized]]></category>\
        <category><![CDATA[Relationships]]></category>\
        <category domain=\"tag\"><![CDATA[consent]]></category>\
        <category domain=\"tag\" nicename=\"consent\"><![CDATA[consent]]></category>";
    let xml = export(&post(3, "old-format", terms));

    let items = parse(&xml).unwrap().articles();

    let a = item(&items, "old-format");
    let tags: Vec<&str> = a.article.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["relationships", "consent"]);
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

#[test]
fn an_explicit_post_id_wins_over_a_guid_that_claims_it() {
    // The first item's guid says ?p=20, which is the second item's own id.
    let first = post(10, "copied", "").replace("?p=10</guid>", "?p=20</guid>");
    let xml = export(&format!("{first}{}", post(20, "original", "")));

    let items = parse(&xml).unwrap().articles();

    let paths =
        |slug: &str| -> Vec<String> { item(&items, slug).old_paths.iter().map(|p| p.to_string()).collect() };
    assert_eq!(paths("copied"), ["/copied", "/?p=10"]);
    assert_eq!(paths("original"), ["/original", "/?p=20"]);
    let copied = item(&items, "copied");
    assert!(copied.warnings.iter().any(|w| w.message.contains("another item")), "{:?}", copied.warnings);
}

#[test]
fn a_large_export_is_read_in_one_pass_with_right_lines() {
    // 50 MB in 2,000 posts: numbering lines from the start for every tag took minutes at 5 MB.
    let body = "<p>A line of text about sleep, stress and recovery.</p>\n".repeat(450);
    let mut items = String::new();
    for i in 0..2000 {
        items.push_str(
            &post(i + 1, &format!("post-{i}"), "").replace("<p>Body of", &format!("{body}<p>Body of")),
        );
    }
    let xml = export(&items);
    assert!(xml.len() > 50_000_000, "{}", xml.len());

    let parsed = parse(&xml).unwrap();

    assert_eq!(parsed.items.len(), 2000);
    let last = parsed.items.last().unwrap();
    let expected = xml[..xml.rfind("<item>").unwrap()].matches('\n').count() + 1;
    assert_eq!(last.line, expected);
}

#[test]
fn block_editor_bodies_keep_footnotes_code_languages_and_report_dynamic_blocks() {
    let content = "<!-- wp:paragraph --><p>Stress can affect sleep<sup data-fn=\"a1\" class=\"fn\"><a href=\"#a1\" id=\"a1-link\">1</a></sup>.</p><!-- /wp:paragraph -->\n\
        <!-- wp:code --><pre class=\"wp-block-code\"><code lang=\"python\">print(1)</code></pre><!-- /wp:code -->\n\
        <!-- wp:latest-posts {\"postsToShow\":3} /-->\n<!-- wp:footnotes /-->";
    let meta = "<wp:postmeta><wp:meta_key><![CDATA[footnotes]]></wp:meta_key>\
        <wp:meta_value><![CDATA[[{\"content\":\"A review, 2021.\",\"id\":\"a1\"}]]]></wp:meta_value></wp:postmeta>";
    let xml = export(&post(5, "blocks", meta).replace("<p>Body of blocks.</p>", content))
        .replace("<title>Post 5</title>", "<title>&lt;em&gt;Sleep&lt;/em&gt; and stress</title>");

    let items = parse(&xml).unwrap().articles();

    let a = item(&items, "blocks");
    assert_eq!(a.article.title, "Sleep and stress");
    assert!(a.article.body.contains("Stress can affect sleep[^1]."), "{}", a.article.body);
    assert!(a.article.body.contains("[^1]: A review, 2021."), "{}", a.article.body);
    assert!(a.article.body.contains("```python\nprint(1)\n```"), "{}", a.article.body);
    let messages: Vec<&str> = a.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("`wp:latest-posts` is built by WordPress")), "{messages:?}");
    assert!(!messages.iter().any(|m| m.contains("wp:footnotes")), "{messages:?}");
}
