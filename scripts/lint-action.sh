#!/usr/bin/env bash
# shellcheck on the bash of every run: step of action.yml and of the test
# stand-ins (actionlint checks workflows, not composite actions). Needs
# shellcheck and python3-yaml (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - action.yml test/action/standins/*/action.yml test/action/standins/*/*/action.yml <<'PY'
import subprocess, sys, yaml
bad = 0
for path in sys.argv[1:]:
    action = yaml.safe_load(open(path))
    for i, step in enumerate(action["runs"]["steps"]):
        if "run" not in step:
            continue
        if "${{" in step["run"]:
            print(f"{path}: step {step.get('name', i)}: an expression inside run: (pass it through env:)")
            bad += 1
        r = subprocess.run(["shellcheck", "-s", "bash", "-"], input="#!/bin/bash\n" + step["run"], capture_output=True, text=True)
        if r.returncode:
            print(f"{path}: step {step.get('name', i)}:\n{r.stdout}")
            bad += 1
print(f"shellcheck: {bad} step(s) with findings" if bad else "shellcheck: every run: step of the actions is clean")
sys.exit(1 if bad else 0)
PY
