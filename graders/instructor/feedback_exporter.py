"""The exporter of `nbgrader generate_feedback` in the kit's courses.

nbconvert's HTMLExporter ends by parsing every finished page, with its inline stylesheets,
into a BeautifulSoup tree and writing it out again, only to give each <img> without alt
text one and to make the cells of the JupyterLab template focusable. nbgrader's feedback
template is the classic one, which has no such cells, so that round trip is half of
generate_feedback's time for nothing but the alt text. This exporter renders the same
template and adds the same alt text with a scan of the page's tags instead.
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.exporters.html import WidgetsDataTypeFilter
from nbconvert.filters.highlight import Highlight2HTML
from nbformat import NotebookNode

MISSING_ALT = "No description has been provided for this image"
# An <img> tag, and the script and style blocks whose text is not markup (skipped whole).
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<img\b[^>]*>", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)


def with_alt_text(html: str) -> str:
    """`html` with an alt attribute on every <img> tag that has none."""

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        if match.group(1) or _ALT.search(_QUOTED.sub("", tag)):
            return tag
        return f'<img alt="{MISSING_ALT}"{tag[4:]}'

    return _TAG.sub(fix, html)


class FeedbackExporter(HTMLExporter):
    """HTMLExporter, with the alt text added without re-serialising the page."""

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        resources = self._init_resources(resources)
        highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        self.register_filter("highlight_code", highlight)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
        )
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return with_alt_text(html), resources
