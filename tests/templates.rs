//! The templates shipped in `templates/`: each parses into the model the rules need.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::Path;

use reframe_core::template::Template;

fn shipped(name: &str) -> Template {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(format!("{name}.md"));
    let source = std::fs::read_to_string(path).expect("template");
    Template::parse(name, &source)
}

#[test]
fn the_promotion_packet_template() {
    let t = shipped("promotion-packet");
    assert!(t.problems().is_empty());
    let headings: Vec<&str> = t.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "1. Summary",
            "2. Scope and Ownership",
            "3. Key Projects",
            "4. Technical Leadership",
            "5. Influence and Mentoring",
            "6. Impact on the Business",
            "7. Growth Areas",
            "8. Evidence",
            "Writing Tips",
        ]
    );
    let guidance: Vec<&str> = t
        .sections
        .iter()
        .filter(|s| s.guidance_only)
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(guidance, ["Writing Tips"]);
    let keys: Vec<&str> = t.front_matter.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "title",
            "candidate",
            "current-level",
            "target-level",
            "manager",
            "period",
            "date"
        ]
    );
    let project = &t.sections[2];
    let labels: Vec<&str> = project.fields.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["Project", "Your part", "Outcome"]);
    assert_eq!(
        project.fields[1].placeholders,
        ["[What you decided, built or led, not what the team did]"]
    );
    assert!(
        t.sections[5].fields.iter().all(|f| f.example),
        "impact examples are quoted"
    );
    assert_eq!(t.reframes.len(), 2);
    assert_eq!(t.reframes[0].weak, "I helped with the payments migration");
    assert!(
        t.reframes[1]
            .strong
            .starts_with("I cut pages per on-call week")
    );
}

#[test]
fn the_ops_template_file_is_the_builtin_one() {
    assert_eq!(&shipped("ops-writeup"), Template::builtin());
}
