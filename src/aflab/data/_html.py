"""Turning the HTML fragments found in some query sets into plain text."""

from html.parser import HTMLParser

__all__ = ["html_to_text"]

# Tags that set their content apart as a paragraph (a blank line around it).
_PARAGRAPH_TAGS = frozenset(
    {
        "p", "div", "ul", "ol", "blockquote", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "pre", "section", "article", "hr",
    }
)  # fmt: skip
# Tags that start a new line.
_LINE_TAGS = frozenset({"br", "li", "tr", "figcaption"})
# Tags whose content is never shown to a reader.
_HIDDEN_TAGS = frozenset({"script", "style", "head", "title", "iframe"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0
        # Line breaks owed before the next visible text; adjacent tags share them.
        self._pending_breaks = 0
        self._bullet = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth += 1
        else:
            self._break(tag)
            self._bullet = self._bullet or tag == "li"

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        else:
            self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag)

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self._pending_breaks = 2
        elif tag in _LINE_TAGS:
            self._pending_breaks = max(self._pending_breaks, 1)

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._pending_breaks or self._bullet:
            if not data.strip():
                return
            self.parts.append("\n" * self._pending_breaks + ("- " if self._bullet else ""))
            self._pending_breaks = 0
            self._bullet = False
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Strip tags from an HTML fragment and decode its entities.

    Paragraph-level elements are set apart by a blank line; line breaks and list items
    start new lines, list items with a `- `. Runs of spaces are collapsed and at most one
    blank line is kept. Text without markup comes back unchanged apart from that
    whitespace tidying.

    Args:
        markup: Text that may contain HTML tags and character references.

    Returns:
        The readable text.

    Examples:
        >>> print(html_to_text("Hens &amp; pigs<br>can <a href='x'>suffer</a>.<p>Why?</p>"))
        Hens & pigs
        can suffer.
        <BLANKLINE>
        Why?
    """
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()
