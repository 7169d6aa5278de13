#!/usr/bin/env bash
# The GitHub Classroom workflow (docs/classroom/autograding.yml): it must
# parse as YAML (PyYAML, Debian package python3-yaml), have the steps that
# GitHub Classroom needs, and its points step must turn a real results.json
# (a fixture graded now: 3 of 4 points) into what the reporter reads.
# Usage: check-classroom.sh OUT_DIR
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
workflow=$root/docs/classroom/autograding.yml
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
python=/usr/bin/python3
"$python" -c 'import yaml' 2>/dev/null || { echo "FAIL PyYAML is missing: apt-get install python3-yaml"; exit 1; }

# Structure, checked by the parser; the points step's script is written out.
"$python" - "$workflow" "$out/points.sh" <<'PY'
import sys, yaml
with open(sys.argv[1]) as f:
    doc = yaml.safe_load(f)
on = doc.get("on")
assert isinstance(on, dict) and "push" in on, "'on' must be a quoted key with push (unquoted, YAML 1.1 reads it as true)"
steps = doc["jobs"]["grade"]["steps"]
uses = [s.get("uses", "") for s in steps]
assert any(u.startswith("actions/checkout@") for u in uses), "no checkout step"
runs = "\n".join(s.get("run", "") for s in steps)
assert "grader/gradescope/setup.sh" in runs and "grader/grade " in runs, "no setup or grade step"
points = [s for s in steps if s.get("id") == "points"]
assert len(points) == 1, "one step with id: points"
report = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-grading-reporter@")]
assert len(report) == 1, "one reporter step"
runner = report[0]["with"]["runners"]
assert runner.isalnum(), "runner ids are letters and digits"
env = report[0]["env"][runner.upper() + "_RESULTS"]
assert "steps.points.outputs.result" in env, "the reporter reads the points step's output"
with open(sys.argv[2], "w") as f:
    f.write(points[0]["run"])
print("ok   the workflow parses; checkout, setup, grade, points and reporter steps")
PY

# The points step on a real results.json.
"$root/grader/grade" --course "$root/grader/tests/course" --jobs 1 \
    --submission "$root/grader/tests/fixtures/leaking" --json "$out/results.json" \
    >"$out/grade.txt" 2>&1 || true
(cd "$out" && GITHUB_OUTPUT=$out/github_output bash -e points.sh)
sed -n 's/^result=//p' "$out/github_output" | base64 -d >"$out/reporter.json"
if jq -e '.status == "fail" and .max_score == 4 and ([.tests[].score] | add) == 3
          and (.tests | length) == 3 and all(.tests[]; .status == "pass" or .status == "fail")' \
        "$out/reporter.json" >/dev/null; then
    echo "ok   points for the reporter: $(jq -r '"\([.tests[].score] | add)/\(.max_score), status \(.status)"' "$out/reporter.json")"
else
    echo "FAIL points: $(head -c 600 "$out/reporter.json")"
    exit 1
fi
echo "check-classroom: all passed"
