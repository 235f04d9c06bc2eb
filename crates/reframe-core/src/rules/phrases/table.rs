//! The built-in phrase tables.
//!
//! Each row says what it flags, where, why, and how to rewrite it, with one sentence it
//! must fire on and one it must not (tests/phrases.rs checks both for every row). Rows
//! are tried in this order; when two rows of the same rule flag overlapping words, the
//! longer match wins, then the earlier row.

use super::{PhraseRow, Subject};
use crate::rules::RuleCode::{Hedge, Minimizer, PassiveVoice, WeakVerb};

const E: PhraseRow = PhraseRow::EMPTY;

/// Words after "worked on" that make it a team or rota membership, not a vague claim.
/// Also times ("worked on weekends").
const TEAM_AFTER: &str = r"(?:(?:the|a|an|our|my|their|its)\s+)?(?:[a-z0-9-]+\s+){0,2}(?:team|squad|crew|rotation|group)\b|(?:call|weekends?|nights?|evenings?|holidays?|site|(?:a|the)\s+(?:weekend|holiday|deadline|tight\s+deadline))\b";

/// A team, rota or org named as what one was part of, ending the clause or followed by
/// a time or place: a membership fact ("I was part of the on-call rotation"), unlike
/// "part of the team that …", which hides the writer's part in what the team did.
const MEMBERSHIP_AFTER: &str = r"(?:(?:the|a|an|our|my|their|its)\s+)?(?:[a-z0-9-]+\s+){0,2}(?:team|squad|crew|rotation|group|org|organi[sz]ation|department|guild|chapter)s?\s*(?:$|[,.;:!?)]|(?:for|at|in|since|from|during|until|as)\b)";

/// Verbs after "just"/"only"/"simply"/"merely" that are not the writer's work being
/// shrunk: time ("I had just joined"), needs and discoveries ("I only needed help").
const NOT_SHRUNK: &[&str] = &[
    "joined",
    "started",
    "arrived",
    "got",
    "came",
    "become",
    "became",
    "had",
    "needed",
    "wanted",
    "realized",
    "realised",
    "learned",
    "learnt",
    "noticed",
    "found",
    "discovered",
    "happened",
    "missed",
    "asked",
    "told",
    "heard",
    "saw",
    "seen",
    "been",
    "existed",
    "worked",
    "passed",
    "failed",
    "firing",
    "being",
    "having",
    "getting",
    "starting",
    "joining",
    "wondering",
    "wanted",
    "hoping",
    "trying",
];

/// A clause that goes on to say how ("… by writing the validation scripts") names the
/// work, so the vague verb before it is not flagged (also written out in the
/// "supported" and "handled" rows).
const BY_DOING: &str = r"(?:[^,.;:]*?\s)?by\s+[a-z]+ing\b";

/// After "involved": the part is named ("… as the incident commander", "… as a reviewer").
const AS_NAMED_ROLE: &str = r"[^.;:!?]*?\bas\s+(?:(?:the|our|their|its)\s|(?:a|an)\s+(?:[a-z-]+\s+)?(?:lead|owner|commander|architect|approver|reviewer|dri|decision[- ]maker)\b)";

/// After "just", "simply" or "merely" with a gerund, a verb in the negative later in the
/// clause: the gerund is the subject of a plan that failed, not the writer's work being
/// shrunk ("Simply restarting the pods did not help"). A macro so that `concat!` can
/// join it with other patterns.
macro_rules! failed_attempt {
    () => {
        r"(?:[^\s.;:!?]+\s+){0,6}?(?:(?:did|does|do|was|is|would|will|could|can)\s+not|didn['’]t|doesn['’]t|don['’]t|wasn['’]t|isn['’]t|wouldn['’]t|won['’]t|couldn['’]t|can['’]t)\b"
    };
}
const FAILED_ATTEMPT: &str = failed_attempt!();

/// Determiners and modifiers before "kind of"/"sort of" that make it mean "type of".
const KIND_BEFORE: &str = r"\b(?:what|which|this|that|these|those|the|a|an|any|every|each|same|one|other|another|some|no|all|right|new|different|whatever|particular|specific|first|only|my|our|your|their|its|his|her|[a-z0-9]+['’]s|certain|similar|exact|wrong|best|worst|main|two|three|many|several|whole|what\s+sort)";

