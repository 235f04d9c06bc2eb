#!/usr/bin/env python3
"""Batch benchmark: `reframe check` against `rumdl check --no-cache` on N write-ups.

Generates N write-ups (variants of the files in examples/: each copy gets its own title
and a numbered comment, so no two files are the same text), installs rumdl from PyPI
into a virtual environment of its own, then runs reframe (in each format asked for) and
rumdl alternately, several runs, and reports the median wall time and the median peak
resident memory of each, with the ratio rumdl time / reframe time (above 1: reframe is
faster). Output goes to /dev/null; peak memory is the child's `ru_maxrss` (wait4).

    python3 benches/batch.py                       # 3,000 files, 5 runs, builds --release
    python3 benches/batch.py --files 300,30000 --runs 3 --formats human
    python3 benches/batch.py --reframe /tmp/reframe-base --json

Needs python3 (3.8+, with venv and pip) and, unless --reframe is given, cargo.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--files", default="3000",
                   help="comma-separated numbers of write-ups (default 3000)")
    p.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    p.add_argument("--formats", default="human,json,sarif",
                   help="reframe --format values to time (default human,json,sarif)")
    p.add_argument("--reframe", type=Path,
                   help="reframe binary (default: cargo build --release, target/release/reframe)")
    p.add_argument("--baseline", type=Path,
                   help="a second reframe binary timed the same way (e.g. an older build)")
    p.add_argument("--jobs", help="pass --jobs N to reframe check")
    p.add_argument("--rumdl-version", default="0.3.0", help="rumdl version from PyPI")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/reframe-batch-bench"),
                   help="where the write-ups and the virtual environment go")
    p.add_argument("--warmup", type=int, default=1,
                   help="untimed rounds first, to fill the file cache (default 1)")
    p.add_argument("--json", action="store_true", help="print the results as JSON only")
    return p.parse_args()


def say(args, text):
    if not args.json:
        print(text, file=sys.stderr, flush=True)


def generate(folder: Path, count: int):
    """N write-ups from examples/*.md, each a little different."""
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(count):
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    sources = sorted((ROOT / "examples").glob("*.md"))
    texts = [s.read_text(encoding="utf-8") for s in sources]
    for i in range(count):
        text = texts[i % len(texts)]
        # A different title line (front matter or first heading) and a trailing comment.
        text = text.replace("title: ", f"title: {i} ", 1)
        text += f"\n<!-- generated write-up {i} -->\n"
        (folder / f"writeup-{i:05d}.md").write_text(text, encoding="utf-8")
    marker.write_text(str(count))


def install_rumdl(args) -> Path:
    venv = args.workdir / "venv"
    rumdl = venv / "bin" / "rumdl"
    if rumdl.exists():
        version = subprocess.run([str(rumdl), "--version"], capture_output=True, text=True)
        if args.rumdl_version in version.stdout:
            return rumdl
    say(args, f"installing rumdl=={args.rumdl_version} into {venv}")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet",
                    f"rumdl=={args.rumdl_version}"], check=True)
    return rumdl


def build_reframe(args) -> Path:
    if args.reframe:
        return args.reframe.resolve()
    say(args, "cargo build --release --bin reframe")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "reframe"],
                   cwd=ROOT, check=True)
    return ROOT / "target" / "release" / "reframe"


def measure(command, cwd: Path):
    """Wall time (s) and peak RSS (MB) of one run; the exit status must be 0 or 1."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen(command, cwd=cwd, stdout=null, stderr=subprocess.PIPE)
        stderr = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, command))} exited {code}: {stderr[-2000:]!r}")
    return wall, usage.ru_maxrss / 1024.0


def main():
    args = parse_args()
    counts = [int(n) for n in args.files.split(",")]
    formats = [f for f in args.formats.split(",") if f]
    args.workdir.mkdir(parents=True, exist_ok=True)
    rumdl = install_rumdl(args)
    reframe = build_reframe(args)
    binaries = [("reframe", reframe)]
    if args.baseline:
        binaries.append(("baseline", args.baseline.resolve()))
    results = []
    for count in counts:
        folder = args.workdir / f"writeups-{count}"
        say(args, f"generating {count} write-ups in {folder}")
        generate(folder, count)
        commands = {}
        for name, binary in binaries:
            for fmt in formats:
                command = [str(binary), "check", "--format", fmt]
                if args.jobs:
                    command += ["--jobs", args.jobs]
                commands[f"{name} {fmt}"] = command + [folder.name]
        commands["rumdl"] = [str(rumdl), "check", "--no-cache", folder.name]
        samples = {key: [] for key in commands}
        # Warm-up rounds (file cache), then the runs, every command once per round.
        for _ in range(args.warmup):
            for key, command in commands.items():
                measure(command, args.workdir)
        for run in range(args.runs):
            for key, command in commands.items():
                samples[key].append(measure(command, args.workdir))
            say(args, f"  {count} files: run {run + 1}/{args.runs} done")
        rumdl_wall = statistics.median(w for w, _ in samples["rumdl"])
        for key, runs in samples.items():
            wall = statistics.median(w for w, _ in runs)
            rss = statistics.median(r for _, r in runs)
            results.append({
                "files": count,
                "command": key,
                "wall_s": round(wall, 3),
                "peak_rss_mb": round(rss, 1),
                "rumdl_over_this": round(rumdl_wall / wall, 2),
                "runs": len(runs),
            })
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"\nmedians of {args.runs} alternating runs; ratio = rumdl wall time / this wall time\n")
    print("| files | command | wall time | peak RSS | ratio |")
    print("|---:|---|---:|---:|---:|")
    for r in results:
        print(f"| {r['files']:,} | {r['command']} | {r['wall_s']:.2f} s | "
              f"{r['peak_rss_mb']:.1f} MB | {r['rumdl_over_this']:.2f} |")


if __name__ == "__main__":
    main()
