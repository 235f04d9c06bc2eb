//! A generator of write-up-like markdown for the benchmarks: front matter, then one
//! project after another, each with the template's numbered sections, `**Label**:` fields
//! (mostly filled in, some left as `[placeholders]` or the template's prompt), prose
//! paragraphs with occasional weak wording, links (inline, reference and wiki), code spans
//! and fences, tables, callouts, task lists and footnotes.
//!
//! The output is a pure function of the requested size and the seed, so every run of a
//! benchmark reads the same text.

/// A small deterministic pseudo-random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed` (any value; zero is replaced).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` must not be zero).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SYSTEMS: &[&str] = &[
    "the deployment pipeline",
    "the Kafka cluster",
    "our Terraform modules",
    "the on-call rotation",
    "the staging environment",
    "the metrics stack",
    "the build cache",
    "the secrets store",
    "the ingress controllers",
    "the database backups",
];

const TOOLS: &[&str] = &[
    "GitHub Actions",
    "Terraform",
    "Helm",
    "Prometheus",
    "Grafana",
    "ArgoCD",
    "Vault",
    "Kubernetes",
    "PostgreSQL",
    "Datadog",
];

/// Sentences of filled-in prose; a few carry weak wording on purpose.
const SENTENCES: &[&str] = &[
    "I moved {sys} to {tool} and wrote the runbook the team now uses for every release.",
    "Deploys went from 40 minutes of manual steps to 7 minutes, unattended.",
    "I led the rollout across 3 environments and 14 services without a customer-facing outage.",
    "I helped with the migration of {sys} to {tool}.",
    "I think the most important piece was probably the rollback script.",
    "The old setup was just a shell script on one box that nobody wanted to touch.",
    "I was responsible for {sys} during the cut-over week.",
    "Alert noise dropped by half once the thresholds were tuned against real traffic.",
    "I wrote some {tool} for {sys} and a small script that opens the migration PR in each repo.",
    "Every change is reviewed in a pull request and applied by the pipeline, never by hand.",
    "The team can now see p99 latency per endpoint in {tool} and page on it.",
    "Backups were deployed by a cron job that failed silently for two weeks in March.",
    "I worked on the on-call handbook so new engineers could take pages in their first month.",
    "Costs fell by about 18% after I right-sized the node pools.",
    "We kind of had monitoring before, but only for the load balancers.",
    "I automated certificate renewal, which removed a quarterly manual task.",
    "I paired with two product teams to move their services onto {tool}.",
    "Incidents caused by configuration drift stopped after {sys} moved to code review.",
];

const INLINE_EXTRAS: &[&str] = &[
    " See `./deploy.sh --env prod` for the entry point.",
    " The design is in the [RFC](https://wiki.example.com/rfc/{n}).",
    " Details are in the [runbook][runbook-{n}].",
    " Background: [[Platform Team]].",
    " This follows [ADR-{n}].",
    " Numbers are from the postmortem[^{n}].",
    " It runs on <https://ci.example.com/job/{n}> every night.",
    " **Key point**: nobody runs it by hand any more.",
    " The flag `--dry-run` stays on by default.",
    "",
    "",
    "",
];

const PROJECTS: &[&str] = &[
    "Moving deployments to {tool}",
    "Codifying {sys}",
    "Rebuilding {sys} on {tool}",
    "Observability for {sys}",
    "Self-service environments with {tool}",
];

/// The sections of one project: heading, then fields as (label, filled answer or None for
/// an empty or placeholder value).
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "1. Project Overview",
        &["What You Did", "Your Role", "Environment"],
    ),
    (
        "2. The Problem/Need",
        &["What wasn't working?", "Who was affected?", "Pain points"],
    ),
    (
        "3. What You Built/Implemented",
        &["Solution Overview", "Tools & Technologies", "Scope"],
    ),
    (
        "4. Technical Details",
        &[
            "Architecture/Setup",
            "Key Components",
            "Automation",
            "Integration Points",
        ],
    ),
    (
        "5. Impact (Ops Style)",
        &["Reliability", "Developer Experience", "Time", "Visibility"],
    ),
    (
        "6. Decisions & Trade-offs",
        &["Tool Selection", "Approach", "Constraints"],
    ),
    (
        "7. Challenges",
        &["Technical", "Process", "What You Learned"],
    ),
    ("9. Skills Demonstrated", &[]),
];

const PLACEHOLDERS: &[&str] = &[
    "[Responsibilities]",
    "[Brief description]",
    "[what the team can now see]",
    "[number of services]",
    "[TBD]",
];

