"""The exporter of the kit's `nbgrader generate_feedback` writes the page nbconvert's
HTMLExporter writes (the same tree once parsed), alt text included, without re-serialising it;
and the kit's nbgrader configuration uses it."""

import base64

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from nbconvert.exporters import HTMLExporter

from graders.instructor.feedback_exporter import MISSING_ALT, FeedbackExporter, with_alt_text

PNG = base64.b64encode(bytes.fromhex("89504e470d0a1a0a")).decode()


def _notebook():
    markdown = (
        "# A plot\n\n<img src='given.png'>, <IMG SRC=\"loud.png\">, "
        "<img alt=\"said\" src=\"kept.png\">, <img title=' alt=' src='quoted.png'>\n\n"
        "`<img src=code.png>` and 1 < 2 > 0"
    )
    code = nbformat.v4.new_code_cell("plot()\nhtml = '<img src=\"in-a-string.png\">'")
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<script>var s = '<img src=js.png>';</script><img src='out.png'>"},
        ),
        nbformat.v4.new_output("stream", text="<img src=stdout.png>\n"),
    ]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown), code])


@pytest.mark.parametrize("template", ["classic", "lab"])
def test_the_page_is_htmlexporters_page(template):
    nb = _notebook()
    stock, _ = HTMLExporter(template_name=template).from_notebook_node(nb)
    ours, _ = FeedbackExporter(template_name=template).from_notebook_node(nb)
    if template == "lab":  # the lab template's focusable cells are what the soup adds besides
        for tag in BeautifulSoup(stock, "html.parser").select("[tabindex]"):
            assert tag.name == "div"
        stock = stock.replace(' tabindex="0"', "")
    assert str(BeautifulSoup(ours, "html.parser")) == str(BeautifulSoup(stock, "html.parser"))
    assert ours.count(MISSING_ALT) == stock.count(MISSING_ALT) >= 4


def test_alt_text_only_where_an_img_tag_has_none():
    assert with_alt_text("<p><img src=a.png></p>") == f'<p><img alt="{MISSING_ALT}" src=a.png></p>'
    assert with_alt_text("<IMG\nsrc=a.png/>") == f'<img alt="{MISSING_ALT}"\nsrc=a.png/>'
    silent = [
        '<img alt="" src=a.png>',
        "<img src=a.png ALT = 'x'>",
        "<script>'<img src=a.png>'</script>",
        "<style>/* <img src=a.png> */</style>",
        "&lt;img src=a.png&gt;",
        "<imgx src=a.png>",
        "",
    ]
    for html in silent:
        assert with_alt_text(html) == html
    assert MISSING_ALT in with_alt_text("<img data-alt=x src=a.png>")
    assert MISSING_ALT in with_alt_text("<img title=' alt=' src=a.png>")


def test_the_kits_nbgrader_configuration_uses_it():
    text = (ROOT / "nbgrader_config.py").read_text()
    assert (
        'c.GenerateFeedback.exporter_class = "graders.instructor.feedback_exporter.FeedbackExporter"' in text
    )
