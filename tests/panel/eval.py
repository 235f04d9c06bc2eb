#!/usr/bin/env python3
"""Score reframe's wording rules against the labelled panel.

    python3 tests/panel/eval.py --reframe target/debug/reframe          # report
    python3 tests/panel/eval.py --reframe target/debug/reframe --json   # figures as JSON
    python3 tests/panel/eval.py --set holdout --reframe target/debug/reframe  # held-out panel
    python3 tests/panel/eval.py --set test --reframe target/debug/reframe     # final test panel

Steps: materialise the panel into the cache (see materialise.py; skipped with
--no-materialise when the cache is already there), write a .reframe.toml with
`writeups = ["*.md"]` into the cache's files folder, run

    reframe check --format json --fail-on never <files>

and map every diagnostic whose code is one of RULES to the labelled sentence that
contains its start position (same sentence-extraction as materialise.py: the
diagnostic's 0-based line and UTF-16 column fall inside the sentence's region;
a sentence's region runs from its first character, or from the start of its block
for the first sentence of a paragraph / list item, up to the next sentence).

Scoring is per (sentence, rule): TP = labelled with the rule and at least one
finding of the rule on the sentence; FP = a finding of the rule on a labelled
sentence whose labels lack the rule; FN = labelled with the rule but no finding.
Sentences whose notes start with "unsure" are excluded. Findings on sentences that
are not labelled (or on no sentence at all) are listed as "unjudged".
"located" counts the TPs where some finding's range overlaps the labelled phrase.

Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import materialise as mat  # noqa: E402

RULES = ("weak-verb", "minimizer", "hedge", "passive-voice")


def judge_fixes(diagnostic: dict, sentence: "mat.Sentence", label: dict) -> None:
    """TODO: judge the fixes a finding offers (not called yet).

    The current server puts code actions elsewhere (not in the check JSON), so
    there is nothing to score here.  A developer can fill this in once fixes are
    reachable: e.g. check that applying the fix removes the labelled phrase and
    keeps the sentence grammatical, and count good / bad fixes per rule.
    """
    raise NotImplementedError


def run_reframe(binary: str, files_dir: Path, files: list[Path]) -> list[dict]:
    (files_dir / ".reframe.toml").write_text('writeups = ["*.md"]\n', encoding="utf-8")
    cmd = [binary, "check", "--format", "json", "--fail-on", "never", *[str(f) for f in files]]
    out = subprocess.run(cmd, capture_output=True, cwd=files_dir)
    if out.returncode != 0:
        sys.stderr.write(out.stderr.decode(errors="replace"))
        sys.exit(f"reframe exited with {out.returncode}: {' '.join(cmd)}")
    try:
        return json.loads(out.stdout.decode("utf-8"))
    except json.JSONDecodeError as e:
        sys.stderr.write(out.stdout.decode(errors="replace")[:2000])
        sys.exit(f"reframe output is not JSON: {e}")


def code_of(diag: dict) -> str:
    code = diag.get("code")
    if isinstance(code, dict):  # tolerate {"value": ...}
        code = code.get("value")
    code = str(code or "")
    for sep in ("/", ":"):
        if sep in code:
            code = code.rsplit(sep, 1)[1]
    return code


def pos(p: dict) -> tuple[int, int]:
    return int(p["line"]), int(p["character"])


def find_sentence(sents: list, at: tuple[int, int]):
    """The sentence whose region contains `at`, else None."""
    for s in sents:
        if s.region_start <= at < s.region_end:
            return s
    return None


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


HTML_START = re.compile(r"^ {0,3}</?[A-Za-z][A-Za-z0-9-]*(?:\s|/?>|$)")
RAW_START = re.compile(r"^ {0,3}<(script|pre|style|textarea)(?:\s|>|$)", re.I)


def html_lines(text: str) -> set[int]:
    """1-based lines inside HTML blocks as CommonMark reads them (raw blocks to their
    closing tag, other HTML blocks to the next blank line). reframe never reads prose
    there by design, so labels on those lines are excluded from scoring."""
    inside: set[int] = set()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        raw = RAW_START.match(lines[i])
        if raw:
            close = re.compile(rf"</{raw.group(1)}>", re.I)
            j = i
            while j < len(lines) and not close.search(lines[j]):
                j += 1
            inside.update(range(i + 1, min(j, len(lines) - 1) + 2))
            i = j + 1
            continue
        if HTML_START.match(lines[i]):
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            inside.update(range(i + 1, j + 1))
            i = j
            continue
        i += 1
    return inside


def evaluate(binary: str, do_materialise: bool = True) -> dict:
    if do_materialise:
        failed, mismatched = mat.materialise(verbose=False)
        if failed:
            sys.exit("some sources could not be materialised (see above)")
        if mismatched:
            print(f"warning: {mismatched} labels do not match their source", file=sys.stderr)
    files_dir = mat.cache_dir()
    sources = mat.read_sources()
    labels = mat.read_labels()
    files = [files_dir / f"{s['id']}.md" for s in sources]
    missing = [f for f in files if not f.exists()]
    if missing:
        sys.exit(f"missing materialised files, run materialise.py: {missing[:3]}")

    sents_by_src = {s["id"]: mat.extract_sentences((files_dir / f"{s['id']}.md").read_text(encoding="utf-8")) for s in sources}
    # label lookup: (source, line, sha) -> label
    lab_index = {(l["source_id"], l["line"], l["sha256"]): l for l in labels}

    def label_for(sid, sent):
        return lab_index.get((sid, sent.line, sent.sha256))

    result = run_reframe(binary, files_dir, files)
    findings: dict[tuple, list] = {}  # (sid, line, sha, code) -> [diag]
    unjudged = []
    excluded = 0
    for entry in result:
        sid = Path(entry.get("path", "")).stem
        if sid not in sents_by_src:
            continue
        for d in entry.get("diagnostics", []):
            code = code_of(d)
            if code not in RULES:
                continue
            start = pos(d["range"]["start"])
            sent = find_sentence(sents_by_src[sid], start)
            lab = label_for(sid, sent) if sent else None
            if lab is None:
                unjudged.append({"source": sid, "line": start[0] + 1, "code": code,
                                 "message": d.get("message", ""), "sentence": sent.text if sent else None})
                continue
            if lab["unsure"]:
                excluded += 1
                continue
            findings.setdefault((sid, lab["line"], lab["sha256"], code), []).append((d, sent))

    per = {r: {"tp": 0, "fp": 0, "fn": 0, "located": 0} for r in RULES}
    fps, fns = [], []
    html = {s["id"]: html_lines((files_dir / f"{s['id']}.md").read_text(encoding="utf-8")) for s in sources}
    in_html = [l for l in labels if not l["unsure"] and l["line"] in html.get(l["source_id"], set())]
    judged = [l for l in labels if not l["unsure"] and l["line"] not in html.get(l["source_id"], set())]
    sent_of = {}
    for sid, sents in sents_by_src.items():
        for s in sents:
            sent_of[(sid, s.line, s.sha256)] = s
    for lab in judged:
        key = (lab["source_id"], lab["line"], lab["sha256"])
        sent = sent_of.get(key)
        for rule in RULES:
            got = findings.get(key + (rule,), [])
            want = rule in lab["codes_list"]
            if want and got:
                per[rule]["tp"] += 1
                spans = [sent.locate(p) for p in lab["phrases_map"].get(rule, [])] if sent else []
                spans = [sp for sp in spans if sp]
                if any(overlaps((pos(d["range"]["start"]), pos(d["range"]["end"])), sp) for d, _ in got for sp in spans):
                    per[rule]["located"] += 1
            elif want:
                per[rule]["fn"] += 1
                fns.append({"source": lab["source_id"], "line": lab["line"], "code": rule,
                            "phrases": lab["phrases_map"].get(rule, []), "heading": lab["heading"],
                            "sentence": sent.text if sent else None})
            elif got:
                per[rule]["fp"] += 1
                fps.append({"source": lab["source_id"], "line": lab["line"], "code": rule,
                            "messages": [d.get("message", "") for d, _ in got], "heading": lab["heading"],
                            "notes": lab.get("notes", ""), "sentence": sent.text if sent else None})

    def ratios(c):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
        return {**c, "precision": p, "recall": r}

    overall = {k: sum(per[r][k] for r in RULES) for k in ("tp", "fp", "fn", "located")}
    return {
        "sentences_judged": len(judged),
        "sentences_unsure": len([l for l in labels if l["unsure"]]),
        "sentences_in_html": len(in_html),
        "weak_in_html": len([l for l in in_html if l["codes_list"]]),
        "rules": {r: ratios(per[r]) for r in RULES},
        "overall": ratios(overall),
        "unjudged_count": len(unjudged),
        "excluded_findings_on_unsure": excluded,
        "false_positives": fps,
        "false_negatives": fns,
        "unjudged": unjudged,
    }


def fmt(x):
    return "  n/a" if x is None else f"{x:5.2f}"


def print_report(res: dict) -> None:
    print(f"{mat.CURRENT_SET}: {res['sentences_judged']} judged sentences ({res['sentences_unsure']} unsure, excluded; "
          f"{res['sentences_in_html']} inside HTML blocks, {res['weak_in_html']} of them weak, excluded: reframe does not read HTML)\n")
    print(f"{'rule':<14} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'located':>8}")
    for name, c in list(res["rules"].items()) + [("overall", res["overall"])]:
        print(f"{name:<14} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} {fmt(c['precision']):>6} {fmt(c['recall']):>6} {c['located']:>8}")
    print(f"\nunjudged findings (on unlabelled text): {res['unjudged_count']}; findings on unsure sentences: {res['excluded_findings_on_unsure']}")
    print("\n== false positives (finding, but the label lacks the rule)")
    for f in res["false_positives"]:
        print(f"{f['source']}:{f['line']} [{f['code']}] {f['sentence']}")
        for m in f["messages"]:
            print(f"    finding: {m}")
        if f["notes"]:
            print(f"    label note: {f['notes']}")
    print("\n== false negatives (labelled, no finding)")
    for f in res["false_negatives"]:
        print(f"{f['source']}:{f['line']} [{f['code']}={'; '.join(f['phrases'])}] {f['sentence']}")
    print("\n== unjudged findings")
    for f in res["unjudged"]:
        print(f"{f['source']}:{f['line']} [{f['code']}] {f['message']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reframe", required=True, help="path to the reframe binary")
    ap.add_argument("--json", action="store_true", help="print the figures (and lists) as JSON")
    ap.add_argument("--no-materialise", action="store_true", help="use the cache as it is")
    ap.add_argument("--set", default="panel", choices=sorted(mat.SETS),
                    help="which labelled set: panel (default), holdout or test (both labelled blind)")
    args = ap.parse_args()
    mat.use_set(args.set)
    binary = str(Path(args.reframe).resolve()) if Path(args.reframe).exists() else args.reframe
    res = evaluate(binary, do_materialise=not args.no_materialise)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        print_report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
