#!/usr/bin/env python3
"""Materialise the labelled panel of public write-ups and verify the labels.

The panel's text is not committed (its licences are mostly unknown). This script
reads each source file from a local git mirror at the pinned commit, writes it to
a cache directory, and checks that every labelled sentence is still found at its
line with the recorded SHA-256.

    python3 tests/panel/materialise.py            # materialise + verify
    python3 tests/panel/materialise.py --dump S07 # print S07's sentences (for labelling)
    python3 tests/panel/materialise.py --set holdout          # the held-out panel
    python3 tests/panel/materialise.py --set holdout --dump H03
    python3 tests/panel/materialise.py --set test             # the final test panel

Environment:
    PANEL_MIRRORS  folder holding the mirrors (default /work/.mirror); a mirror of
                   owner/name is looked for at <root>/<owner>+<name>/repo, then
                   <root>/<owner>+<name>, then <root>/<owner>/<name>.
    PANEL_CACHE    cache folder (default ~/.cache/reframe-panel); files land in
                   <cache>/files/<id>.md (other sets: <cache>/<set>/files/<id>.md)

Sets: `--set panel` (default) reads sources.tsv / labels.tsv next to this script;
`--set holdout` reads holdout/sources.tsv / holdout/labels.tsv (a panel labelled
blind, never looked at while tuning the rules); `--set test` reads test/sources.tsv /
test/labels.tsv (a third panel, labelled blind and reported only as counts).  All
sets use the same extraction.

Python 3.11, standard library only.  The sentence extraction defined here
(`extract_sentences`) is the single definition used for hashing and by eval.py.

Sentence extraction, in short
-----------------------------
1. Lines are split on "\\n" (a trailing "\\r" is dropped).  YAML (---) or TOML (+++)
   front matter at the top, fenced code (``` / ~~~), HTML comments, tables (lines
   starting with "|"), thematic breaks, link-reference definitions and lines made
   only of HTML tags are not prose.
2. ATX headings (# ...) and setext headings (a one-line paragraph underlined with
   === or ---) set the current heading.  A one-line block whose text is entirely
   bold, or is at most six words and ends with ":", is a pseudo-heading too
   ("**Milestones achieved:**", "Situation:").
3. Blocks: a list item (-, *, +, 1., 1)) starts a block, continuation lines join
   it; a paragraph is consecutive non-blank lines.  Blockquote markers are
   stripped.  A block ends at a blank line, a heading or a non-prose line.
4. Inline markup is removed while every kept character remembers its source
   line and UTF-16 column: images vanish; links [t](u), [t][r] keep t; autolinks
   and HTML tags vanish; Liquid/Hugo {% %} {{ }} vanish; the entities &amp; &lt;
   &gt; &quot; &#39; &nbsp; &ndash; &mdash; &#N; become their character; a
   backslash escape keeps the escaped character; backticks, "**", "__", "~~",
   "*" vanish, and "_" vanishes unless it sits between two letters/digits.
   A list marker and a task box ([ ] / [x]) vanish.
5. Runs of whitespace (line joins included) become one space; the block is trimmed.
6. The block splits into sentences after ".", "!", "?" or "…" (plus any closing
   quotes/brackets) followed by whitespace, except after a common abbreviation
   (ABBREVIATIONS), an initial ("J."), or a dotted acronym ("e.g.", "U.S.").
7. A sentence is kept when it contains a letter.  Its text is trimmed; its line
   is the 1-based line of its first character; its sha256 is over the UTF-8 text.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources.tsv"
LABELS = HERE / "labels.tsv"
SETS = {"panel": HERE, "holdout": HERE / "holdout", "test": HERE / "test", "test2": HERE / "test2", "test3": HERE / "test3", "test4": HERE / "test4"}
CURRENT_SET = "panel"


def use_set(name: str) -> None:
    """Point SOURCES / LABELS / the cache at one of SETS ("panel", "holdout" or "test")."""
    global SOURCES, LABELS, CURRENT_SET
    if name not in SETS:
        raise SystemExit(f"unknown set {name!r} (known: {', '.join(SETS)})")
    CURRENT_SET = name
    SOURCES = SETS[name] / "sources.tsv"
    LABELS = SETS[name] / "labels.tsv"

ABBREVIATIONS = {
    "e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "prof.", "st.",
    "no.", "approx.", "inc.", "ltd.", "jr.", "sr.", "fig.", "cf.", "al.", "co.",
    "corp.", "dept.", "est.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.",
    "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "a.m.", "p.m.", "u.s.",
    "ph.d.", "b.sc.", "m.sc.", "resp.", "incl.", "min.", "max.", "avg.", "ca.",
}

ENTITIES = {
    "amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " ",
    "ndash": "\u2013", "mdash": "\u2014", "hellip": "\u2026", "rsquo": "\u2019",
    "lsquo": "\u2018", "rdquo": "\u201d", "ldquo": "\u201c",
}


@dataclasses.dataclass
class Sentence:
    """One extracted sentence; positions are 0-based (line, UTF-16 column)."""

    line: int  # 1-based line of the first character
    text: str
    heading: str
    start: tuple[int, int]  # first kept character
    end: tuple[int, int]  # just after the last kept character
    region_start: tuple[int, int]  # diagnostics at or after this belong here
    region_end: tuple[int, int]  # ... and before this
    block: int  # index of the block (paragraph / list item)
    chars: list = dataclasses.field(repr=False, default_factory=list)  # (ch, line0, col16)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def locate(self, phrase: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Source span (0-based line, UTF-16 col) of the first occurrence of phrase."""
        i = self.text.lower().find(phrase.lower())
        if i < 0 or not phrase:
            return None
        a = self.chars[i]
        b = self.chars[i + len(phrase) - 1]
        return (a[1], a[2]), (b[1], b[2] + utf16_len(b[0]))


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def utf16_columns(line: str) -> list[int]:
    """cols[i] = UTF-16 offset of python index i (len(line)+1 entries)."""
    cols = [0]
    for ch in line:
        cols.append(cols[-1] + utf16_len(ch))
    return cols


