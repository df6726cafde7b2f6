"""A web page's HTML source read as the text a browser shows of it.

A user may paste a page's source ("View page source") instead of its text. Read as text, every source
line is a paragraph, the tags and entities stay in the words ("<p><strong>Why beans?</strong></p>",
"&rsquo;"), and the head's metadata, scripts and styles are read as the conversation. The bot reads
such a file as the text its elements make instead, as a copy from the browser would give it: a paragraph
per block element (a paragraph, a heading, a list item, a table row), white space collapsed, entities
decoded. What HTML itself marks as no part of the content is left out: scripts, styles, forms, the
navigation menu (`<nav>`), the page's footer (`<footer>`) and side boxes (`<aside>`, a pull quote or a
"Related" list). A paragraph set wholly in bold or italics keeps that as Markdown ("**Why beans?**"), the
way pages set their questions apart, so the parser reads it as it reads a Markdown page. The page's
`<title>` is its first line. That text is the document's: quotes and their offsets are into it.

Python's own `html.parser` tokenizes (it decodes entities and tolerates unclosed tags); this module only
decides which elements end a paragraph and which are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# A file is HTML when it opens with a doctype or an <html> tag, or when this many of its lines hold a
# paragraph or block tag.
MIN_BLOCK_TAGS = 5
_OPENING = re.compile(r"^\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|li|br|article|section|blockquote)\b[^>]*>", re.IGNORECASE)

# Elements whose content is not the page's text (scripts, styles, forms) or that HTML marks as outside
# the content (menus, footers, side boxes).
_LEFT_OUT = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "form", "select", "button", "nav", "footer", "aside"}
)
# Elements that end a paragraph (a browser lays each out as a block of its own).
_BLOCKS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
        "section", "article", "header", "main", "figure", "figcaption", "table", "tr", "pre", "hr", "title",
        "address", "details", "summary", "body", "head", "html",
    }
)  # fmt: skip
_BOLD = frozenset({"strong", "b"})
_ITALIC = frozenset({"em", "i"})
# Void elements have no end tag: one left out must not wait for one.
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed", "track"})


def is_html(raw: str) -> bool:
    """Whether a text is a web page's HTML source.

    >>> is_html("<!DOCTYPE html>\\n<html><body><p>Hi.</p></body></html>")
    True
    >>> is_html("Q: Is <b> a tag?\\nA: In HTML, yes.\\n")
    False
    """
    if _OPENING.match(raw):
        return True
    return sum(1 for line in raw.splitlines() if _BLOCK_TAG.search(line)) >= MIN_BLOCK_TAGS


def html_text(raw: str) -> str:
    """The text a page's HTML makes: its title, then a paragraph per block, blank lines between.

    >>> print(html_text(
    ...     "<html><head><title>Beans | The Review</title><style>p {color: red}</style></head><body>"
    ...     "<nav><a href='/'>Home</a></nav><h1>On beans</h1>"
    ...     "<p><strong>Why   beans?</strong></p><p>They keep &mdash; and <em>they</em> grow.</p>"
    ...     "<aside>Subscribe now</aside><footer>&copy; 2023</footer></body></html>"))
    Beans | The Review
    <BLANKLINE>
    On beans
    <BLANKLINE>
    **Why beans?**
    <BLANKLINE>
    They keep — and they grow.
    <BLANKLINE>
    """
    reader = _PageReader()
    reader.feed(raw)
    reader.close()
    reader.end_paragraph()
    return "".join(f"{paragraph}\n\n" for paragraph in reader.paragraphs).rstrip("\n") + "\n"


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._left_out: list[str] = []  # the open left-out elements, innermost last
        self._pieces: list[tuple[str, bool, bool]] = []  # (text, bold, italic) of the paragraph being read
        self._bold = 0
        self._italic = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._left_out:
            if tag in _LEFT_OUT and tag not in _VOID:
                self._left_out.append(tag)
            return
        if tag in _LEFT_OUT:
            self._left_out.append(tag)
        elif tag == "br":
            self._pieces.append(("\n", bool(self._bold), bool(self._italic)))
        elif tag in _BLOCKS:
            self.end_paragraph()
            if tag == "pre":
                self._pre += 1
        elif tag in _BOLD:
            self._bold += 1
        elif tag in _ITALIC:
            self._italic += 1

    def handle_endtag(self, tag: str) -> None:
        if self._left_out:
            if tag == self._left_out[-1]:
                self._left_out.pop()
            return
        if tag in _BLOCKS:
            self.end_paragraph()
            if tag == "pre" and self._pre:
                self._pre -= 1
        elif tag in _BOLD:
            self._bold = max(0, self._bold - 1)
        elif tag in _ITALIC:
            self._italic = max(0, self._italic - 1)

    def handle_data(self, data: str) -> None:
        if self._left_out:
            return
        if not self._pre:
            data = re.sub(r"\s+", " ", data)
        self._pieces.append((data, bool(self._bold), bool(self._italic)))

    def end_paragraph(self) -> None:
        pieces, self._pieces = self._pieces, []
        lines = "".join(text for text, _, _ in pieces).split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        if not text:
            return
        # Markup only where it sets the whole paragraph apart: a bold word inside an answer is no question.
        worded = [(bold, italic) for piece, bold, italic in pieces if piece.strip()]
        if all(bold for bold, _ in worded):
            text = f"**{text}**"
        elif all(italic for _, italic in worded):
            text = f"*{text}*"
        self.paragraphs.append(text)