const FENCES: &[&str] = &[
    "```yaml\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./deploy.sh --env ${{ inputs.env }}\n```\n",
    "```bash\n# I just ran this by hand before\nterraform plan -out plan.tfplan\nterraform apply plan.tfplan\n```\n",
    "```hcl\nresource \"aws_iam_role\" \"deploy\" {\n  name               = \"deploy\"\n  assume_role_policy = data.aws_iam_policy_document.oidc.json\n}\n```\n",
];

/// Fills `{sys}`, `{tool}` and `{n}` in a pattern.
fn fill(rng: &mut Rng, pattern: &str) -> String {
    let mut out = pattern.to_string();
    while out.contains("{sys}") {
        out = out.replacen("{sys}", rng.pick(SYSTEMS), 1);
    }
    while out.contains("{tool}") {
        out = out.replacen("{tool}", rng.pick(TOOLS), 1);
    }
    while out.contains("{n}") {
        out = out.replacen("{n}", &(1 + rng.below(400)).to_string(), 1);
    }
    out
}

/// One sentence with, sometimes, an inline extra (code, link, footnote...).
fn sentence(rng: &mut Rng) -> String {
    let pattern = rng.pick(SENTENCES);
    let mut s = fill(rng, pattern);
    let extra = rng.pick(INLINE_EXTRAS);
    s.push_str(&fill(rng, extra));
    s
}

/// A paragraph of two to four sentences.
fn paragraph(rng: &mut Rng) -> String {
    let count = 2 + rng.below(3);
    let sentences: Vec<String> = (0..count).map(|_| sentence(rng)).collect();
    sentences.join(" ")
}

/// Appends one project (a level-one heading and its sections) to `out`, stopping after
/// the section that makes `out` reach `target_bytes`.
fn project(rng: &mut Rng, number: usize, target_bytes: usize, out: &mut String) {
    let pattern = rng.pick(PROJECTS);
    let title = fill(rng, pattern);
    out.push_str(&format!("# Project {number}: {title}\n\n"));
    out.push_str(&paragraph(rng));
    out.push_str("\n\n");
    for (heading, fields) in SECTIONS {
        out.push_str(&format!("## {heading}\n\n"));
        for label in *fields {
            let value = match rng.below(20) {
                0 => String::new(),
                1 => rng.pick(PLACEHOLDERS).to_string(),
                _ => sentence(rng),
            };
            if value.is_empty() {
                out.push_str(&format!("- **{label}**:\n"));
            } else {
                out.push_str(&format!("- **{label}**: {value}\n"));
            }
            if rng.chance(10) {
                out.push_str(&format!("  - {}\n", sentence(rng)));
            }
        }
        if fields.is_empty() {
            for _ in 0..3 {
                let task = if rng.chance(50) { "[x]" } else { "[ ]" };
                out.push_str(&format!("- {task} {}\n", fill(rng, "{tool} in production")));
            }
        }
        out.push('\n');
        if rng.chance(60) {
            out.push_str(&paragraph(rng));
            out.push_str("\n\n");
        }
        if rng.chance(15) {
            out.push_str(rng.pick(FENCES));
            out.push('\n');
        }
        if rng.chance(10) {
            out.push_str("| Metric | Before | After |\n|---|---|---|\n");
            out.push_str(
                "| Deploy time | 40 min | 7 min |\n| Failed deploys | 1/week | 0 in 8 weeks |\n\n",
            );
        }
        if rng.chance(10) {
            out.push_str(&format!("> [!note] Follow-up\n> {}\n\n", sentence(rng)));
        }
        if out.len() >= target_bytes {
            break;
        }
    }
    out.push_str(&format!(
        "[runbook-{number}]: https://wiki.example.com/runbooks/{number}\n[^{number}]: Postmortem PM-{number}, reviewed by the team.\n\n"
    ));
}

/// A write-up of about `target_bytes` bytes (it ends after the section that reaches the
/// size), from `seed`.
pub fn writeup(target_bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(target_bytes + 4096);
    out.push_str("---\ntitle: Platform work 2024-2026\ndraft: false\ntags:\n  - platform\n  - ops\ndescription:\ntemplate: ops-writeup\n---\n\n");
    let mut number = 1;
    while out.len() < target_bytes {
        project(&mut rng, number, target_bytes, &mut out);
        number += 1;
    }
    out
}

/// The sizes the benchmarks use: (name, bytes).
pub const SIZES: &[(&str, usize)] = &[("5KB", 5_000), ("100KB", 100_000), ("1MB", 1_000_000)];