# A "pairs" list is [(char, python_index_in_line)] for one line.


def _sub(pairs, pattern, keep_group=None, replace=None, flags=0):
    """Apply a regex over the characters of pairs.

    keep_group: the match is replaced by that group's characters (with positions).
    replace: callable(match) -> str, the match becomes that string, every new
             character placed at the match's first position.
    neither: the match is removed.
    """
    s = "".join(c for c, _ in pairs)
    out = []
    last = 0
    for m in re.finditer(pattern, s, flags):
        out.extend(pairs[last:m.start()])
        if keep_group is not None:
            out.extend(pairs[m.start(keep_group):m.end(keep_group)])
        elif replace is not None:
            pos = pairs[m.start()][1]
            out.extend((c, pos) for c in replace(m))
        last = m.end()
    out.extend(pairs[last:])
    return out


def _entity(m):
    name = m.group(1)
    if name.startswith("#x") or name.startswith("#X"):
        try:
            return chr(int(name[2:], 16))
        except ValueError:
            return m.group(0)
    if name.startswith("#"):
        try:
            return chr(int(name[1:]))
        except ValueError:
            return m.group(0)
    return ENTITIES.get(name, m.group(0))


def clean_inline(pairs):
    """Remove inline markdown/HTML markup, keeping source positions."""
    pairs = _sub(pairs, r"\{%.*?%\}|\{\{.*?\}\}")  # Liquid / Hugo
    pairs = _sub(pairs, r"!\[[^\]]*\]\([^)]*\)")  # images
    pairs = _sub(pairs, r"!\[[^\]]*\]\[[^\]]*\]")
    pairs = _sub(pairs, r"\[([^\]]+)\]\([^)]*\)", keep_group=1)  # inline links
    pairs = _sub(pairs, r"\[([^\]]+)\]\[[^\]]*\]", keep_group=1)  # reference links
    pairs = _sub(pairs, r"<(?:https?|mailto):[^>\s]*>")  # autolinks
    pairs = _sub(pairs, r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")  # HTML tags
    pairs = _sub(pairs, r"&(#?[A-Za-z0-9]+);", replace=_entity)
    pairs = _sub(pairs, r"\\([\\`*_{}\[\]()#+\-.!|>~])", keep_group=1)
    pairs = _sub(pairs, r"`+")
    pairs = _sub(pairs, r"\*\*|__|~~")
    pairs = _sub(pairs, r"\*")
    s = "".join(c for c, _ in pairs)
    out = []
    for i, (c, p) in enumerate(pairs):
        if c == "_":
            prev = s[i - 1] if i > 0 else " "
            nxt = s[i + 1] if i + 1 < len(s) else " "
            if not (prev.isalnum() and nxt.isalnum()):
                continue
        out.append((c, p))
    return out


RE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
RE_ATX = re.compile(r"^\s{0,3}(#{1,6})(\s+|$)(.*?)\s*#*\s*$")
RE_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
RE_HR = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
RE_LIST = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])(\s+|$)")
RE_TASK = re.compile(r"^\[[ xX]\]\s+")
RE_LINKDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
RE_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
RE_LABEL = re.compile(r"^([A-Z][\w/&' ()-]{0,30}?)\s*:\s")
RE_BOLD_ONLY = re.compile(r"^\s*(?:[-*+]\s+)?(\*\*|__)[^*_]+(\*\*|__)\s*:?\s*$")


