"""The control channel of the kit's servers (the fork server, the kernel server): JSON lines,
requests on standard input and replies on standard output. A server ends when its input
closes, which happens however the process that started it ends."""

from __future__ import annotations

import json
import os
import select


def reply(record: dict) -> None:
    try:
        os.write(1, (json.dumps(record) + "\n").encode())
    except BrokenPipeError:
        pass  # the starter is gone; its end of the pipe closes our input too


class Requests:
    """The requests arriving on standard input, a whole line at a time."""

    def __init__(self) -> None:
        self._buffer = b""

    def poll(self, timeout: float) -> list[dict] | None:
        """The requests that arrived within `timeout` seconds; None once the input has closed."""
        if not select.select([0], [], [], timeout)[0]:
            return []
        chunk = os.read(0, 65536)
        if not chunk:
            return None
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]
