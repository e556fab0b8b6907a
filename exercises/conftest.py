"""pytest in the student folder: a failing public check shows its own message, nothing else.

The message (check id, each failing case's inputs, what differs, the hint) is the whole
story; a traceback would only show the selfcheck code that ran the check. The summary line
of such a test names the test alone, so it is never cut to the terminal's width.
"""

from __future__ import annotations

import pytest

from selfcheck.failure import CheckFailed


class CheckReport:
    """A failed test's report made of a public check's message alone.

    It has no `reprcrash`, so pytest's short summary shows the test's id without a
    shortened copy of the message."""

    def __init__(self, text: str) -> None:
        self.text = text

    def toterminal(self, out) -> None:
        for line in self.text.splitlines():
            out.line(line)

    def __str__(self) -> str:
        return self.text


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    if report.failed and call.excinfo is not None and isinstance(call.excinfo.value, CheckFailed):
        report.longrepr = CheckReport(str(call.excinfo.value))
    return report