def _heading_text(raw: str) -> str:
    pairs = clean_inline([(c, i) for i, c in enumerate(raw)])
    return re.sub(r"\s+", " ", "".join(c for c, _ in pairs)).strip()


def _is_html_only(line: str) -> bool:
    stripped = re.sub(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", "", line)
    return line.strip() != "" and stripped.strip() == "" and "<" in line


def _blockquote_strip(line: str) -> tuple[str, int]:
    """Strip leading '>' markers; returns (rest, python index where rest starts)."""
    m = re.match(r"^(\s{0,3}>\s?)+", line)
    if not m:
        return line, 0
    return line[m.end():], m.end()


def _split_sentences(chars):
    """chars: [(ch, line0, col16)] of a cleaned block -> list of char-lists."""
    text = "".join(c for c, _, _ in chars)
    out = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in ".!?\u2026":
            j = i + 1
            while j < n and text[j] in ".!?\u2026":
                j += 1
            while j < n and text[j] in "\"'\u201d\u2019)]*":
                j += 1
            if j >= n or text[j].isspace():
                ok = True
                if c == "." and j == i + 1 or (c == "." and text[i + 1:j].strip("\"'\u201d\u2019)]*") == ""):
                    # token ending at this full stop
                    k = i
                    while k > start and not text[k - 1].isspace():
                        k -= 1
                    token = text[k:i + 1].lower().lstrip("(\"'\u201c\u2018[")
                    if token in ABBREVIATIONS:
                        ok = False
                    elif re.fullmatch(r"[a-z]\.", token):
                        ok = False  # initial
                    elif re.fullmatch(r"([a-z]\.){2,}", token):
                        ok = False  # dotted acronym
                if ok:
                    out.append(chars[start:j])
                    start = j
                    i = j
                    continue
            i = j
            continue
        i += 1
    if start < n:
        out.append(chars[start:])
    return out


def _trim(chars):
    a, b = 0, len(chars)
    while a < b and chars[a][0].isspace():
        a += 1
    while b > a and chars[b - 1][0].isspace():
        b -= 1
    return chars[a:b]


def extract_sentences(text: str) -> list[Sentence]:
    """The panel's one deterministic sentence extraction (see module docstring)."""
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    cols = [utf16_columns(ln) for ln in lines]
    n = len(lines)
    sentences: list[Sentence] = []
    heading = ""
    blocks: list[dict] = []  # {"lines": [(line0, content_start_index)], "list": bool}
    cur = None

    def close():
        nonlocal cur
        if cur is not None:
            blocks.append(cur)
        cur = None

    i = 0
    # front matter
    if n and lines[0].strip() in ("---", "+++"):
        fence = lines[0].strip()
        for j in range(1, n):
            if lines[j].strip() in (fence, "...") :
                i = j + 1
                break
    in_fence = None
    in_comment = False
    while i < n:
        raw = lines[i]
        # HTML comments (may span lines): blank them out, keep positions
        line = raw
        if in_comment:
            end = line.find("-->")
            if end < 0:
                i += 1
                close()
                continue
            line = " " * (end + 3) + line[end + 3:]
            in_comment = False
        while "<!--" in line:
            a = line.find("<!--")
            b = line.find("-->", a + 4)
            if b < 0:
                line = line[:a]
                in_comment = True
                break
            line = line[:a] + " " * (b + 3 - a) + line[b + 3:]
        if in_fence:
            if re.match(r"^\s{0,3}" + re.escape(in_fence[0]) + "{" + str(len(in_fence)) + ",}\\s*$", line):
                in_fence = None
            i += 1
            continue
        m = RE_FENCE.match(line)
        if m:
            close()
            in_fence = m.group(1)
            i += 1
            continue
        body, qoff = _blockquote_strip(line)
        if body.strip() == "":
            close()
            i += 1
            continue
        m = RE_ATX.match(body)
        if m:
            close()
            heading = _heading_text(m.group(3))
            i += 1
            continue
        if RE_SETEXT.match(body) and cur is not None and not cur["list"] and len(cur["lines"]) == 1:
            l0, off = cur["lines"][0]
            heading = _heading_text(lines[l0][off:])
            cur = None
            i += 1
            continue
        if RE_HR.match(body) or RE_TABLE_SEP.match(body) or body.lstrip().startswith("|") \
                or RE_LINKDEF.match(body) or _is_html_only(body):
            close()
            i += 1
            continue
        lm = RE_LIST.match(body)
        if lm:
            close()
            start = qoff + lm.end()
            tm = RE_TASK.match(line[start:])
            if tm:
                start += tm.end()
            cur = {"lines": [(i, start)], "list": True, "heading": heading, "text": {i: line}}
            i += 1
            continue
        content_start = qoff + (len(body) - len(body.lstrip()))
        if cur is None:
            cur = {"lines": [(i, content_start)], "list": False, "heading": heading}
        else:
            cur["lines"].append((i, content_start))
        # remember the comment-blanked text for this line
        cur.setdefault("text", {})[i] = line
        i += 1
    close()

    for bi, blk in enumerate(blocks):
        chars = []
        texts = blk.get("text", {})
        for k, (l0, off) in enumerate(blk["lines"]):
            src = texts.get(l0, lines[l0])
            pairs = [(c, p) for p, c in enumerate(src) if p >= off]
            pairs = clean_inline(pairs)
            if k > 0:
                prev_l = blk["lines"][k - 1][0]
                chars.append((" ", prev_l, cols[prev_l][-1]))
            chars.extend((c, l0, cols[l0][p]) for c, p in pairs)
        # collapse whitespace
        collapsed = []
        for ch in chars:
            if ch[0].isspace():
                if collapsed and collapsed[-1][0] == " ":
                    continue
                collapsed.append((" ", ch[1], ch[2]))
            else:
                collapsed.append(ch)
        collapsed = _trim(collapsed)
        if not collapsed:
            continue
        btext = "".join(c for c, _, _ in collapsed)
        # pseudo-heading: one-line block, all bold or short label ending with ':'
        if len(blk["lines"]) == 1:
            src = texts.get(blk["lines"][0][0], lines[blk["lines"][0][0]])
            if RE_BOLD_ONLY.match(src) or (not blk["list"] and len(btext.split()) <= 6 and btext.endswith(":")):
                pseudo = btext.rstrip(":").strip()
                # the following blocks under the same real heading inherit it
                for later in blocks[bi + 1:]:
                    if later["heading"] != blk["heading"]:
                        break
                    later["pseudo"] = pseudo
                continue
        sec = blk.get("pseudo") or blk["heading"]
        lab = RE_LABEL.match(btext)
        if lab and len(lab.group(1).split()) <= 4:
            sec = f"{sec} / {lab.group(1).strip()}" if sec else lab.group(1).strip()
        parts = [_trim(p) for p in _split_sentences(collapsed)]
        parts = [p for p in parts if p and any(c.isalpha() for c, _, _ in p)]
        first_line = blk["lines"][0][0]
        last_line = blk["lines"][-1][0]
        block_sents = []
        for p in parts:
            t = "".join(c for c, _, _ in p)
            last = p[-1]
            block_sents.append(Sentence(
                line=p[0][1] + 1,
                text=t,
                heading=sec,
                start=(p[0][1], p[0][2]),
                end=(last[1], last[2] + utf16_len(last[0])),
                region_start=(p[0][1], p[0][2]),
                region_end=(last_line, cols[last_line][-1] + 1),
                block=bi,
                chars=p,
            ))
        for k, s in enumerate(block_sents):
            if k == 0:
                s.region_start = (first_line, 0)
            if k + 1 < len(block_sents):
                s.region_end = block_sents[k + 1].region_start
        sentences.extend(block_sents)
    return sentences


# ----------------------------------------------------------------------------
# sources / labels / mirrors


def read_tsv(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        header = None
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                if header is None:
                    header = [h.strip() for h in line.lstrip("#").split("\t")]
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            cells += [""] * (len(header) - len(cells))
            rows.append(dict(zip(header, cells)))
    return rows


def read_sources() -> list[dict]:
    return read_tsv(SOURCES)


def read_labels() -> list[dict]:
    rows = read_tsv(LABELS)
    for r in rows:
        r["line"] = int(r["line"])
        r["codes_list"] = [] if r["codes"].strip() in ("-", "") else [c.strip() for c in r["codes"].split(",")]
        phrases = {}
        if r["phrases"].strip() not in ("-", ""):
            for part in r["phrases"].split(" | "):
                code, _, phrase = part.partition("=")
                phrases.setdefault(code.strip(), []).append(phrase.strip())
        r["phrases_map"] = phrases
        r["unsure"] = r.get("notes", "").strip().lower().startswith("unsure")
    return rows


def mirrors_root() -> Path:
    return Path(os.environ.get("PANEL_MIRRORS", "/work/.mirror"))


def cache_dir() -> Path:
    base = Path(os.environ.get("PANEL_CACHE", Path.home() / ".cache" / "reframe-panel"))
    if CURRENT_SET != "panel":
        return base / CURRENT_SET / "files"
    return base / "files"


def git_dir_for(repo: str) -> Path | None:
    owner, name = repo.split("/", 1)
    root = mirrors_root()
    for cand in (root / f"{owner}+{name}" / "repo", root / f"{owner}+{name}", root / owner / name):
        if cand.is_dir() and (cand / "HEAD").exists():
            return cand
        if (cand / ".git" / "HEAD").exists():  # a snapshot that arrived as repo/.git
            return cand / ".git"
    return None


def read_source_text(src: dict) -> str:
    gd = git_dir_for(src["repo"])
    if gd is None:
        raise RuntimeError(f"no mirror of {src['repo']} under {mirrors_root()} (fetch github:{src['repo']})")
    out = subprocess.run(
        ["git", "--git-dir", str(gd), "show", f"{src['commit']}:{src['path']}"],
        capture_output=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"git show {src['commit'][:12]}:{src['path']} in {gd}: {out.stderr.decode(errors='replace').strip()}")
    return out.stdout.decode("utf-8")


def materialise(verbose: bool = True) -> tuple[int, int]:
    """Returns (sources that failed, labels that mismatched)."""
    sources = read_sources()
    labels = read_labels() if LABELS.exists() else []
    by_source: dict[str, list[dict]] = {}
    for lab in labels:
        by_source.setdefault(lab["source_id"], []).append(lab)
    out_dir = cache_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    mismatched = 0
    known = {s["id"] for s in sources}
    for sid in by_source:
        if sid not in known:
            print(f"labels refer to unknown source {sid}", file=sys.stderr)
            mismatched += len(by_source[sid])
    for src in sources:
        try:
            text = read_source_text(src)
        except (RuntimeError, UnicodeDecodeError) as e:
            print(f"{src['id']}: cannot materialise: {e}", file=sys.stderr)
            failed += 1
            continue
        (out_dir / f"{src['id']}.md").write_text(text, encoding="utf-8")
        sents = extract_sentences(text)
        index = {(s.line, s.sha256) for s in sents}
        nlines = text.count("\n") + 1
        bad = 0
        for lab in by_source.get(src["id"], []):
            if lab["line"] > nlines:
                print(f"{src['id']}:{lab['line']}: line does not exist", file=sys.stderr)
                bad += 1
            elif (lab["line"], lab["sha256"]) not in index:
                print(f"{src['id']}:{lab['line']}: no sentence on that line hashes to {lab['sha256'][:12]}…", file=sys.stderr)
                bad += 1
        mismatched += bad
        if verbose:
            print(f"{src['id']}: {src['repo']}:{src['path']} ok, {len(by_source.get(src['id'], []))} labels, {bad} mismatched")
    print(f"materialised into {out_dir}: {len(sources) - failed}/{len(sources)} sources, {mismatched} label mismatches")
    return failed, mismatched


def dump(sid: str) -> None:
    src = next((s for s in read_sources() if s["id"] == sid), None)
    if src is None:
        sys.exit(f"unknown source {sid}")
    text = read_source_text(src)
    per_line: dict[int, int] = {}
    for s in extract_sentences(text):
        per_line[s.line] = per_line.get(s.line, 0) + 1
        print(f"{s.line}.{per_line[s.line]}\t{s.sha256[:10]}\t[{s.heading}]\t{s.text}")


def main(argv: list[str]) -> int:
    if "--set" in argv:
        k = argv.index("--set")
        if k + 1 >= len(argv):
            raise SystemExit(f"--set needs a name ({', '.join(SETS)})")
        use_set(argv[k + 1])
        argv = argv[:k] + argv[k + 2:]
    if len(argv) >= 2 and argv[0] == "--dump":
        for sid in argv[1:]:
            dump(sid)
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    failed, mismatched = materialise()
    if failed:
        return 2
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
