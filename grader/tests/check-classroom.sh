#!/usr/bin/env bash
# The GitHub Classroom workflow (docs/classroom/autograding.yml; Classroom
# is being retired, docs/ci/grade.yml replaces it): it must parse as YAML
# (PyYAML, Debian package python3-yaml), have the names and steps that
# GitHub Classroom needs, and run whole, as the runner's user in a fresh
# clone (grader/tests/run-workflow.py), up to the reporter's input.
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
assert doc.get("name") == "Autograding Tests", "the workflow name Classroom's own workflows use"
assert list(doc["jobs"]) == ["run-autograding-tests"], "the job name Classroom's own workflows use"
steps = doc["jobs"]["run-autograding-tests"]["steps"]
uses = [s.get("uses", "") for s in steps]
assert any(u.startswith("actions/checkout@") for u in uses), "no checkout step"
runs = "\n".join(s.get("run", "") for s in steps)
assert "grader/gradescope/setup.sh" in runs and "grader/ci/github.sh grade" in runs, "no setup or grade step"
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

# The whole workflow, as GitHub's runner runs it (grader/tests/run-workflow.py):
# as nobody, in a fresh clone it owns, lesson 01 with addr_text solved.
uid=65534 gid=65534
if [ "$(id -u)" != 0 ]; then
    echo "SKIP running the workflow: needs root, to run it as another user"
    echo "check-classroom: all passed"
    exit 0
fi
here=$root/grader/tests
"$here/fresh-clone.sh" "$out/clone" $uid $gid || { echo "FAIL fresh clone"; exit 1; }
setpriv --reuid=$uid --regid=$gid --clear-groups \
    cp "$root/solutions/01-stack-frames/addr_text.c" "$out/clone/exercises/01-stack-frames/"
"$here/run-workflow.py" "$workflow" "$out/clone" "$out/run" $uid $gid LESSON=01 >"$out/run.log" 2>&1
if jq -e '.failed == false and all(.steps[]; .outcome == "success")' "$out/run/run.json" >/dev/null 2>&1; then
    echo "ok   every step succeeds as the runner's user: $(jq -r '[.steps[].name] | join(", ")' "$out/run/run.json" | head -c 160)"
else
    echo "FAIL steps: $(jq -c '[.steps[] | [.name, .outcome, .exit]]' "$out/run/run.json" 2>&1 | head -c 600) $(tail -3 "$out/run.log")"
    exit 1
fi
left=$(find "$out/clone" ! -uid $uid -printf '%u %p\n' | head -3)
[ -z "$left" ] || { echo "FAIL root's files in the clone: $left"; exit 1; }
echo "ok   nothing in the clone belongs to root"
reporter=$out/run/reporter-grader.json
want=$(jq '[.tests[] | select(.name | startswith("01-stack-frames/addr_text/")) | .max_score] | add' \
    "$out/clone/results.json" 2>/dev/null)
if jq -e --argjson want "${want:-0}" '.status == "fail" and $want > 0
          and ([.tests[].score] | add) == $want and .max_score > $want
          and all(.tests[]; .status == "pass" or .status == "fail")' "$reporter" >/dev/null 2>&1; then
    echo "ok   points for the reporter: $(jq -r '"\([.tests[].score] | add)/\(.max_score), status \(.status)"' "$reporter")"
else
    echo "FAIL points: $(head -c 600 "$reporter")"
    exit 1
fi
echo "check-classroom: all passed"
