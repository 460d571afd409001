#!/usr/bin/env bash
# Regenerates fuzz/seeds/{plan,journal,error}/ from real runs (docs/fuzzing.md): `adoperm plan` on the example
# organization served by `ado-emulator`, one-change `adoperm apply` runs and a rollback (their journals), and
# the emulator's error bodies. Needs a debug build of the root package (`swift build`). The manifest seeds are
# the manifests of the test suite (kept as they are); examples/contoso/adoperm.yaml is added by run.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=${BIN:-$root/.build/debug}
port=${PORT:-18731}
work=$(mktemp -d)
trap 'kill "$emulator" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin/ado-emulator" serve "$root/examples/contoso/snapshot.json" --port "$port" >"$work/emulator.log" 2>&1 &
emulator=$!
sleep 2
org=http://127.0.0.1:$port/contoso
export ADOPERM_PAT=fake-pat-alice-admin SOURCE_DATE_EPOCH=1764547200
cd "$work"

"$bin/adoperm" plan -m "$root/examples/contoso/adoperm.yaml" --org "$org" -o plan.json >plan.txt
"$bin/adoperm" apply plan.json --approve c-a5df13d60d36 --org "$org" >/dev/null
"$bin/adoperm" plan -m "$root/examples/contoso/adoperm.yaml" --org "$org" -o plan2.json >plan2.txt || true
for id in $(grep -o 'c-[0-9a-f]\{12\}' plan2.txt | sort -u | head -3); do
    "$bin/adoperm" apply plan2.json --approve "$id" --org "$org" >/dev/null
done
first=$(ls .adoperm/journal/*.jsonl | head -1)
"$bin/adoperm" rollback "$first" --org "$org" >/dev/null

rm -rf "$here/seeds/plan" "$here/seeds/journal" "$here/seeds/error"
mkdir -p "$here/seeds/plan" "$here/seeds/journal" "$here/seeds/error"
# One small resealed plan per kind of finding: whole plans are ~80 KB, past a useful -max_len.
python3 - "$here/seeds/plan" plan.json plan2.json <<'PY'
import hashlib, json, sys
def canonical(value): return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
def seal(document):
    document = {k: v for k, v in document.items() if k != "planId"}
    document["planId"] = hashlib.sha256(canonical(document).encode()).hexdigest()
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
smallest = {}
plans = [json.load(open(path)) for path in sys.argv[2:]]
for plan in plans:
    for finding in plan["findings"]:
        kind = (finding["status"], tuple(sorted(r["kind"] for r in finding.get("remedies", []))),
                "setting" in finding, "grants" in finding)
        text = seal(dict(plan, findings=[finding]))
        if kind not in smallest or len(text) < len(smallest[kind]): smallest[kind] = text
for index, text in enumerate(sorted(smallest.values(), key=len)):
    open(f"{sys.argv[1]}/finding-{index:02d}.json", "w").write(text)
open(f"{sys.argv[1]}/no-findings.json", "w").write(seal(dict(plans[0], findings=[])))
PY
index=0
for journal in .adoperm/journal/*.jsonl; do
    index=$((index + 1))
    cp "$journal" "$here/seeds/journal/run-$index.jsonl"
done

basic() { printf 'Authorization: Basic %s' "$(printf ':%s' "$1" | base64)"; }
curl -s -H "$(basic fake-pat-alice-admin)" "$org/NoSuchProject/_apis/git/repositories?api-version=7.1" \
    -o "$here/seeds/error/body-404-project.json"
curl -s -H "$(basic fake-pat-alice-admin)" -X POST -H 'Content-Type: application/json' -d '{bad' \
    "$org/_apis/AccessControlEntries/2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87?api-version=7.1" \
    -o "$here/seeds/error/body-400-bad-json.json"
curl -s -H "$(basic fake-pat-carol-reader)" -X POST -H 'Content-Type: application/json' \
    -d '{"token":"repoV2","merge":false,"accessControlEntries":[]}' \
    "$org/_apis/AccessControlEntries/2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87?api-version=7.1" \
    -o "$here/seeds/error/body-403-access-denied.json"
curl -s "$org/_apis/projects?api-version=7.1" -o "$here/seeds/error/body-203-sign-in.html"
# The error texts the explain tests decode (string literals with a TF/VS code).
python3 - "$here/seeds/error" "$root/Tests/PlanTests/Decode/DecoderTests.swift" <<'PY'
import re, sys
source = open(sys.argv[2]).read()
literals = re.findall(r'#?"""\n(.*?)\n\s*"""#?', source, re.S)
literals += re.findall(r'"((?:[^"\\\n]|\\.)*(?:TF|VS)\d{5,6}(?:[^"\\\n]|\\.)*)"', source)
seen = []
for literal in literals:
    if re.search(r"(TF|VS)\d{5,6}", literal) and literal not in seen: seen.append(literal)
for index, literal in enumerate(seen, 1):
    open(f"{sys.argv[1]}/explain-t{index}.txt", "w").write(literal.replace("\\\\", "\\").replace('\\"', '"'))
PY
ls "$here/seeds/"* | wc -l
