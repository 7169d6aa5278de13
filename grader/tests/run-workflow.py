#!/usr/bin/env python3
"""Runs a GitHub Actions workflow's job here, step by step, the way a
GitHub-hosted runner would: as a non-root user (the runner's), in a checkout
(WORKSPACE, a fresh clone made by the caller), with GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, GITHUB_ENV and GITHUB_PATH pointed at temporary files.

- `run:` steps run with `bash --noprofile --norc -eo pipefail` (the
  workflow's `shell: bash`) as UID:GID. A step whose whole script is one
  `sudo COMMAND` line runs COMMAND as root with SUDO_UID, SUDO_GID and
  SUDO_USER set, as sudo would; any other use of sudo is refused.
- `uses:` steps: actions/checkout (the clone is already there),
  actions/upload-artifact (its paths must exist; they are copied to
  OUT/artifacts/NAME), classroom-resources/autograding-grading-reporter (its
  runners' base64 results are decoded to OUT/reporter-RUNNER.json).
  Any other action is an error.
- `if:` on a step: always(), success(), failure(); nothing else.
- `${{ ... }}` is allowed only as `${{ steps.ID.outputs.NAME }}` in an env
  value, never in a script (it would splice text into the shell).

Writes OUT/run.json: each step's name, outcome and exit status, the
annotations that workflow commands printed (outside ::stop-commands::
blocks), the job summary, and whether the job failed.

Usage: run-workflow.py WORKFLOW WORKSPACE OUT UID GID [ENV=VALUE...]
       (ENV=VALUE: overrides the workflow's env, as an instructor edits it)
"""
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*\}\}")
COMMAND = re.compile(r"^::(error|warning|notice)( [^:]*)?::(.*)$")


def fail(message):
    print(f"run-workflow: {message}", file=sys.stderr)
    sys.exit(2)


def read_outputs(path):
    """GITHUB_OUTPUT's NAME=VALUE lines (and NAME<<DELIM blocks)."""
    outputs = {}
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delim = line.split("<<", 1)
            value = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                value.append(lines[i])
                i += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def annotations_of(log):
    """Workflow commands in a step's log, skipping ::stop-commands:: blocks."""
    found, stop = [], None
    for line in log.split("\n"):
        if stop is not None:
            if line == f"::{stop}::":
                stop = None
            continue
        if line.startswith("::stop-commands::"):
            stop = line[len("::stop-commands::"):]
            continue
        m = COMMAND.match(line)
        if m:
            props = {}
            for part in (m.group(2) or "").strip().split(","):
                if "=" in part:
                    key, value = part.split("=", 1)
                    props[key] = value.replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
            message = m.group(3).replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
            found.append({"level": m.group(1), **props, "message": message})
    return found


