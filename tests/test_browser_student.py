"""The student's path, in a real browser: the released 05_loss notebook in JupyterLab, a
`predict` typed into its cell, its public checks run, right and then wrong, and nbgrader's
Validate button.

Headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) is driven with playwright.
Screenshots go to $KIT_SCREENSHOTS if set (the README's come from
`KIT_SCREENSHOTS=docs/screenshots ./kit test tests/test_browser_student.py`), else to a
temporary folder. JupyterLab, its kernels and Chromium end with the test, even when it fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright
from student_lab import no_new_processes, running_lab

from graders.instructor.demo import nbgrader, prepare_course

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RIGHT = "return tf.matmul(x, w) + b"
WRONG = "return tf.matmul(x, w)"  # the bias forgotten
PASSED = "predict.public passed: x @ w + b on two small examples (2 examples)"
FIRST_CASE = "case 1 of 2 (float32 tensors, x (3, 2)): float32 tensors x (3, 2), w (2, 1), b (1,)"
RUN_TIMEOUT = 240_000  # ms for one cell; the first imports TensorFlow


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A student's copy of the released 05_loss folder: `nbgrader generate_assignment` in a
    course of its own (not the main job's, so that this test need not wait for it)."""
    base = tmp_path_factory.mktemp("browser")
    prepare_course(base / "course")
    nbgrader(base / "course", "generate_assignment", "05_loss", "--force")
    student = base / "student" / "05_loss"
    shutil.copytree(base / "course" / "release" / "05_loss", student)
    return student


def test_student_types_predict_runs_its_checks_and_validates(released, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (or set CHROMIUM)")
    shots = Path(os.environ.get("KIT_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    index = _cell_indices(released / "loss.ipynb")

    with no_new_processes(), running_lab(released, tmp_path / "lab") as lab, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(lab.url("loss.ipynb"))
            cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
            expect(cells.nth(index["predict_public"])).to_be_visible(timeout=120_000)
            _close_sidebar(page)
            _wait_for_kernel(page)

            _run(page, cells.nth(index["setup"]))
            solution, public = cells.nth(index["predict"]), cells.nth(index["predict_public"])
            _replace_line(page, solution, "raise NotImplementedError()", RIGHT)
            _run(page, solution)
            _run(page, public)
            output = public.locator(".jp-OutputArea").inner_text()
            assert PASSED in output and "failed" not in output, output
            _shot(page, solution, public, shots / "05_loss_passed.png")

            message = _validate(page)
            assert message.startswith("Validation Results"), message
            assert "The following cell failed" in message, message
            for function in ("mean_squared_error", "mse_gradients", "numeric_gradient"):
                assert f"{function}.public failed" in message, message
            assert "predict.public failed" not in message, message
            page.screenshot(
                path=str(shots / "05_loss_validate.png"),
                clip=page.locator(".jp-Dialog-content").bounding_box(),
            )
            _shrink(shots / "05_loss_validate.png")
            page.locator(".jp-Dialog-button.jp-mod-accept").click()

            _replace_line(page, solution, RIGHT, WRONG)
            _run(page, solution)
            _run(page, public)
            output = public.locator(".jp-OutputArea").inner_text()
            assert "CheckFailed: predict.public failed: x @ w + b on two small examples" in output, output
            assert FIRST_CASE in output, output
            assert re.search(r"Hint: .*bias", output), output
            assert "Traceback" not in output and "selfcheck/" not in output, output
            _shot(page, solution, public, shots / "05_loss_hint.png")
        except Exception:
            print(f"JupyterLab's log (last 4,000 characters):\n{lab.log.read_text()[-4000:]}")
            with contextlib.suppress(Exception):
                page.screenshot(path=str(shots / "failure.png"))
                print(f"the page when it failed: {shots / 'failure.png'}")
            raise
        finally:
            browser.close()


def _cell_indices(notebook: Path) -> dict[str, int]:
    """grade_id -> position of the cell in the notebook."""
    cells = nbformat.read(notebook, as_version=4).cells
    return {
        c.metadata.get("nbgrader", {}).get("grade_id"): i
        for i, c in enumerate(cells)
        if c.metadata.get("nbgrader", {}).get("grade_id")
    }


def _close_sidebar(page: Page) -> None:
    """More room for the notebook: collapse the file browser if it is open."""
    if page.locator("#jp-left-stack").is_visible():
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()


def _replace_line(page: Page, cell: Locator, old: str, new: str) -> None:
    """Type `new` over the text of the editor line that reads `old` (its indentation kept)."""
    line = cell.locator(".cm-line", has_text=old)
    line.scroll_into_view_if_needed()
    line.click()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(new)
    lines = [text.strip() for text in cell.locator(".cm-line").all_inner_texts()]
    assert new in lines and old not in lines, lines


def _wait_for_kernel(page: Page) -> None:
    """Wait until the notebook's kernel has started and is idle. A cell run before that finds
    no kernel in the session: JupyterLab then clears the run (or asks for a kernel) and the
    prompt never changes, which on a busy machine is what a student's first Ctrl+Enter can meet."""
    indicator = page.locator(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator")
    expect(indicator).to_have_attribute("data-status", "idle", timeout=RUN_TIMEOUT)


def _run(page: Page, cell: Locator) -> None:
    """Run one cell (select it, Ctrl+Enter) and wait until its prompt shows it ran."""
    prompt = cell.locator(".jp-InputArea-prompt")
    before = prompt.inner_text()
    prompt.click()
    page.keyboard.press("Control+Enter")
    expect(prompt).not_to_have_text(before, timeout=RUN_TIMEOUT)
    expect(prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=RUN_TIMEOUT)


def _validate(page: Page) -> str:
    """Press nbgrader's Validate button; the text of the dialog it opens."""
    page.locator(".jp-NotebookPanel-toolbar .validate-button").click()
    dialog = page.locator(".jp-Dialog-content")
    expect(dialog).to_be_visible(timeout=2 * RUN_TIMEOUT)
    return dialog.inner_text()


def _shot(page: Page, first: Locator, last: Locator, path: Path) -> None:
    """A screenshot of the cells from `first` to `last`."""
    first.scroll_into_view_if_needed()
    top, bottom = first.bounding_box(), last.bounding_box()
    clip = {
        "x": top["x"],
        "y": top["y"],
        "width": max(top["width"], bottom["width"]),
        "height": bottom["y"] + bottom["height"] - top["y"],
    }
    page.screenshot(path=str(path), clip=clip)
    _shrink(path)


def _shrink(path: Path) -> None:
    """64 colours are plenty for a notebook's text: the PNG shrinks to about a third."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
