"""A script-form submission is read as Python's import reads a module: by its encoding
declaration (PEP 263) or byte order mark, else as UTF-8. What imports in the student's own
pytest run loads in the grader, with the same text; what does not is refused with the reason."""

import importlib.util

import pytest
from conftest import load_here
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.engine import submission_text

ENCODINGS = ["utf-8", "latin-1", "cp1252", "koi8-r", "utf-8-sig"]


def _module_bytes(text: str, encoding: str) -> bytes:
    cookie = "" if encoding in ("utf-8", "utf-8-sig") else f"# -*- coding: {encoding} -*-\n"
    return (cookie + f"WORDS = {text!r}\n# {text.replace(chr(10), ' ')}\n").encode(encoding)


def _graded(path):
    """What the grader's loader makes of `path`, as module 05_loss: its WORDS."""
    module, problems = load_here(path, "05_loss")
    assert problems == []
    return module.WORDS


def _imported(path):
    """What Python's own import makes of `path`: its WORDS."""
    spec = importlib.util.spec_from_file_location("student_loss", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WORDS


@settings(max_examples=200, deadline=None)
@given(data=st.data(), encoding=st.sampled_from(ENCODINGS))
def test_the_grader_reads_a_script_as_python_imports_it(data, encoding, tmp_path_factory):
    alphabet = st.characters(codec=encoding.replace("-sig", ""), exclude_categories=["Cs", "Cc"])
    text = data.draw(st.text(alphabet, max_size=12))
    path = tmp_path_factory.getbasetemp() / "encodings" / "loss.py"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(_module_bytes(text, encoding))
    assert _graded(path) == _imported(path) == text
    assert text.replace("\n", " ") in "".join(submission_text(path))  # the rules read the same text


def test_a_script_python_cannot_read_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "loss.py"
    path.write_bytes('WORDS = "caf\xe9"\n'.encode("latin-1"))  # latin-1, undeclared
    with pytest.raises(SyntaxError):
        _imported(path)
    with pytest.raises(SyntaxError, match=r"loss\.py cannot be read as Python source .*save it as UTF-8"):
        _graded(path)
    assert "caf" in "".join(submission_text(path))  # the rules still see it; its load already failed
