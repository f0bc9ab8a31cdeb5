"""Section bodies rendered for front ends: CommonMark, citations as links, always sanitized."""

from __future__ import annotations

import pytest

from cms.delivery.render import render_markdown

NUMBERS = {"scot2018": 1, "qiu2017": 2}


def test_citation_marker_becomes_a_numbered_link_to_the_reference():
    html = render_markdown("Event-free survival improved [@scot2018].", NUMBERS)
    assert html == (
        '<p>Event-free survival improved <sup class="citation">'
        '<a href="#ref-scot2018">1</a></sup>.</p>'
    )


def test_several_ids_in_one_marker_render_as_several_links():
    html = render_markdown("Both [@qiu2017; @scot2018].", NUMBERS)
    assert '<a href="#ref-qiu2017">2</a>, <a href="#ref-scot2018">1</a>' in html


def test_markers_inside_code_stay_literal():
    assert "<code>[@scot2018]</code>" in render_markdown("Write `[@scot2018]` to cite.", NUMBERS)


def test_commonmark_structure_is_kept():
    html = render_markdown("Intro **bold** and *it*.\n\n- one\n- two\n\n1. first", NUMBERS)
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n</ol>" in html


def test_body_headings_start_below_the_section_heading():
    html = render_markdown("# Top\n\n## Next\n\n###### Deep", NUMBERS)
    assert "<h3>Top</h3>" in html
    assert "<h4>Next</h4>" in html
    assert "<h6>Deep</h6>" in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://x.org" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_is_never_rendered_as_markup(body: str):
    html = render_markdown(body, NUMBERS)
    assert html.startswith("<p>&lt;")  # shown as text, escaped
    for tag in ("<script", "<img", "<iframe", "<style", "<a "):
        assert tag not in html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "ftp://example.org/file",
    ],
)
def test_links_with_unsafe_schemes_lose_their_href(link: str):
    html = render_markdown(f"[click]({link})", NUMBERS)
    assert "href" not in html


@pytest.mark.parametrize(
    "link",
    ["https://www.fda.gov/page", "http://example.org", "mailto:editor@example.org", "/about", "#x"],
)
def test_safe_links_are_kept(link: str):
    assert f'<a href="{link}">click</a>' in render_markdown(f"[click]({link})", NUMBERS)


def test_images_are_not_rendered():
    html = render_markdown("![pixel](https://tracker.example/p.gif)", NUMBERS)
    assert "<img" not in html


def test_unknown_citation_renders_literally_instead_of_linking():
    assert render_markdown("See [@nobody].", NUMBERS) == "<p>See [@nobody].</p>"
