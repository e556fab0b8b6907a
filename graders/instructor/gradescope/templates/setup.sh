#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image.
# It assumes: an Ubuntu base image (22.04 or 24.04) with apt-get, root, and network access
# during the build (for apt and the Python package index); the zip unpacked in
# /autograder/source (GRADERS_AUTOGRADER_ROOT moves /autograder, as in run_autograder).
# It installs Python 3.11 (the version requirements.lock was resolved for) when the image
# lacks it, from the deadsnakes archive (Ubuntu's own images ship 3.10 or 3.12), then makes
# /autograder/venv and installs requirements.txt, the grader's share of the kit's lock,
# with every version fixed by requirements.lock (given as constraints).
set -euo pipefail
root="${GRADERS_AUTOGRADER_ROOT:-/autograder}"
source_dir="$root/source"
export DEBIAN_FRONTEND=noninteractive

if ! command -v python3.11 >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends software-properties-common gnupg
  add-apt-repository -y ppa:deadsnakes/ppa
  apt-get update
  apt-get install -y --no-install-recommends python3.11 python3.11-venv
fi

python3.11 -m venv "$root/venv"
"$root/venv/bin/python" -m pip install --no-cache-dir --disable-pip-version-check \
  -r "$source_dir/requirements.txt" -c "$source_dir/requirements.lock"
# Fail the build here, not at the first submission, if the grader cannot start.
PYTHONPATH="$source_dir/kit:$source_dir/kit/exercises" TF_CPP_MIN_LOG_LEVEL=3 \
  "$root/venv/bin/python" -P -c "import tensorflow, keras, matplotlib, graders.instructor.gradescope.run"
chmod 0755 "$source_dir/run_autograder"
