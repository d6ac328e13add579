//! Test fixtures: the reference article among distractors, and small helpers.

use super::*;

pub(super) const REFERENCE: &str = "sexual-intimacy-and-posttraumatic-growth";

pub(super) fn doc(slug: &str, title: &str, tags: &[&str], body: &str) -> SearchDoc {
    SearchDoc {
        slug: slug.to_string(),
        title: title.to_string(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        body_text: body.to_string(),
        ..SearchDoc::default()
    }
}

pub(super) fn reference() -> SearchDoc {
    SearchDoc {
        slug: REFERENCE.to_string(),
        title: "HOW SEXUAL INTIMACY CAN FACILITATE POSTTRAUMATIC GROWTH AND SELFRECONSTRUCTION".into(),
        question: "In what ways does sexual intimacy facilitate post-traumatic growth and \
                   self-reconstruction?"
            .into(),
        answer: "Safe, consensual intimacy can be one source of the closeness and support that \
                 help people grow after trauma."
            .into(),
        description: "What research says about intimacy, connection and growth after trauma.".into(),
        tags: [
            "sexualintimacy",
            "posttraumaticgrowth",
            "selfreconstruction",
            "healing",
            "connection",
            "bonding",
            "attachment",
        ]
        .map(String::from)
        .to_vec(),
        body_text: "Positive change that some people report after a deeply distressing event: a new \
                    appreciation of life, closer relationships (Tedeschi & Calhoun, 1996). Growth and \
                    distress often exist side by side."
            .into(),
        published_unix: 1_795_000_000,
    }
}

/// The reference article among distractors that each share some of its words.
pub(super) fn corpus() -> Vec<SearchDoc> {
    let mut docs = vec![
        reference(),
        doc(
            "growth-after-breakup",
            "Growth after a breakup",
            &["breakup"],
            "Growth, growth and more growth: post a note about personal growth every week. Growth takes time.",
        ),
        doc(
            "traumatic-memories",
            "Traumatic memories and sleep",
            &["sleep"],
            "Traumatic memories can disturb sleep. Traumatic stress and traumatic events are common. Post-dated letters.",
        ),
        doc(
            "self-care",
            "Self-care routines",
            &["selfcare"],
            "Self care and self compassion: the self is not a project. Reconstruction of a kitchen is not self-reconstruction of a life? Yes it is.",
        ),
        doc(
            "heal-slowly",
            "Wounds take time",
            &["recovery"],
            "You will heal at your own pace; nobody can hurry how a person may heal.",
        ),
        doc(
            "attachment-styles",
            "Attachment styles in adult relationships",
            &["attachment"],
            "Secure attachment, anxious attachment and avoidant attachment shape how partners connect.",
        ),
        doc(
            "partner-talk",
            "Talking with a partner about past trauma",
            &["communication"],
            "When you talk to your partner about trauma, choose a calm moment.",
        ),
        doc("resume", "Writing a résumé after a career break", &["work"], "A résumé can explain a gap."),
        doc(
            "html",
            "Markup <b>in</b> text",
            &["misc"],
            "Never trust <script>alert('x')</script> & friends in a body.",
        ),
    ];
    for (i, d) in docs.iter_mut().enumerate() {
        d.published_unix = 1_700_000_000 + i64::try_from(i).expect("small");
    }
    docs
}

pub(super) fn ram_index(docs: &[SearchDoc]) -> SearchIndex {
    let index = SearchIndex::open_in_ram().expect("ram index");
    index.upsert(docs).expect("upsert");
    index
}

pub(super) fn search(index: &SearchIndex, text: &str) -> SearchResults {
    index.search(&SearchRequest { text: text.to_string(), ..SearchRequest::default() }).expect("search")
}

pub(super) fn slugs(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.slug.as_str()).collect()
}