pub(crate) const ROWS: &[PhraseRow] = &[
    // ---------------------------------------------------------------- weak-verb
    PhraseRow {
        id: "weak-verb-gerund",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: name the action itself (“I migrated …”)",
        bad: "I worked on migrating the billing service to Kubernetes.",
        good: "I migrated the billing service to Kubernetes.",
        replace: &["{past-of-gerund:v}"],
        pattern: r"\b(?P<hit>(?:helped(?:\s+out)?\s+(?:with|in)|worked\s+on|(?:was|were|been)\s+(?:[a-z]+ly\s+)?(?:involved\s+in|responsible\s+for|in\s+charge\s+of)|assisted\s+(?:with|in)|participated\s+in|contributed\s+to)\s+(?P<v>[a-z]+ing))\b",
        subject: Subject::Own,
        unless_words: &[
            "monitoring",
            "logging",
            "alerting",
            "tracing",
            "testing",
            "caching",
            "routing",
            "billing",
            "scheduling",
            "networking",
            "hiring",
            "onboarding",
            "tooling",
            "pricing",
            "packaging",
            "provisioning",
            "staging",
            "ticketing",
            "messaging",
            "streaming",
            "batching",
            "paging",
            "training",
            "planning",
            "building",
            "engineering",
            "recruiting",
            "marketing",
            "licensing",
            "indexing",
            "sharding",
            "observability",
            "incident",
        ],
        ..E
    },
    PhraseRow {
        id: "helped-with",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you led, built or decided",
        bad: "I helped with the migration from Jenkins to GitHub Actions.",
        good: "The new runbooks helped with onboarding.",
        replace: &["led", "drove"],
        pattern: r"\bhelped\s+(?:out\s+)?(?:with|on|in)\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "was-helping-with",
        code: WeakVerb,
        message: "“helping with” hides what you did: say what you led, built or decided",
        bad: "I was helping with the cutover when the outage hit.",
        good: "The new dashboard was helping with triage.",
        replace: &["led"],
        pattern: r"\b(?:was|were|been)\s+helping\s+(?:out\s+)?(?:with|on)\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "helped-verb",
        code: WeakVerb,
        message: "“helped <do>” blurs your part: say what you did yourself",
        bad: "I helped migrate 40 services to the new cluster.",
        good: "The runbook helped three teams migrate to the new CI system.",
        replace: &["{past:v}"],
        pattern: r"\bhelped\s+(?:to\s+)?(?P<v>{base-verb})\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "helped-someone-with",
        code: WeakVerb,
        message: "“helped … with” hides what you did: say what you built or decided with them",
        bad: "I helped the data team with their Airflow deployment.",
        good: "I helped the team ship with confidence.",
        pattern: r"\bhelped\s+(?P<w>[a-z0-9'’-]+(?:\s+[a-z0-9'’-]+){0,2})\s+with\b",
        subject: Subject::Own,
        unless_words: &["out", "to", "{base-verb}", "it", "this"],
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "helped-someone-do",
        code: WeakVerb,
        message: "“helped … <do>” blurs your part: say what you did for them",
        bad: "Helped junior designers manage their workload.",
        good: "The new runbook helped junior engineers handle their first pages.",
        // Whether the words between are a noun phrase and the last one a verb is decided
        // on the sentence (`analysis::wording`).
        pattern: r"\b(?P<hit>helped\s+(?:[a-z0-9'’-]+\s+){1,3}?(?:to\s+)?(?P<v>{base-verb}))\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "helped-any-verb",
        code: WeakVerb,
        message: "“helped <do>” blurs your part: say what you did yourself",
        bad: "Helped redefine datasets as versioned tables.",
        good: "The runbook helped redefine the on-call rota.",
        // Whether the next word is a verb is decided on the sentence (`analysis::wording`).
        pattern: r"\b(?P<hit>helped\s+(?:to\s+)?(?P<v>[a-z]+))\b",
        subject: Subject::Own,
        unless_words: &[
            "{base-verb}",
            // The rows for "helped out", "helped with", "helped in" say these.
            "out",
            "with",
            "on",
            "in",
            "by",
            "during",
            "and",
            "three",
            "one",
            "nine",
            "five",
            "some",
            "the",
            "more",
            "once",
            "everyone",
            "people",
            "time",
            "none",
            "these",
            "those",
            "those",
        ],
        ..E
    },
    PhraseRow {
        id: "capability-frame",
        code: WeakVerb,
        message: "“{phrase}” frames the work as a struggle: say what you did",
        bad: "I was able to create a dashboard for the on-call team.",
        good: "The team was able to deploy on Fridays again.",
        replace: &["{past:v}"],
        // Who was able is decided on the sentence (`analysis::wording`): the writer, a
        // bullet with no subject, or a verb coordinated with one.
        pattern: r"\b(?P<hit>(?:(?:was|were|am|is|are|been)\s+(?:(?:then|still|also|now|thus|finally|soon|eventually|ultimately|[a-z]+ly)\s+)?able|(?:did\s+)?manage[ds]?)\s+to\s+(?:[a-z]+ly\s+(?:and\s+[a-z]+ly\s+)?)?(?P<v>[a-z]+))\b",
        subject: Subject::Any,
        ..E
    },
    PhraseRow {
        id: "provided-support",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you fixed, built or ran for them",
        bad: "Provided hands-on support to the data team during the migration.",
        good: "The vendor provided support during the migration.",
        pattern: r"\bprovid(?:ed|ing|es?)\s+(?:[a-z-]+\s+){0,2}support\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "collaborated-with",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did with them",
        bad: "Collaborated with leadership to align the roadmap.",
        good: "The teams collaborated with us on the rollout.",
        pattern: r"\b(?:collaborated|partnered)\s+(?:[a-z]+ly\s+)?(?:with|across)\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "worked-with",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did with them",
        bad: "Worked with service teams to launch the new cache layer.",
        good: "Developers worked with the new pipeline from day one.",
        pattern: r"\b(?P<hit>work(?:ed|ing)\s+(?:[a-z]+ly\s+)?(?:together\s+)?with)\b[^.;:!?]{1,80}?\s(?:to\s+[a-z]+|on)\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "working-with-bullet",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did with them",
        bad: "Working closely with business units and engineers.",
        good: "The teams working with us shipped on time.",
        pattern: r"\bwork(?:ed|ing)\s+(?:[a-z]+ly\s+)?with\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "chance-to-work-on",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you built, fixed or delivered",
        bad: "I had the opportunity to work on several projects.",
        good: "Developers had time to work on features again.",
        pattern: r"\b(?:the\s+)?(?:opportunity|chance)\s+to\s+(?P<hit>work\s+on)\b",
        subject: Subject::Any,
        ..E
    },
    PhraseRow {
        id: "privilege-of-working-on",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you built, fixed or delivered",
        bad: "I had the privilege of working on the payments platform.",
        good: "Developers had the pleasure of working on features again.",
        pattern: r"\b(?:privilege|honou?r|pleasure|opportunity|chance)\s+of\s+(?P<hit>working\s+on)\b",
        subject: Subject::Any,
        ..E
    },
    PhraseRow {
        id: "worked-together",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did",
        bad: "Sam and I worked closely together to ship the migration.",
        good: "The two teams worked closely together to ship the migration.",
        pattern: r"\b(?P<hit>worked\s+(?:(?:closely|hard|[a-z]+ly)\s+)?(?:together|side\s+by\s+side))\s+(?:to|on|with)\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "working-on",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you built, fixed or delivered",
        bad: "Then I started working on the plugin system.",
        good: "Then the team started working on the plugin system.",
        pattern: r"\b(?:started|began|kept|continued)\s+working\s+on\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "went-on-to-work-on",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you built, fixed or delivered",
        bad: "Continuing to work on more endpoints for the billing API.",
        good: "The team decided to work on the billing API next quarter.",
        pattern: r"\b(?P<hit>(?:continu(?:ed|ing|e|es)|start(?:ed|ing)?|beg(?:an|in|inning)|went\s+on|took\s+it\s+upon\s+myself)\s+to\s+work\s+on)\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "ended-up-doing",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did",
        bad: "I ended up contributing to the export library.",
        good: "The export library ended up contributing to two products.",
        pattern: r"\bended\s+up\s+(?P<hit>contributing\s+(?:to|towards?)|working\s+on|helping(?:\s+(?:out|with))?)\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "made-contributions-to",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you changed",
        bad: "I made several contributions to the Terraform provider.",
        good: "The maintainers made several contributions to the provider.",
        pattern: r"\b(?P<hit>made\s+(?:(?:a|several|many|numerous|multiple|some|various|few|small|minor|major|significant|key|meaningful|[0-9]+|two|three|four|five)\s+){0,2}contributions?\s+(?:to|towards?))\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "work-on-present",
        code: WeakVerb,
        message: "“{phrase}” hides what you do: say what you build, run or own",
        bad: "I work on a suite of Go services for authentication.",
        good: "The services I work on handle 2,000 logins a second.",
        // The pronoun must open its clause: "the services I work on" names a thing.
        pattern: r"\b(?P<hit>(?:I|we)\s+(?:(?:also|currently|mainly|mostly|primarily|now)\s+)?work\s+on)\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "trying-to",
        code: WeakVerb,
        message: "“{phrase}” leaves the outcome open: say what you did and what came of it",
        bad: "I spent the bonding period trying to prototype a build pipeline.",
        good: "Trying to prototype it taught me where the cache broke.",
        pattern: r"\b(?:(?:am|was|were|been|['’]m)\s+|spent\s+(?:[a-z0-9'’-]+\s+){1,6}?|then\s+)(?P<hit>trying\s+(?:my\s+(?:best|hardest)\s+|hard\s+)?to)\s+{base-verb}\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "attempted-thing",
        code: WeakVerb,
        message: "“attempted” leaves the outcome open: say what you did and what came of it",
        bad: "I attempted major changes to the release automation.",
        good: "I attempted the migration twice; the second run moved every build.",
        pattern: r"\b(?P<hit>attempted)\s+(?:a|an|several|some|multiple|major|many|various|large|big|significant)\b",
        subject: Subject::Own,
        unless_after: failed_attempt!(),
        ..E
    },
    PhraseRow {
        id: "contributing-to",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did",
        bad: "Contributing to knowledge transfer across the platform teams.",
        good: "The change is contributing to fewer pages.",
        pattern: r"\bcontribut(?:ing|e|es)\s+(?:[a-z]+ly\s+)?to\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "help-present",
        code: WeakVerb,
        message: "“{phrase}” blurs your part: say what you do yourself",
        bad: "Helping management with team-leading functions.",
        good: "Docs for helping new hires with setup.",
        pattern: r"\bhelp(?:ing|s)?(?:\s+out)?(?:\s+[a-z]+){0,3}?\s+with\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "help-to-present",
        code: WeakVerb,
        message: "“{phrase}” blurs your part: say what you do yourself",
        bad: "Help to implement a web service for five teams.",
        good: "Docs that help to onboard new hires.",
        pattern: r"\b(?P<hit>help(?:ing|s)?)\s+to\s+[a-z]+\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "help-verb-present",
        code: WeakVerb,
        message: "“{phrase}” blurs your part: say what you do yourself",
        bad: "Reviewed pull requests and help test new features.",
        good: "The new dashboards help teams spot regressions.",
        // Whether the next word is a verb is decided on the sentence (`analysis::wording`).
        pattern: r"\b(?P<hit>help(?:s|ing)?\s+(?P<v>[a-z]+))\b",
        subject: Subject::Own,
        unless_words: &[
            "out", "with", "on", "in", "to", "by", "and", "or", "the", "a", "an", "hand", "desk",
            "center", "centre", "page", "pages", "text", "menu", "docs", "people", "others", "us",
            "them", "me", "you", "him", "her", "each", "everyone", "anyone", "myself",
        ],
        ..E
    },
    PhraseRow {
        id: "participation-in",
        code: WeakVerb,
        message: "“{phrase}” says you were there, not what you did: say what you did",
        bad: "Participation in mobile client development.",
        good: "Turnout was high: participation in the survey reached 80%.",
        pattern: r"\bparticipa(?:tion|nt)\s+(?:in|of)\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "engaged-in",
        code: WeakVerb,
        message: "“{phrase}” says you were busy, not what you did: say what you did",
        bad: "During my internship, I engaged in various projects.",
        good: "The users engaged in the beta.",
        pattern: r"\b(?:(?:was|were|am|been)\s+)?(?:engaged|occupied)\s+in\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "my-tasks-included",
        code: WeakVerb,
        message: "“{phrase}” lists duties, not what you did: say what you did",
        bad: "My primary tasks included developing a carbon calculator.",
        good: "The tasks included a carbon calculator.",
        pattern: r"\bmy\s+(?:[a-z]+\s+)?(?:tasks|duties|responsibilities|role)\s+(?:included|involved|were|was)\b",
        subject: Subject::Any,
        // "My role was to design the rollout": the action is named.
        unless_after: r"to\s+[a-z]+",
        ..E
    },
    PhraseRow {
        id: "play-a-role",
        code: WeakVerb,
        message: "“{phrase}” says you mattered, not what you did: say what you did",
        bad: "I did play a pivotal role in initiating this project.",
        good: "Caching plays a key role in the design.",
        pattern: r"\b(?:did\s+)?play(?:s)?\s+(?:a|an)\s+(?:[a-z]+\s+)?(?:role|part)\s+in\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "in-charge-of-bullet",
        code: WeakVerb,
        message: "“in charge of” describes a position, not a result: say what you did",
        bad: "In charge of supporting the release process for five teams.",
        good: "The person in charge of the release signed off.",
        replace: &["owned"],
        pattern: r"\bin\s+charge\s+of\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "support-present",
        code: WeakVerb,
        message: "“{phrase}” hides what you do: say what you build, fix or run for them",
        bad: "Support the development teams with Terraform modules.",
        good: "Customer support closed the tickets.",
        pattern: r"\bsupport(?:s|ing)?\b",
        subject: Subject::Start,
        unless_after: r"{number}|(?:for|of)\b|(?:tickets?|requests?|rotation|team|engineers?|staff|channel|cases?)\b",
        ..E
    },
    PhraseRow {
        id: "helped-out",
        code: WeakVerb,
        message: "“helped out” hides what you did: say what you took on and what changed",
        bad: "I helped out during the holiday freeze.",
        good: "The extra runners helped out during the holiday freeze.",
        pattern: r"\bhelped\s+out\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "worked-on",
        code: WeakVerb,
        message: "“worked on” hides what you did: say what you built, led or delivered",
        bad: "I worked on the Terraform modules for our staging environment.",
        good: "Developers worked on features instead of fighting the pipeline.",
        replace: &["built", "led", "delivered"],
        pattern: r"\bworked\s+(?:[a-z]+ly\s+)?on\b",
        subject: Subject::Own,
        unless_after: TEAM_AFTER,
        ..E
    },
    PhraseRow {
        id: "gerund-bullet",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you built, fixed or delivered",
        bad: "Working on the deploy tooling for the payments team.",
        good: "Working on the deploy tooling taught me how releases fail.",
        // A bullet or sentence that opens with a vague verb's gerund and has no verb of
        // its own names a duty. With a later verb the gerund phrase is that verb's
        // subject, which `analysis::wording` tells.
        pattern: r"\b(?P<hit>(?:working\s+(?:[a-z]+ly\s+)?on|collaborating\s+(?:[a-z]+ly\s+)?with)\b)",
        subject: Subject::Start,
        unless_after: TEAM_AFTER,
        ..E
    },
    PhraseRow {
        id: "began-work-on",
        code: WeakVerb,
        message: "“{phrase}” says work went on, not what you did: say what you built, fixed or delivered",
        bad: "Began work on the ratings service.",
        good: "Further work on the ratings service was postponed.",
        pattern: r"\b(?:began|started|continued|further|initial|ongoing)\s+work\s+on\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "key-contributor",
        code: WeakVerb,
        message: "“{phrase}” names a role, not what you did: say what you built, fixed or decided",
        bad: "I was a key contributor to the logging migration.",
        good: "Alex was a key contributor to the logging migration.",
        pattern: r"\b(?:(?:was|were|been|am|is|are)\s+(?:a|an|the|one\s+of\s+the)\s+|^\W*(?:a\s+)?)(?P<hit>(?:(?:key|major|main|core|active|significant|integral|primary|big|regular)\s+)?contributors?\s+(?:to|on|in|of)|(?:key|major|core|integral|driving|central|vital|crucial)\s+(?:player|force|member|part|component|piece|figure|role)s?\s+(?:in|of|behind|on))\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "extensive-work-with",
        code: WeakVerb,
        message: "“{phrase}” says work went on, not what you did: say what you built, fixed or delivered",
        bad: "Extensive work with the billing API and its clients.",
        good: "Extensive work with the billing API was needed after the outage.",
        pattern: r"\b(?:extensive|significant|substantial|heavy|ongoing|hands-on)\s+work\s+(?:on|with)\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "contribute-present",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you do",
        bad: "I mainly contribute to the release tooling.",
        good: "These checks contribute to a faster review.",
        pattern: r"\bcontributes?\s+(?:[a-z]+ly\s+)?to(?:wards?)?\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "contributing-progressive",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did",
        bad: "I have been actively contributing to the Rust compiler.",
        good: "Several factors were contributing to the outage.",
        pattern: r"\b(?:am|is|are|was|were|been)\s+(?:[a-z]+ly\s+)?(?P<hit>contributing\s+(?:[a-z]+ly\s+)?to(?:wards?)?)\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "help-on",
        code: WeakVerb,
        message: "“{phrase}” blurs your part: say what you do yourself",
        bad: "I mostly help on the release tooling.",
        good: "The new alerts help on busy nights.",
        pattern: r"\bhelp(?:s|ing|ed)?\s+(?:out\s+)?on\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "contributed-doing",
        code: WeakVerb,
        message: "“{phrase}” blurs your part: say what you did",
        bad: "Contributed adding user stories.",
        good: "Other teams contributed nothing to the plan.",
        pattern: r"\b(?P<hit>contribut(?:ed|es?)\s+[a-z]+ing)\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "helped-people",
        code: WeakVerb,
        message: "“{phrase}” blurs your part: say what you did for them",
        bad: "Helped new users on the forum.",
        good: "The guide helped new users on the forum.",
        pattern: r"\bhelped\s+(?:(?:new|other|fellow|junior|senior|many|several|some|a\s+few|[0-9]+|the|our|my)\s+){0,2}(?:users?|customers?|people|students|colleagues|teammates|engineers|developers|contributors|newcomers|members|interns|hires|clients|folks|@[a-z0-9_-]+)\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "tried-to",
        code: WeakVerb,
        message: "“{phrase}” leaves the outcome open: say what you did and what came of it",
        bad: "Tried to reduce the build time of the monorepo.",
        good: "I tried to reproduce the crash, but it never happened off the device.",
        // An attempt told as one, with its failure ("…, but it never …"), is a story, not a
        // hedge: `analysis::wording` leaves it alone.
        // Only before a verb of the work itself ("tried to reduce", "attempted to
        // migrate"): "tried to explain", "tried to power through" tell effort, not a result.
        pattern: r"\b(?P<hit>(?:tried|attempted)\s+(?:my\s+(?:best|hardest|utmost)\s+)?to)\s+{base-verb}\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "was-working-on",
        code: WeakVerb,
        message: "“working on” hides what you did: say what you built, led or delivered",
        bad: "I have been working on the deploy tooling since 2022.",
        good: "The team I joined was working on the monolith.",
        replace: &["led"],
        pattern: r"\b(?:was|were|been)\s+working\s+on\b",
        subject: Subject::Own,
        unless_after: TEAM_AFTER,
        ..E
    },
    PhraseRow {
        id: "was-involved-in",
        code: WeakVerb,
        message: "“involved in” hides your part: say what you led, built or decided",
        bad: "I was involved in the Kafka upgrade.",
        good: "Who was involved in the decision? Product and platform.",
        replace: &["led", "drove"],
        pattern: r"\b(?:was|were|been|got)\s+(?:[a-z]+ly\s+)?involved\s+(?:in|with)\b",
        subject: Subject::Own,
        unless_after: AS_NAMED_ROLE,
        ..E
    },
    PhraseRow {
        id: "was-involved",
        code: WeakVerb,
        message: "“was involved” hides your part: say what you did",
        bad: "I was heavily involved from the first design doc.",
        good: "Two engineers were involved, and I led the design.",
        pattern: r"\b(?:was|were|been|got)\s+(?:[a-z]+ly\s+)?involved\b",
        subject: Subject::Own,
        unless_after: AS_NAMED_ROLE,
        ..E
    },
    PhraseRow {
        id: "involved-in-bullet",
        code: WeakVerb,
        message: "“Involved in” hides your part: say what you led, built or decided",
        bad: "Involved in all major architectural decisions for the platform.",
        good: "Everyone involved in the decision signed off.",
        replace: &["led", "drove"],
        pattern: r"\binvolved\s+(?:in|with)\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "am-involved-in",
        code: WeakVerb,
        message: "“involved in” hides your part: say what you lead, build or decide",
        bad: "I'm involved in most of the design reviews for the infra org.",
        good: "Who is involved in the design reviews?",
        pattern: r"\b(?:I|we)(?:\s+am|\s+are|['’]m|['’]re)\s+(?:[a-z]+ly\s+|also\s+)?involved\s+(?:in|with)\b",
        ..E
    },
    PhraseRow {
        id: "was-responsible-for",
        code: WeakVerb,
        message: "“responsible for” describes a duty, not a result: say you owned it and what came of it",
        bad: "I was responsible for the CI/CD pipeline for 12 microservices.",
        good: "The platform team was responsible for the base images.",
        replace: &["owned"],
        pattern: r"\b(?:was|were|been)\s+(?:[a-z]+ly\s+|also\s+)?responsible\s+for\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "responsible-to",
        code: WeakVerb,
        message: "“responsible to” describes a duty, not a result: say what you did",
        bad: "I was responsible to migrate all the services to the new cluster.",
        good: "I migrated all the services to the new cluster.",
        replace: &["{past:v}"],
        pattern: r"\b(?:was|were|been)\s+(?:[a-z]+ly\s+|also\s+)?responsible\s+to\s+(?P<v>{base-verb})\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "am-responsible-for",
        code: WeakVerb,
        message: "“responsible for” describes a duty, not a result: say you own it and what it achieves",
        bad: "I'm responsible for the observability stack.",
        good: "Each team is responsible for its own alerts.",
        replace: &["$s own"],
        pattern: r"\b(?P<s>I|we)(?:\s+am|\s+are|['’]m|['’]re)\s+(?:[a-z]+ly\s+|also\s+)?responsible\s+for\b",
        ..E
    },
    PhraseRow {
        id: "responsible-for",
        code: WeakVerb,
        message: "“Responsible for” describes a duty, not a result: say you owned it and what came of it",
        bad: "Responsible for on-call tooling and runbooks.",
        good: "Each team is responsible for its own alerts.",
        replace: &["owned"],
        pattern: r"\bresponsible\s+for\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "in-charge-of",
        code: WeakVerb,
        message: "“in charge of” describes a position, not a result: say you owned or led it",
        bad: "I was in charge of the secrets rotation project.",
        good: "The SRE on call was in charge of the incident.",
        replace: &["owned", "led"],
        pattern: r"\b(?:was|were|been)\s+in\s+charge\s+of\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "contributed-to",
        code: WeakVerb,
        message: "“contributed to” hides your part: say what you drove or shaped",
        bad: "I contributed to the migration of our logging stack to Loki.",
        good: "It contributed to a 30% drop in pages.",
        replace: &["drove", "shaped"],
        pattern: r"\bcontributed\s+(?:[a-z]+ly\s+)?to(?:wards?)?\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "participated-in",
        code: WeakVerb,
        message: "“participated in” says you were there, not what you did: say what you led or ran",
        bad: "I participated in the design review for the new service mesh.",
        good: "Our SREs participated in the design review.",
        replace: &["led", "ran"],
        pattern: r"\bparticipated\s+(?:[a-z]+ly\s+)?in\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "participating-gerund",
        code: WeakVerb,
        message: "“{phrase}” hides your part: say what you did",
        bad: "Participating in the billing service's API design reviews.",
        good: "Participating teams shipped on time.",
        pattern: r"\b(?:participating\s+(?:[a-z]+ly\s+)?in|assisting\s+(?:[a-z]+ly\s+)?(?:with|in|on))\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "informal-vague",
        code: WeakVerb,
        message: "“{phrase}” makes the work sound casual: say what you did and what came of it",
        bad: "Tinkered with the autoscaler settings for the batch cluster.",
        good: "Users tinkered with the new dashboards.",
        pattern: r"\b(?:tinker(?:ed|ing)\s+(?:around\s+)?with|play(?:ed|ing)\s+around\s+with|mess(?:ed|ing)\s+(?:around\s+)?with|dabbl(?:ed|ing)\s+(?:in|with)|pok(?:ed|ing)\s+(?:around\s+)?(?:at|with)|chipp(?:ed|ing)\s+in|pitch(?:ed|ing)\s+in|hack(?:ed|ing)?\s+(?:away\s+)?(?:on|at))\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "took-part-in",
        code: WeakVerb,
        message: "“took part in” says you were there, not what you did: say what you led or ran",
        bad: "Took part in the quarterly disaster recovery drills.",
        good: "Every team took part in the drills.",
        replace: &["led", "ran"],
        pattern: r"\btook\s+part\s+in\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "was-part-of",
        code: WeakVerb,
        message: "“was part of” hides your part: say what you did on it",
        bad: "I was part of the team that moved us off Heroku.",
        good: "The project was part of a larger effort to cut cloud spend.",
        pattern: r"\b(?:was|were|been)\s+(?:(?:a|an)\s+)?(?:[a-z]+\s+)?part\s+of\b",
        subject: Subject::Own,
        unless_after: MEMBERSHIP_AFTER,
        ..E
    },
    PhraseRow {
        id: "member-of",
        code: WeakVerb,
        message: "“a member of” says where you sat, not what you did: say what you did there",
        bad: "I was a member of the working group that picked our tracing vendor.",
        good: "She was a member of the working group.",
        pattern: r"\b(?:was|were|been)\s+(?:a\s+)?(?:[a-z]+\s+)?members?\s+of\b",
        subject: Subject::Own,
        unless_after: MEMBERSHIP_AFTER,
        ..E
    },
    PhraseRow {
        id: "played-a-role",
        code: WeakVerb,
        message: "“played a role in” hides the role: say what you led or drove",
        bad: "I played a key role in the datacenter exit.",
        good: "Caching played a big role in the speedup.",
        replace: &["led", "drove"],
        pattern: r"\bplayed\s+(?:a|an)\s+(?:[a-z]+\s+)?(?:role|part)\s+in\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "had-a-hand-in",
        code: WeakVerb,
        message: "“had a hand in” hides your part: say what you led or drove",
        bad: "I had a hand in the rewrite of the deploy scripts.",
        good: "Several teams had a hand in the rewrite.",
        replace: &["led", "drove"],
        pattern: r"\bhad\s+a\s+hand\s+in\b",
        subject: Subject::Own,
        ..E
    },
    PhraseRow {
        id: "assisted-with",
        code: WeakVerb,
        message: "“assisted with” makes you a bystander: say what you led, built or decided",
        bad: "I assisted with the rollout of SSO for internal tools.",
        good: "The tool assisted with triage.",
        replace: &["led", "drove"],
        pattern: r"\bassisted\s+(?:[a-z]+ly\s+)?(?:with|in|on)\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "assisted-someone-with",
        code: WeakVerb,
        message: "“assisted … with” makes you a bystander: say what you built or decided with them",
        bad: "Assisted the team with the Postgres 11 to 15 upgrade.",
        good: "The tool assists reviewers with risky changes.",
        pattern: r"\bassisted\s+(?P<w>[a-z0-9'’-]+(?:\s+[a-z0-9'’-]+){0,2})\s+(?:with|in|on)\b",
        subject: Subject::Own,
        unless_words: &["{base-verb}", "it", "this"],
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "assisted",
        code: WeakVerb,
        message: "“assisted” makes you a bystander: say what you did and what it changed",
        bad: "I assisted the SRE team during the migration.",
        good: "The tool assists reviewers by highlighting risky changes.",
        pattern: r"\bassisted\b",
        subject: Subject::Own,
        unless_after: BY_DOING,
        ..E
    },
    PhraseRow {
        id: "supported",
        code: WeakVerb,
        message: "“supported” hides what you did: say what you built, fixed or ran for them",
        bad: "I supported the platform team during the Kubernetes upgrade.",
        good: "The new API supported 10x the traffic of the old one.",
        pattern: r"\bsupported\b",
        subject: Subject::Own,
        // Backing a case with evidence: "I supported the decision with a cost model".
        unless_after: r"{number}|(?:up\s+to|over|about|around|more\s+than)\b|(?:[^,.;:]*?\s)?by\s+[a-z]+ing\b|(?:(?:the|my|our|this|that|a|an|his|her|their)\s+)?(?:[a-z-]+\s+)?(?:decision|case|proposal|argument|choice|recommendation|claim|estimate|hypothesis|conclusion)s?\s+with\b",
        ..E
    },
    PhraseRow {
        id: "my-part-was-helping",
        code: WeakVerb,
        message: "“{phrase}” hides what you did: say what you built, fixed or decided",
        bad: "My contribution was helping the team move to ArgoCD.",
        good: "My contribution was the rollback tooling.",
        pattern: r"\bmy\s+(?:main\s+)?(?:role|contribution|part|job|task)\s+(?:was|is)\s+(?:to\s+)?(?:help|helping|assist|assisting|support|supporting)\b",
        ..E
    },
    PhraseRow {
        id: "handled",
        code: WeakVerb,
        message: "“handled” hides what you did: say what you decided, fixed or ran, and the outcome",
        bad: "I handled the incident response during the March outage.",
        good: "The cluster handled 3,000 requests per second at peak.",
        pattern: r"\bhandled\b",
        subject: Subject::Own,
        unless_after: r"{number}|(?:up\s+to|over|about|around|more\s+than|peak|twice|double|\d)\b|(?:[^,.;:]*?\s)?by\s+[a-z]+ing\b",
        ..E
    },
    PhraseRow {
        id: "did-work-on",
        code: WeakVerb,
        message: "“did work on” hides what you did: say what you built or changed",
        bad: "I did work on the alerting rules last quarter.",
        good: "The consultants did work on the alerting rules.",
        pattern: r"\bdid\s+(?:some\s+)?work\s+(?:on|for)\b",
        subject: Subject::Own,
        ..E
    },
    // ---------------------------------------------------------------- minimizer
    PhraseRow {
        id: "just",
        code: Minimizer,
        message: "“just” shrinks your work: drop it and say what it changed",
        bad: "I just set up monitoring.",
        good: "The deploy now takes just 30 minutes.",
        replace: &[""],
        pattern: r"\b(?P<hit>just\s+)(?:(?:quickly|really|kind\s+of|sort\s+of)\s+)?(?P<w>{past}|[a-z]{3,}ing)\b",
        subject: Subject::Own,
        unless_before: r"\b(?:not|only|had|have|has|['’]ve|['’]d)|n['’]t",
        // "Just" as "a moment ago": "we just finished the migration when the outage hit".
        unless_after: concat!(
            r"(?:[^\s.;:!?]+\s+){0,6}?(?:when|as\s+soon\s+as)\b|",
            failed_attempt!()
        ),
        unless_words: NOT_SHRUNK,
        ..E
    },
    PhraseRow {
        id: "only",
        code: Minimizer,
        message: "“only” shrinks your work: drop it and say what it changed",
        bad: "I only wrote a script to rotate the certificates.",
        good: "Only 2 of 40 services still deploy manually.",
        replace: &[""],
        pattern: r"\b(?P<hit>only\s+)(?P<w>{past}|[a-z]{3,}ing)\b",
        subject: Subject::Pronoun,
        unless_before: r"\b(?:not|was|were|been|is|are|am)|n['’]t|['’](?:m|re|s)",
        // "Only" as a rule the writer set, not a shrug: a pace ("one cluster per week",
        // "two at a time") or a condition ("only promoted builds when the canary passed").
        unless_after: r"(?:[^\s.;:!?]+\s+){0,5}?(?:when|whenever|after|once|if|unless|until|per|at\s+a\s+time|each\s+(?:day|night|week|month|sprint|quarter|release))\b",
        unless_words: NOT_SHRUNK,
        ..E
    },
    PhraseRow {
        id: "simply",
        code: Minimizer,
        message: "“simply” shrinks your work: drop it and say what it changed",
        bad: "I simply added alerts for disk usage.",
        good: "Simply put, nobody knew which services were critical.",
        replace: &[""],
        pattern: r"\b(?P<hit>simply\s+)(?P<w>{past}|[a-z]{3,}ing)\b",
        subject: Subject::Own,
        unless_before: r"\bnot|n['’]t",
        unless_after: FAILED_ATTEMPT,
        unless_words: &["put", "stated", "speaking"],
        ..E
    },
    PhraseRow {
        id: "merely",
        code: Minimizer,
        message: "“merely” shrinks your work: drop it and say what it changed",
        bad: "I merely updated the runbooks after the incident.",
        good: "The new setup is merely a thin wrapper over Terraform Cloud.",
        replace: &[""],
        pattern: r"\b(?P<hit>merely\s+)(?P<w>{past}|[a-z]{3,}ing)\b",
        subject: Subject::Own,
        unless_before: r"\bnot|n['’]t",
        unless_after: FAILED_ATTEMPT,
        unless_words: NOT_SHRUNK,
        ..E
    },
    PhraseRow {
        id: "just-a",
        code: Minimizer,
        message: "“just a” shrinks your role: say what you did in it",
        bad: "I was just the intern at the time.",
        good: "We were only a team of three.",
        replace: &[""],
        pattern: r"\b(?:I|we)(?:\s+was|\s+were|\s+am|\s+are|['’]m|['’]re)\s+(?P<hit>(?:just|only|merely|simply)\s+)(?:a|an|the)\s",
        unless_after: r"(?:[a-z]+\s+)?(?:team|group|handful|couple|few|squad|pair|fraction)\b",
        ..E
    },
    PhraseRow {
        id: "some",
        code: Minimizer,
        message: "“some” makes your work sound incidental: drop it or say how much",
        bad: "I just wrote some Terraform.",
        good: "Some of the services still run on the old cluster.",
        replace: &[""],
        pattern: r"\b(?P<hit>some\s+)",
        subject: Subject::OwnObject,
        unless_after: r"{number}|(?:of|time|point|extent|degree|people|users|customers|teams?|engineers|developers|folks|devs|colleagues|stakeholders|cases|days|weeks|months|hours|minutes|help|feedback|pushback|resistance|other|more|kind|sort|form|way|reason|downtime|trouble|issues|problems|friction|success|progress|experience|exposure|background|knowledge|context|questions)\b",
        ..E
    },
    PhraseRow {
        id: "small-thing",
        code: Minimizer,
        message: "“{phrase}” shrinks your work: drop it and say what the thing did",
        bad: "I wrote a small script that cleans up stale branches.",
        good: "I led a small team of three through the migration.",
        replace: &[""],
        pattern: r"\b(?:(?:a|an|a\s+few|a\s+couple\s+of|some|several|the|two|three|few)\s+)?(?P<hit>(?:small|quick|little|tiny|minor|basic)\s+)",
        subject: Subject::OwnObject,
        unless_after: r"{number}|(?:[a-z-]+\s+)?(?:team|group|squad|crew|committee|cohort)\b|(?:team|group|number|subset|fraction|percentage|portion|share|amount|company|startup|budget|auth|authentication|window|set|bit|while|later|understanding|knowledge|price|cost|overhead|footprint|fee|pool|cluster|sample|margin|part|over|under|more|less|too|longer|faster|slower|better|worse|earlier|prototypes?|mock-?ups?|sketch(?:es)?|drafts?|wireframes?|outlines?|spikes?|poc|demos?|pass|versions?|iterations?|look|overview|summary|recap|intro(?:duction)?|sanity|proof)\b|[^.;:!?]*?\b(?:rather\s+than|instead\s+of)\b",
        ..E
    },
    PhraseRow {
        id: "simple-thing",
        code: Minimizer,
        message: "“simple” here shrinks your work: drop it and say what the thing did",
        bad: "I set up a simple dashboard in Grafana.",
        good: "I chose a simple design that other teams could maintain.",
        replace: &[""],
        pattern: r"\b(?:(?:a|an)\s+)?(?P<hit>simple\s+)(?:[a-z0-9-]+\s+)?(?:script|dashboard|tool|fix|patch|change|check|alert|cron|job|wrapper|bot|lambda|function|runbook|page|doc|test|hack|workaround|tweak)s?\b",
        subject: Subject::OwnObject,
        ..E
    },
    PhraseRow {
        id: "a-bit-of",
        code: Minimizer,
        message: "“a bit of” shrinks your work: drop it and say what it achieved",
        bad: "I did a bit of scripting to automate the release notes.",
        good: "There was a bit of toil left after the migration.",
        replace: &[""],
        pattern: r"\b(?P<hit>a\s+(?:little\s+)?bit\s+of\s+)",
        subject: Subject::OwnObject,
        ..E
    },
    PhraseRow {
        id: "nothing-fancy",
        code: Minimizer,
        message: "“nothing fancy” talks your work down: say what it did instead",
        bad: "It was nothing fancy, a bash script that restarts the worker.",
        good: "Nothing broke during the cutover.",
        pattern: r"\b(?:it(?:['’]s|\s+(?:was|is))\s+)?nothing\s+(?:fancy|special|too\s+(?:fancy|complicated|complex|clever))\b",
        ..E
    },
    PhraseRow {
        id: "no-big-deal",
        code: Minimizer,
        message: "“not a big deal” talks your work down: say what it changed instead",
        bad: "It wasn't a big deal, I fixed the broken pipeline.",
        good: "The outage was a big deal for the payments team.",
        pattern: r"\b(?:it(?:['’]s|\s+(?:was|is))?\s+)?(?:no|not\s+a|wasn['’]t\s+a|isn['’]t\s+a|was\s+not\s+a)\s+(?:big|huge)\s+deal\b",
        ..E
    },
    PhraseRow {
        id: "all-i-did",
        code: Minimizer,
        message: "“all I did was” shrinks your work: say what you did and what it changed",
        bad: "All I did was add a cache in front of the config service.",
        good: "I added a cache in front of the config service.",
        pattern: r"\b(?P<hit>all\s+(?P<who>I|we)\s+did\s+was\s+(?:to\s+)?(?P<v>{base-verb}))\b",
        replace: &["$who {past:v}"],
        ..E
    },
    // ---------------------------------------------------------------- hedge
    PhraseRow {
        id: "i-think",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it, with the evidence if you have it",
        bad: "I think the new pipeline cut deploy times in half.",
        good: "I think about reliability as a product feature.",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:I|we)\s+(?:(?:really|honestly|personally|also|still|do)\s+)?(?:think|believe|guess|suppose|reckon)\s+(?:that\s+)?)",
        unless_after: r"(?:[a-z]+ly\s+)?(?:about|of|in|through|so|back|it\s+was\s+worth)\b|(?:[^,.;:]*?\s)?(?:should|must|ought)\b",
        ..E
    },
    PhraseRow {
        id: "i-feel",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it, with the evidence if you have it",
        bad: "I feel I've made strong progress on the migration.",
        good: "I feel strongly about on-call health.",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:I|we)\s+feel\s+(?:that\s+)?)(?:I|we|it|our|my|the)(?:['’][a-z]+)?\b",
        ..E
    },
    PhraseRow {
        id: "seems-to-have",
        code: Hedge,
        message: "“{phrase}” hedges a result: say what happened, with the evidence",
        bad: "This seems to have paid off in fewer pages.",
        good: "This paid off in fewer pages.",
        replace: &["{past-of-participle:v}"],
        pattern: r"\b(?P<hit>(?:seems|seemed)\s+to\s+have\s+(?P<v>{participle}))\b",
        ..E
    },
    PhraseRow {
        id: "i-feel-like",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it, with the evidence if you have it",
        bad: "I feel like the team deploys more confidently now.",
        good: "I felt the pressure of the deadline.",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:I|we)\s+(?:feel\s+(?:like|that)|felt\s+like)\s+)",
        ..E
    },
    PhraseRow {
        id: "it-seems",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it, with the evidence if you have it",
        bad: "It seems like the deploys are faster now.",
        good: "The dashboard seems slow because it queries raw logs.",
        replace: &[""],
        pattern: r"\b(?P<hit>it\s+(?:seems|seemed|appears|appeared)\s+(?:to\s+me\s+)?(?:like|that|as\s+if|as\s+though)\s+)",
        ..E
    },
    PhraseRow {
        id: "hedge-aside",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it plainly",
        bad: "The migration was, I think, the hardest project I did that year.",
        good: "The migration was the hardest project I did that year.",
        replace: &[""],
        pattern: r"(?P<hit>,\s*(?:I\s+think|I\s+believe|I\s+guess|I\s+suppose|I\s+feel|we\s+think|we\s+believe|probably|perhaps|maybe|arguably|possibly|hopefully|more\s+or\s+less|sort\s+of|kind\s+of|in\s+my\s+opinion|IMO|IIRC)\s*,)",
        ..E
    },
    PhraseRow {
        id: "hedge-tail",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it plainly",
        bad: "It worked, I think.",
        good: "It worked, and I think about why often.",
        replace: &[""],
        pattern: r"(?P<hit>,\s*(?:I\s+think|I\s+believe|I\s+guess|I\s+suppose|we\s+think|we\s+believe|probably|perhaps|maybe|arguably|possibly|hopefully|more\s+or\s+less|sort\s+of|kind\s+of|in\s+my\s+opinion|IMO|IIRC))\s*(?:[.!?;]|$)",
        ..E
    },
    PhraseRow {
        id: "hedge-adverb",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it, with a number if you have one",
        bad: "The change probably saved us a few hours a week.",
        good: "The probability of a failed deploy dropped below 1%.",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:maybe|perhaps|possibly|probably|arguably|hopefully|somewhat|presumably|conceivably)(?:,\s*|\s+))",
        unless_after: r"(?:more|most)\s+importantly\b",
        ..E
    },
    PhraseRow {
        id: "kind-of",
        code: Hedge,
        message: "“{phrase}” hedges your claim: say it plainly",
        bad: "The rewrite kind of fixed the flaky deploys.",
        good: "What kind of alerts should wake someone up at night?",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:kind|sort)\s+of\s+)",
        unless_before: KIND_BEFORE,
        ..E
    },
    PhraseRow {
        id: "kinda",
        code: Hedge,
        message: "“{phrase}” hedges your claim: say it plainly",
        bad: "I kinda rewrote the deploy script from scratch.",
        good: "The first version was fragile, but it shipped.",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:kinda|sorta)\s+)",
        ..E
    },
    PhraseRow {
        id: "more-or-less",
        code: Hedge,
        message: "“more or less” hedges your claim: say what you did, or how much",
        bad: "We more or less rewrote the whole deploy system.",
        good: "We rewrote the deploy system, more than doubling throughput.",
        replace: &[""],
        pattern: r"\b(?P<hit>more\s+or\s+less\s+)",
        ..E
    },
    PhraseRow {
        id: "pretty-much",
        code: Hedge,
        message: "“pretty much” hedges your claim: say it plainly",
        bad: "I pretty much rewrote the alerting rules.",
        good: "The dashboards were pretty and useful.",
        replace: &[""],
        pattern: r"\b(?P<hit>pretty\s+much\s+)",
        ..E
    },
    PhraseRow {
        id: "to-some-extent",
        code: Hedge,
        message: "“to some extent” hedges your claim: say how much",
        bad: "To some extent, the migration fixed the flaky tests.",
        good: "The migration fixed 90% of the flaky tests.",
        pattern: r"\bto\s+(?:some|a\s+certain)\s+(?:extent|degree)\b",
        ..E
    },
    PhraseRow {
        id: "might-have",
        code: Hedge,
        message: "“{phrase}” hedges your claim: say what happened, with evidence",
        bad: "It might have helped the team ship faster.",
        good: "We may have to shard the database next year.",
        replace: &["{past-of-participle:v}"],
        pattern: r"\b(?P<hit>(?:might|may)\s+have\s+(?P<v>been|(?:[a-z]+-)?{participle}))\b",
        ..E
    },
    PhraseRow {
        id: "not-sure",
        code: Hedge,
        message: "“{phrase}” undercuts your claim: state what you know, or leave it out",
        bad: "I'm not sure it was the right call, but we went with Consul.",
        good: "The team was not sure the cutover would work, so I rehearsed it twice.",
        pattern: r"\b(?:I['’]m|I\s+am|I\s+was|we['’]re|we\s+are|we\s+were)\s+not\s+(?:entirely\s+|totally\s+|completely\s+|100%\s+)?(?:sure|certain)\b",
        ..E
    },
    PhraseRow {
        id: "fairly-sure",
        code: Hedge,
        message: "“{phrase}” undercuts your claim: state what you know, with the evidence",
        bad: "I'm fairly sure the change prevented at least one outage.",
        good: "I made sure the change could be rolled back in one step.",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:I['’]m|I\s+am|I\s+was|we['’]re|we\s+are|we\s+were)\s+(?:fairly|pretty|reasonably|quite|almost|mostly)\s+(?:sure|certain|confident)\s+(?:that\s+)?)",
        // What follows must be the claim itself, which the fix keeps.
        unless_after: r"(?:in|about|of|with|it\s+was\s+worth)\b",
        ..E
    },
    PhraseRow {
        id: "not-sure-start",
        code: Hedge,
        message: "“{phrase}” undercuts your claim: state what you know, or leave it out",
        bad: "Not sure if it was the right call, but it worked.",
        good: "The team was not sure if it would work.",
        pattern: r"\bnot\s+(?:entirely\s+|totally\s+)?sure\s+(?:if|whether|how|that)\b",
        subject: Subject::Start,
        ..E
    },
    PhraseRow {
        id: "dare-say",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it",
        bad: "I dare to say the feature is 60% complete.",
        good: "Few dare to say no to the release manager.",
        replace: &[""],
        pattern: r"\b(?P<hit>I\s+dare\s+(?:to\s+)?say\s+)",
        ..E
    },
    PhraseRow {
        id: "id-say",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it",
        bad: "I'd say the biggest improvement was in developer experience.",
        good: "I'd do the database cutover in smaller batches next time.",
        replace: &[""],
        pattern: r"\b(?P<hit>(?:I['’]d|I\s+would|we['’]d|we\s+would)\s+say\s+(?:that\s+)?)",
        ..E
    },
    PhraseRow {
        id: "if-i-remember",
        code: Hedge,
        message: "“{phrase}” hedges your claim: check the number and state it",
        bad: "If I remember correctly, we had about 200 pages a month.",
        good: "We had about 200 pages a month.",
        pattern: r"\b(?:if\s+I\s+(?:remember|recall)\s+(?:correctly|right)|IIRC|AFAIK|as\s+far\s+as\s+I\s+(?:know|remember|can\s+tell))\b",
        ..E
    },
    PhraseRow {
        id: "in-my-opinion",
        code: Hedge,
        message: "“{phrase}” hedges your claim: state it and give the reason",
        bad: "In my opinion, the new runbooks mattered more than the tooling.",
        good: "The runbooks mattered more than the tooling: pages fell by half.",
        pattern: r"\b(?:in\s+my\s+(?:humble\s+)?opinion|IMO|IMHO)\b",
        ..E
    },
    // ---------------------------------------------------------------- passive-voice
    PhraseRow {
        id: "reduced-passive",
        code: PassiveVoice,
        message: "passive voice hides who acted (“{phrase}”): if it was you, say “I …”",
        bad: "Consumer lag reduced from 60,000 to 100.",
        good: "Error rates dropped from 4% to 0.1%.",
        // A bullet that is a noun phrase and a participle, with no be-form ("Proposal
        // submitted", "Access restricted to secondary accounts"). Whether the words before
        // are a noun phrase, and the participle a passive one, is decided on the sentence
        // (`analysis::wording`).
        pattern: r"(?P<hit>(?:\b[0-9][0-9.,]*(?:%|[kmb]\b)?\s+)?\b[a-z][a-z0-9'’&-]*(?:\s+[a-z0-9'’&-]+){0,3}?\s+(?:[a-z]+ly\s+)?(?P<w>{participle}|[a-z]+(?:ed|en|wn)))\b",
        subject: Subject::Start,
        unless_after: r"(?:[a-z]+\s+)?(?:automatically|itself|themselves)\b|on\s+(?:its|their)\s+own\b|by\b",
        unless_words: &["{stative}"],
        ..E
    },
    PhraseRow {
        id: "passive",
        code: PassiveVoice,
        message: "passive voice hides who acted (“{phrase}”): if it was you, say “I …”",
        bad: "The pipeline was deployed last year.",
        good: "The pipeline was deployed by the platform team.",
        // A past be-form (or "got"), up to two adverbs, a participle. Present-tense
        // passives ("logs are shipped to Loki") describe how a system works rather than
        // hide who did the work, so they are left alone.
        pattern: r"\b(?P<hit>(?:was|were|been|got|gotten)\s+(?:(?:not|never|also|all|then|later|both|already|since|still|first|each|being|just|only|soon|once|[a-z]+ly)\s+){0,2}(?P<w>{participle}|(?:[a-z]+-)?[a-z]+(?:ed|en|wn)))\b",
        subject: Subject::NotPerson,
        unless_before: r"\b(?:that|which|who|whom|where|when|whenever|if|unless|while)(?:\s+[a-z0-9'’-]+){0,4}?(?:\s+(?:have|has|had|all|also|since|already|then|later))*",
        // A machine did it: "tickets were closed automatically after 90 days".
        unless_after: r"(?:[a-z]+\s+)?(?:automatically|itself|themselves)\b|on\s+(?:its|their)\s+own\b",
        unless_words: &["{stative}"],
        needs_no_agent: true,
        ..E
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = ROWS.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate row ids");
        assert!(
            ROWS.iter()
                .all(|r| r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }
}
