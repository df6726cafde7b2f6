from rag.corpus import parse_transcript
from rag.html_text import html_text, is_html

PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>&ldquo;Seed is a letter&rdquo;: Ada Vane on the seed library | The Review</title>
    <script type="application/ld+json">{"author": {"name": "Bo Pruett"}}</script>
    <style>p { color: #222; }</style>
  </head>
  <body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/people/">People</a></li></ul></nav>
    <article>
      <h1>Ada Vane on the seed library</h1>
      <p class="byline">By Bo Pruett &middot; 22 May 2023</p>
      <p>
        Nine years ago Ada Vane left a shoebox of beans in the
        town library. Bo Pruett met her in her greenhouse.
      </p>
      <p><strong>How big is the library now?</strong></p>
      <p>We hold 212 varieties, mostly <em>vegetables</em>.<br>Last year we lent 4,300 packets.</p>
      <aside class="pullquote">&ldquo;A seed is a letter.&rdquo;</aside>
      <p><strong>Where does the money come from?</strong></p>
      <p>Mostly donations &amp; a grant of &pound;18,000 from the <a href="/f">Commons Fund</a>.</p>
    </article>
    <footer><p>&copy; 2023 The Review</p></footer>
  </body>
</html>
"""


def test_a_page_source_is_told_by_its_doctype_or_its_block_tags():
    assert is_html(PAGE)
    assert is_html("<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n<div>Four.</div>\n<p>Five.</p>\n")
    # A tag or two inside words is not a page: a question may talk about HTML.
    assert not is_html("Q: Is <b> a tag?\nA: In HTML, yes. So is <p>.\n")


def test_a_page_source_becomes_the_text_a_browser_shows():
    # Head, scripts, styles, the menu, the side box and the footer go; a paragraph per block, white space
    # collapsed, entities decoded, a line break kept; a paragraph wholly in bold keeps its bold, a bold
    # or italic word inside one does not.
    assert html_text(PAGE) == (
        "“Seed is a letter”: Ada Vane on the seed library | The Review\n\n"
        "Ada Vane on the seed library\n\n"
        "By Bo Pruett · 22 May 2023\n\n"
        "Nine years ago Ada Vane left a shoebox of beans in the town library. Bo Pruett met her in her greenhouse.\n\n"
        "**How big is the library now?**\n\n"
        "We hold 212 varieties, mostly vegetables.\nLast year we lent 4,300 packets.\n\n"
        "**Where does the money come from?**\n\n"
        "Mostly donations & a grant of £18,000 from the Commons Fund.\n"
    )


def test_a_page_source_parses_as_its_text():
    doc = parse_transcript(PAGE, "page.html")
    assert doc.raw == html_text(PAGE)
    assert (doc.interviewee, doc.interviewer) == ("Ada Vane", "Bo Pruett")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "How big is the library now?"),
        ("answer", "We hold 212 varieties, mostly vegetables.\nLast year we lent 4,300 packets."),
        ("question", "Where does the money come from?"),
        ("answer", "Mostly donations & a grant of £18,000 from the Commons Fund."),
    ]
