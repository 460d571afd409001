#!/usr/bin/env python3
"""adoperm's organization-scale benchmark (README "Performance"). Not part of `swift test`.

  bench/run.py [p1] [scaling] [apply] [--sample-every 20] [--out bench/out] [--no-build]

p1       200 projects × 50 repos (10,000 repos), 2,000 pipelines, 10,000 requirements, served with --latency 50ms
         and --rate-limit ado (ADO's default 200 TSTU / 5 min). Runs `adoperm plan` (release build) and the naive
         SDK baseline bench/naive_sdk.py, each against its own fresh emulator of the same snapshot (so each starts
         with a full budget and its own request log), and prints per tool wall seconds, requests (from the
         emulator's --request-log), peak RSS and CPU (/usr/bin/time -v), the ratio, and the request-count lower
         bound × latency ÷ concurrency.
scaling  1,000 / 5,000 / 10,000 / 20,000 repos (50 per project, a pipeline per 5 repos, a requirement per repo)
         at 0 ms latency: plan wall, user+sys CPU, peak RSS, requests.
apply    an org whose plan proposes ACE changes; approves 100 of them, applies, and counts writes and reads.
Default: all three. Everything is generated under --out (git-ignored), deterministic (seed 1).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".build-release"
BIN = SCRATCH / "release"
PAT = "fake-pat-admin"
CONCURRENCY = 4  # adoperm's default --max-concurrency


def log(message):
    print(message, flush=True)


def build():
    # -g keeps debug info for bench/profile.sh (same scratch path, so one build serves both); it does not change
    # the optimized code.
    for product in ("adoperm", "ado-emulator"):
        log(f"building {product} (release)…")
        subprocess.run(["swift", "build", "-c", "release", "-Xswiftc", "-g", "--scratch-path", str(SCRATCH),
                        "--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def generate(directory, projects, repos, pipelines, requirements):
    directory.mkdir(parents=True, exist_ok=True)
    snapshot, manifest = directory / "org.json", directory / "org.yaml"
    started = time.monotonic()
    subprocess.run([str(BIN / "ado-emulator"), "generate", "--projects", str(projects), "--repos-per-project",
                    str(repos), "--pipelines", str(pipelines), "--requirements", str(requirements), "--seed", "1",
                    "-o", str(snapshot), "--manifest-out", str(manifest)], check=True, stdout=subprocess.DEVNULL)
    log(f"  generated {projects}×{repos} repos, {pipelines} pipelines, {requirements} requirements "
        f"in {time.monotonic() - started:.1f} s ({snapshot.stat().st_size / 1e6:.1f} MB)")
    return snapshot, manifest


class Emulator:
    """`ado-emulator serve` on a free port with a request log; stopped with SIGTERM."""

    def __init__(self, snapshot, request_log, latency="0ms", rate_limit=None):
        self.request_log = request_log
        arguments = [str(BIN / "ado-emulator"), "serve", str(snapshot), "--port", "0", "--latency", latency,
                     "--request-log", str(request_log), "--parent-pid", str(os.getpid())]
        if rate_limit:
            arguments += ["--rate-limit", rate_limit]
        self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"ado-emulator did not start (status {self.process.wait()})")

    def entries(self):
        # Lines are appended as requests complete; wait until the count stops moving.
        previous = -1
        while True:
            lines = self.request_log.read_text().splitlines()
            if len(lines) == previous:
                return [json.loads(line) for line in lines]
            previous = len(lines)
            time.sleep(0.3)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()


def timed(arguments, stdout_path, env=None):
    """Runs under /usr/bin/time -v: wall seconds, user+sys CPU seconds, peak RSS (MB), exit status."""
    time_file = stdout_path.with_suffix(".time")
    environment = dict(os.environ, ADOPERM_PAT=PAT, SOURCE_DATE_EPOCH="0", **(env or {}))
    started = time.monotonic()
    with open(stdout_path, "w") as out:
        status = subprocess.run(["/usr/bin/time", "-v", "-o", str(time_file)] + arguments, stdout=out,
                                env=environment).returncode
    wall = time.monotonic() - started
    text = time_file.read_text()

    def field(name):
        return float(re.search(re.escape(name) + r":\s*([0-9.]+)", text).group(1))

    return {"wall": wall, "cpu": field("User time (seconds)") + field("System time (seconds)"),
            "user": field("User time (seconds)"), "sys": field("System time (seconds)"),
            "rssMB": field("Maximum resident set size (kbytes)") / 1024, "status": status}


def request_stats(entries):
    return {
        "requests": len(entries),
        "writes": sum(1 for e in entries if e.get("isWrite")),
        "reads": sum(1 for e in entries if not e.get("isWrite")),
        "status429": sum(1 for e in entries if e.get("status") == 429),
        "delayed": sum(1 for e in entries if e.get("throttle") == "delayed"),
        "tstu": sum(e.get("tstu") or 0 for e in entries),
        "routes": route_counts(entries),
    }


def route_counts(entries):
    counts = {}
    for entry in entries:
        key = f"{entry['method']} {entry.get('route') or entry['path']}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def run_plan(directory, snapshot, manifest, latency, rate_limit=None):
    with Emulator(snapshot, directory / "plan-requests.jsonl", latency, rate_limit) as emulator:
        measured = timed([str(BIN / "adoperm"), "plan", "-m", str(manifest), "--org", emulator.url,
                          "-o", str(directory / "plan.json"), "--format", "json"], directory / "plan.out")
        measured.update(request_stats(emulator.entries()))
    if measured["status"] != 0:
        raise SystemExit(f"adoperm plan failed (status {measured['status']}), see {directory / 'plan.out'}")
    return measured


def lower_bound(plan_entries_stats, plan_document, latency_seconds):
    """One recursive ACL query per (namespace, project), the batched identity reads, one settings read per
    project (the issue's definition), × latency ÷ concurrency."""
    routes = plan_entries_stats["routes"]
    namespaces = {finding["namespace"]["id"] for finding in plan_document["findings"] if finding.get("namespace")}
    projects = sum(count for route, count in routes.items() if route.endswith("/{project}/_apis/build/generalsettings"))
    identity_reads = sum(count for route, count in routes.items() if route.startswith("GET /{org}/_apis/identities"))
    requests = len(namespaces) * projects + identity_reads + projects
    return {"namespaces": len(namespaces), "projects": projects, "identityReads": identity_reads,
            "requests": requests, "seconds": requests * latency_seconds / CONCURRENCY}


def p1(out, sample_every):
    directory = out / "p1"
    log("P1: 200 projects × 50 repos, 2,000 pipelines, 10,000 requirements, --latency 50ms --rate-limit ado")
    snapshot, manifest = generate(directory, 200, 50, 2000, 10000)
    plan = run_plan(directory, snapshot, manifest, "50ms", "ado")
    document = json.loads((directory / "plan.json").read_text())
    log(f"  adoperm plan: {plan['wall']:.1f} s wall, {plan['requests']} requests, {plan['rssMB']:.0f} MB")

    with Emulator(snapshot, directory / "naive-requests.jsonl", "50ms", "ado") as emulator:
        naive = timed([sys.executable, str(ROOT / "bench" / "naive_sdk.py"), emulator.url, str(manifest),
                       "--pat", PAT, "--sample-every", str(sample_every),
                       "--results", str(directory / "naive-results.jsonl")], directory / "naive.out")
        naive.update(request_stats(emulator.entries()))
    if naive["status"] != 0:
        raise SystemExit(f"naive_sdk.py failed (status {naive['status']}), see {directory / 'naive.out'}")
    lines = (directory / "naive.out").read_text().splitlines()
    totals = json.loads(lines[-1])
    factor = totals["extrapolationFactor"]

    # Does the naive recipe reach the same verdicts? (It cannot see group denies or token-scope limits.)
    verdicts = {f["requirement"]: f["status"] == "satisfied" for f in document["findings"]}
    naive_results = [json.loads(line) for line in (directory / "naive-results.jsonl").read_text().splitlines()]
    agree = sum(1 for r in naive_results if verdicts.get(r["id"]) == r["satisfied"])

    bound = lower_bound(plan, document, 0.050)
    # The run's fixed part (interpreter, SDK import, the namespace and org-settings reads) once; the per-requirement
    # loop (`seconds` in the script's totals) scaled to every requirement.
    naive_wall_all = naive["wall"] - totals["seconds"] + totals["seconds"] * factor
    naive_requests_all = naive["requests"] * factor
    rows = [
        ("adoperm plan (release)", f"{plan['wall']:.1f}", f"{plan['cpu']:.1f}", f"{plan['requests']:,}",
         f"{plan['tstu']:.0f}", f"{plan['status429']}/{plan['delayed']}", f"{plan['rssMB']:.0f}", "1×"),
        (f"naive SDK, sample 1/{sample_every} ({totals['checked']} req.)", f"{naive['wall']:.1f}",
         f"{naive['cpu']:.1f}", f"{naive['requests']:,}", f"{naive['tstu']:.0f}",
         f"{naive['status429']}/{naive['delayed']}", f"{naive['rssMB']:.0f}", "—"),
        (f"naive SDK, extrapolated ×{factor:g} to {totals['total']:,}", f"{naive_wall_all:.0f}", "—",
         f"{naive_requests_all:,.0f}", f"{naive['tstu'] * factor:.0f}", "—", "—",
         f"{naive_wall_all / plan['wall']:.0f}×"),
        (f"lower bound ({bound['requests']} requests × 50 ms ÷ {CONCURRENCY})", f"{bound['seconds']:.1f}", "—",
         f"{bound['requests']:,}", "—", "—", "—", f"plan = {plan['wall'] / bound['seconds']:.1f}× it"),
    ]
    table(("P1 (50 ms)", "wall s", "CPU s", "requests", "TSTU", "429/delayed", "peak RSS MB", "ratio"), rows)
    log(f"  naive extrapolation = fixed start {naive['wall'] - totals['seconds']:.1f} s + per-requirement loop "
        f"{totals['seconds']:.1f} s × {factor:g}; it ignores throttling, which the full run's "
        f"{naive['tstu'] * factor:.0f} TSTU (ADO blocks at 300 in 5 min) would hit")
    log(f"  naive verdicts agree with plan on {agree} of {len(naive_results)} sampled requirements")
    log(f"  lower bound: {bound['namespaces']} namespace(s) × {bound['projects']} projects ACL queries + "
        f"{bound['identityReads']} batched identity reads + {bound['projects']} settings reads")
    log("  plan requests by route: " + ", ".join(f"{route} {count}" for route, count in plan["routes"].items()))
    result = {"plan": plan, "naive": naive, "naiveTotals": totals, "lowerBound": bound, "agree": agree,
              "sampled": len(naive_results)}
    (directory / "result.json").write_text(json.dumps(result, indent=2))
    return result


def scaling(out):
    log("Scaling (0 ms latency, no rate limit): plan of 50 repos per project, a pipeline per 5 repos")
    rows, results = [], []
    for projects in (20, 100, 200, 400):
        repos = projects * 50
        directory = out / f"scale-{repos}"
        snapshot, manifest = generate(directory, projects, 50, repos // 5, repos)
        plan = run_plan(directory, snapshot, manifest, "0ms")
        results.append({"repos": repos, **plan})
        rows.append((f"{repos:,}", f"{plan['wall']:.2f}", f"{plan['user']:.2f}+{plan['sys']:.2f}",
                     f"{plan['cpu']:.2f}", f"{plan['rssMB']:.0f}", f"{plan['requests']:,}",
                     f"{plan['cpu'] / repos * 1e6:.0f}"))
    table(("repos", "wall s", "user+sys s", "CPU s", "peak RSS MB", "requests", "CPU µs/repo"), rows)
    (out / "scaling.json").write_text(json.dumps(results, indent=2))
    return results


def apply_scenario(out):
    sys.path.insert(0, str(ROOT / "bench"))
    import apply_bench  # noqa: E402

    return apply_bench.run(out / "apply", BIN, Emulator, generate, timed, request_stats, log, table)


def table(header, rows):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    log("  | " + " | ".join(str(h).ljust(w) for h, w in zip(header, widths)) + " |")
    log("  |" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        log("  | " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", help="p1, scaling, apply (default: all)")
    parser.add_argument("--sample-every", type=int, default=20, help="naive baseline: every K-th requirement")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--no-build", action="store_true", help="use the existing .build-release binaries")
    args = parser.parse_args()
    scenarios = args.scenarios or ["p1", "scaling", "apply"]
    unknown = [s for s in scenarios if s not in ("p1", "scaling", "apply")]
    if unknown:
        parser.error(f"unknown scenario {unknown[0]!r} (expected p1, scaling or apply)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not args.no_build:
        build()
    for scenario in scenarios:
        {"p1": lambda: p1(out, args.sample_every), "scaling": lambda: scaling(out),
         "apply": lambda: apply_scenario(out)}[scenario]()


if __name__ == "__main__":
    main()
