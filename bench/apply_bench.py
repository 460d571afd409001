"""bench/run.py apply: `adoperm apply` of 100 approved ACE changes, counted from the emulator's request log.

The org: 80 projects × 10 repos, 800 pipelines, 2,400 requirements (seed 1) — enough gaps whose remedies are ACE
changes. Per gap finding (in plan order) the first viable remedy made only of ACE changes is taken; its change ids
are approved until there are 100. Then `adoperm apply plan.json --approvals approvals.yaml` runs against the same
emulator (0 ms latency), and its requests are split into the stale check / before-image / verification reads and
the writes.
"""

import json
import subprocess
import tempfile
from pathlib import Path

WANTED = 100


def pick(plan):
    """Per gap finding (in plan order) the first viable remedy made only of ACE changes, as long as no finding
    ends up with approved changes from two of its remedies (apply refuses that)."""
    findings = plan["findings"]

    def consistent(approved):
        for finding in findings:
            remedies = {remedy["rank"] for remedy in finding.get("remedies", [])
                        for change in remedy.get("changes") or [] if change["id"] in approved}
            kinds = {remedy["kind"] for remedy in finding.get("remedies", [])
                     for change in remedy.get("changes") or [] if change["id"] in approved}
            if len(remedies) > 1 or len(kinds) > 1:
                return False
        return True

    chosen, approved = [], set()
    for finding in findings:
        if finding["status"] != "gap" or len(chosen) >= WANTED:
            continue
        for remedy in finding.get("remedies", []):
            changes = remedy.get("changes") or []
            if remedy["status"] != "viable" or not changes or any(c["kind"] != "ace" for c in changes):
                continue
            new = [c for c in changes if c["id"] not in approved]
            if not new or len(chosen) + len(new) > WANTED:
                break
            if consistent(approved | {c["id"] for c in new}):
                approved |= {c["id"] for c in new}
                chosen += new
            break
    return chosen


def target_key(change):
    target = change["target"]
    return (target.get("namespaceId") or target.get("namespace"), target["token"].lower(),
            target["descriptor"].lower())


def run(directory, binaries, emulator_type, generate, timed, request_stats, log, table):
    log("Apply: 100 approved ACE changes (80 projects × 10 repos, 800 pipelines, 2,400 requirements, 0 ms)")
    snapshot, manifest = generate(directory, 80, 10, 800, 2400)
    with emulator_type(snapshot, directory / "requests.jsonl") as emulator:
        planned = timed([str(binaries / "adoperm"), "plan", "-m", str(manifest), "--org", emulator.url,
                         "-o", str(directory / "plan.json"), "--format", "json"], directory / "plan.out")
        if planned["status"] != 0:
            raise SystemExit(f"plan failed, see {directory / 'plan.out'}")
        plan = json.loads((directory / "plan.json").read_text())
        chosen = pick(plan)
        if len(chosen) < WANTED:
            raise SystemExit(f"only {len(chosen)} ACE changes in the plan")
        approvals = directory / "approvals.yaml"
        approvals.write_text(f"planId: {plan['planId']}\napprovedBy: bench@fabrikam.com\n"
                             f"changes: [{', '.join(c['id'] for c in chosen)}]\n")
        before = len(emulator.entries())
        checkout = Path(tempfile.mkdtemp(prefix="adoperm-apply-bench-"))
        out = directory / "apply.out"
        time_file = directory / "apply.time"
        status = subprocess.run(["/usr/bin/time", "-v", "-o", str(time_file), str(binaries / "adoperm"), "apply",
                                 str(directory / "plan.json"), "--approvals", str(approvals), "--org",
                                 emulator.url], cwd=checkout, stdout=out.open("w"), stderr=subprocess.STDOUT,
                                env={"ADOPERM_PAT": "fake-pat-admin", "PATH": "/usr/bin:/bin"}).returncode
        if status != 0:
            raise SystemExit(f"apply failed (status {status}), see {out}")
        entries = emulator.entries()[before:]
    stats = request_stats(entries)
    pairs = {target_key(c) for c in chosen}
    tokens = {key[:2] for key in pairs}
    acl_reads = sum(1 for e in entries if e["method"] == "GET" and "accesscontrollists" in (e.get("route") or ""))
    other_reads = stats["reads"] - acl_reads
    rows = [("approved ACE changes", len(chosen)), ("distinct (token, descriptor)", len(pairs)),
            ("distinct tokens", len(tokens)), ("requests", stats["requests"]), ("writes", stats["writes"]),
            ("ACL reads", acl_reads), ("other reads", other_reads)]
    table(("apply of 100 ACE changes", "count"), rows)
    log("  requests by route: " + ", ".join(f"{r} {n}" for r, n in stats["routes"].items()))
    result = {"changes": len(chosen), "pairs": len(pairs), "tokens": len(tokens), "aclReads": acl_reads,
              "otherReads": other_reads, **stats}
    (directory / "result.json").write_text(json.dumps(result, indent=2))
    return result
