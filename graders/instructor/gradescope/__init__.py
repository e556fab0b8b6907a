"""The Gradescope door: an autograder zip that grades one submission with the kit.

`python -m graders gradescope ID... --out autograder.zip` (bundle.py) computes the reference
results of the chosen assignments, and writes Gradescope's layout: setup.sh and
run_autograder at the root, the kit's code, the reference solutions, the hidden checks and
the stored reference results under kit/. In the container, run_autograder runs run.py, which
grades /autograder/submission with a grader that judges against the stored results
(stored.py), so only the submission's side imports TensorFlow, and writes
/autograder/results/results.json (results.py).
"""
