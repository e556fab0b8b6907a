"""The instructor pages' template engine: Jinja2 with every value escaped.

Templates live in graders/instructor/templates/ (package data). Autoescaping is on for
every template, whatever its name, because student-controlled text (messages of checks,
notes of cells that raised, student ids) reaches the pages.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

# The pages run no script and load nothing: images are data: URIs, styles are inline.
CONTENT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def number(value: float | None) -> str:
    """16.0 -> "16", 2.5 -> "2.5", 1/3 -> "0.33"."""
    if value is None:
        return "-"
    return f"{round(float(value), 2):g}"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("graders.instructor", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.globals["content_policy"] = CONTENT_POLICY
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