def main():
    if len(sys.argv) < 6:
        fail(__doc__.split("\n\n")[-1])
    workflow, workspace, out = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    uid, gid = int(sys.argv[4]), int(sys.argv[5])
    overrides = dict(arg.split("=", 1) for arg in sys.argv[6:])
    with open(workflow) as f:
        doc = yaml.safe_load(f)
    jobs = doc["jobs"]
    if len(jobs) != 1:
        fail("one job expected")
    job_name, job = next(iter(jobs.items()))
    shell = (doc.get("defaults", {}).get("run", {}).get("shell")
             or job.get("defaults", {}).get("run", {}).get("shell"))
    if shell != "bash":
        fail("the workflow must say defaults: run: shell: bash (then bash runs with -eo pipefail)")
    os.makedirs(out, exist_ok=True)
    temp = tempfile.mkdtemp(prefix="runner-temp-", dir=out)
    home = os.path.join(out, "home")
    os.makedirs(home, exist_ok=True)
    for path in (temp, home):
        os.chown(path, uid, gid)
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    env_base = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": home, "USER": user, "LANG": "C.UTF-8", "CI": "true", "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": workspace, "RUNNER_TEMP": temp, "GITHUB_JOB": job_name,
    }
    env_base.update({k: str(v) for k, v in (doc.get("env") or {}).items()})
    env_base.update({k: str(v) for k, v in (job.get("env") or {}).items()})
    env_base.update(overrides)
    outputs, results, annotations, summaries = {}, [], [], []
    failed = False
    for n, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {n}"
        condition = str(step.get("if", "success()")).strip()
        if condition not in ("always()", "success()", "failure()"):
            fail(f"{name}: unsupported if: {condition}")
        if (condition == "success()" and failed) or (condition == "failure()" and not failed):
            results.append({"name": name, "outcome": "skipped"})
            continue
        env = dict(env_base)
        for key, value in (step.get("env") or {}).items():
            value = str(value)
            for m in EXPR.finditer(value):
                if m.group(1) not in outputs:
                    fail(f"{name}: env {key} reads steps.{m.group(1)}, which has no outputs")
            env[key] = EXPR.sub(lambda m: outputs[m.group(1)].get(m.group(2), ""), value)
            if "${{" in env[key]:
                fail(f"{name}: env {key}: only ${{{{ steps.ID.outputs.NAME }}}} is supported")
        files = {}
        for var in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH"):
            fd, path = tempfile.mkstemp(prefix=f"{var.lower()}-", dir=temp)
            os.close(fd)
            os.chown(path, uid, gid)
            files[var] = env[var] = path
        record = {"name": name}
        if "run" in step:
            script = step["run"]
            if "${{" in script:
                fail(f"{name}: a ${{{{ }}}} expression in a script: pass it through env")
            lines = [l for l in script.strip().split("\n") if l.strip()]
            as_root = len(lines) == 1 and lines[0].startswith("sudo ")
            if not as_root and re.search(r"(^|[\s;&|(])sudo\s", script):
                fail(f"{name}: sudo must be the whole step (one line), or not used")
            if as_root:
                command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", lines[0][5:]]
                env.update({"SUDO_UID": str(uid), "SUDO_GID": str(gid), "SUDO_USER": user})
                preexec = None
            else:
                command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]

                def preexec():
                    os.setgroups([])
                    os.setgid(gid)
                    os.setuid(uid)
            proc = subprocess.run(command, cwd=workspace, env=env, preexec_fn=preexec,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            log = proc.stdout.decode("utf-8", "replace")
            record.update({"outcome": "success" if proc.returncode == 0 else "failure",
                           "exit": proc.returncode, "as_root": as_root})
            with open(os.path.join(out, f"step-{n}.log"), "w") as f:
                f.write(log)
            annotations += [dict(a, step=name) for a in annotations_of(log)]
            outputs[step.get("id", f"_{n}")] = read_outputs(files["GITHUB_OUTPUT"])
            with open(files["GITHUB_STEP_SUMMARY"]) as f:
                summaries.append(f.read())
        else:
            uses = step.get("uses", "")
            params = step.get("with") or {}
            record["outcome"] = "success"
            if uses.startswith("actions/checkout@"):
                if not os.path.isdir(os.path.join(workspace, ".git")):
                    record["outcome"] = "failure"
            elif uses.startswith("actions/upload-artifact@"):
                dest = os.path.join(out, "artifacts", params.get("name", "artifact"))
                os.makedirs(dest, exist_ok=True)
                missing = []
                for rel in str(params.get("path", "")).split("\n"):
                    rel = rel.strip()
                    if not rel:
                        continue
                    src = os.path.join(workspace, rel)
                    if os.path.isfile(src) and not os.path.islink(src):
                        shutil.copy(src, dest)
                    else:
                        missing.append(rel)
                record["missing"] = missing
                if missing and params.get("if-no-files-found", "warn") == "error":
                    record["outcome"] = "failure"
            elif uses.startswith("classroom-resources/autograding-grading-reporter@"):
                for runner in str(params.get("runners", "")).split(","):
                    runner = runner.strip()
                    value = env.get(f"{runner.upper()}_RESULTS", "")
                    import base64
                    try:
                        decoded = json.loads(base64.b64decode(value))
                    except ValueError:
                        decoded = None
                        record["outcome"] = "failure"
                    with open(os.path.join(out, f"reporter-{runner}.json"), "w") as f:
                        json.dump(decoded, f)
            else:
                fail(f"{name}: unknown action {uses}")
        if record["outcome"] == "failure" and not step.get("continue-on-error"):
            failed = True
        results.append(record)
    with open(os.path.join(out, "run.json"), "w") as f:
        json.dump({"workflow": doc.get("name"), "job": job_name, "failed": failed,
                   "steps": results, "annotations": annotations,
                   "summary": "".join(summaries)}, f, indent=2)
    print(f"run-workflow: {doc.get('name')} / {job_name}: "
          + ", ".join(f"{r['name']}: {r['outcome']}" for r in results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
