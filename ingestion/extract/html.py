"""HTML report pages (the new website) -> Document.

The new site publishes a report as one page of sections whose headings end with
"(Back to top)". Headings, paragraphs, list items and table rows map directly onto blocks;
site chrome (nav, header, footer, scripts) is dropped. Pages that are clearly not a report
(error pages, login pages, near-empty pages) are rejected here; deciding whether a real
document is a PDU report is the parser's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, PageElement

from ingestion.document import Block, BlockKind, Document
from ingestion.errors import ExtractionError
from ingestion.extract.limits import Deadline

MIN_TEXT_CHARS = 200
_CHROME = ("script", "style", "noscript", "template", "nav", "svg", "iframe", "button")
_PAGE_CHROME = ("header", "footer")  # site-wide only: an article's own <header> holds its title
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LISTS = {"ul", "ol"}
_TEXT_BLOCKS = {"p", "blockquote", "pre", "address", "figcaption", "caption", "dt", "dd", "summary"}
_BACK_TO_TOP = re.compile(r"\s*\(?\s*back to top\s*\)?\s*$", re.IGNORECASE)
_ERROR_TITLE = re.compile(
    r"\b(page not found|not found|404|500|server error|internal error|error|access denied|forbidden|"
    r"sign in|log in|login)\b",
    re.IGNORECASE,
)
# Labels whose value sits in a separate element ("<span>Published:</span><time>...").
_LABEL = re.compile(r"\b(Published|Updated|Last updated):(?=\S)")


def _clean(text: str) -> str:
    return _LABEL.sub(r"\1: ", " ".join(text.split()))  # str.split() also splits at no-break spaces


def _inline_text(node: Tag) -> str:
    """Text of an element, with <br> and nested block boundaries read as spaces."""
    for br in node.find_all("br"):
        br.replace_with(" ")
    return _clean(node.get_text(" "))


def _check_is_document(soup: BeautifulSoup, body_text: str) -> None:
    title = _clean(soup.title.get_text()) if soup.title else ""
    if title and _ERROR_TITLE.search(title) and len(body_text) < 3000:
        raise ExtractionError(f"HTML error or login page, not a report (title: {title[:80]!r})")
    if soup.find("input", attrs={"type": "password"}) is not None and len(body_text) < 3000:
        raise ExtractionError("HTML login page, not a report (it asks for a password)")
    if len(body_text) < MIN_TEXT_CHARS:
        raise ExtractionError(f"HTML page has almost no text ({len(body_text)} characters): not a report")


def _split_off(
    el: Tag, names: set[str], deadline: Deadline, skip: frozenset[str] | set[str] = frozenset()
) -> tuple[list[str], list[Tag]]:
    """The text of `el` outside its descendants named in `names`, and those descendants (outermost
    ones, in document order); nothing inside an element named in `skip` is looked at.

    One pass without recursion or tree surgery: extracting nested elements one by one, or asking each
    for its parent table, made pages nested thousands deep quadratic.
    """
    parts: list[str] = []
    found: list[Tag] = []
    stack = [iter(el.children)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        deadline.tick()
        if isinstance(node, Tag):
            if node.name in names:
                found.append(node)
            elif node.name == "br":
                parts.append(" ")
            elif node.name not in skip:
                stack.append(iter(node.children))
        elif type(node) in Tag.MAIN_CONTENT_STRING_TYPES:
            parts.append(str(node))
    return parts, found


def _site_chrome(root: Tag) -> list[Tag]:
    """Elements that are site chrome: scripts, navigation, ... and headers or footers outside the article."""
    chrome: list[Tag] = []
    stack = [(iter(root.children), False)]  # (children, inside <main> or <article>)
    while stack:
        children, in_article = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag):
            if node.name in _CHROME or (node.name in _PAGE_CHROME and not in_article):
                chrome.append(node)  # removed whole: nothing inside it to look at
            else:
                stack.append((iter(node.children), in_article or node.name in ("main", "article")))
    return chrome


_CONTAINERS = {"div", "section", "article", "main", "aside", "body", "figure", "details", "li", "form"}
_FLUSH = object()  # on the walk's stack: flush the pending text when a container element ends


class _Walker:
    """Depth-first walk emitting blocks; loose inline text between block elements becomes a paragraph.

    The walk keeps its own stack instead of recursing: a page nested 10,000 elements deep must not
    exhaust Python's recursion limit.
    """

    def __init__(self, deadline: Deadline) -> None:
        self.blocks: list[Block] = []
        self.pending: list[str] = []
        self.deadline = deadline

    def finish(self) -> None:
        self._flush()

    def _flush(self) -> None:
        text = _clean(" ".join(self.pending))
        self.pending = []
        if text:
            self.blocks.append(Block(BlockKind.PARAGRAPH, text, gap_before=True))

    def walk(self, root: Tag) -> None:
        stack: list[Iterator[PageElement] | object] = [iter(root.children)]
        while stack:
            top = stack[-1]
            if top is _FLUSH:
                stack.pop()
                self._flush()
                continue
            child = next(top, None)  # type: ignore[call-overload]
            if child is None:
                stack.pop()
                continue
            self.deadline.tick()
            if isinstance(child, Comment | Doctype):
                continue
            if isinstance(child, NavigableString):
                self.pending.append(str(child))
            elif isinstance(child, Tag):
                if child.name in _CONTAINERS:
                    self._flush()
                    stack += [_FLUSH, iter(child.children)]
                elif not self._block_element(child):
                    stack.append(iter(child.children))  # inline element: its text joins the current run

    def _block_element(self, el: Tag) -> bool:
        """Emit a heading, text block, list, table or definition list; False for any other element."""
        name = el.name
        if name in _HEADINGS:
            self._flush()
            text = _BACK_TO_TOP.sub("", _inline_text(el))
            if text:
                self.blocks.append(Block(BlockKind.HEADING, text, gap_before=True))
        elif name in _TEXT_BLOCKS:
            self._flush()
            self.pending.append(_inline_text(el))
            self._flush()
        elif name in _LISTS:
            self._flush()
            self._list(el)
        elif name == "table":
            self._flush()
            self._table(el)
        elif name == "dl":
            self._flush()
            self._definitions(el)
        else:
            return False
        return True

    def _list(self, root: Tag) -> None:
        # One frame per open list: its remaining items, and whether its next visible item is its first.
        # A nested list is read right after its item's own text, as the items of a list of its own.
        stack: list[tuple[Iterator[Tag], list[bool]]] = [(iter(root.find_all("li", recursive=False)), [True])]
        while stack:
            items, first = stack[-1]
            li = next(items, None)
            if li is None:
                stack.pop()
                continue
            parts, nested = _split_off(li, _LISTS, self.deadline)
            text = _clean(" ".join(parts))
            if text:
                # The first item of every list follows a visible gap, as in the text conversions.
                self.blocks.append(Block(BlockKind.LIST_ITEM, text, gap_before=first[0]))
                first[0] = False
            stack += [(iter(sub.find_all("li", recursive=False)), [True]) for sub in reversed(nested)]

    def _table(self, el: Tag) -> None:
        first = True
        _, rows = _split_off(el, {"tr"}, self.deadline, skip={"table"})  # a nested table's rows are its own
        for tr in rows:
            cells = [_inline_text(cell) for cell in tr.find_all(["th", "td"], recursive=False)]
            if any(cells):
                self.blocks.append(Block.row(cells, gap_before=first))
                first = False

    def _definitions(self, el: Tag) -> None:
        # "<dt>Published:</dt><dd>12 March 2025</dd>" reads as one line of text.
        term = ""
        for child in el.find_all(["dt", "dd"]):
            if child.name == "dt":
                term = _inline_text(child)
            else:
                self.pending.append(f"{term} {_inline_text(child)}")
                term = ""
                self._flush()
        if term:
            self.pending.append(term)
            self._flush()


def extract_html(data: bytes, deadline: Deadline | None = None) -> Document:
    soup = BeautifulSoup(data, "lxml")
    for tag in _site_chrome(soup):
        tag.decompose()
    root = soup.body or soup
    body_text = _clean(root.get_text(" "))
    _check_is_document(soup, body_text)
    walker = _Walker(deadline or Deadline("HTML extraction", float("inf")))
    walker.walk(root)
    walker.finish()
    if not walker.blocks:
        raise ExtractionError("HTML page has no readable text blocks")
    return Document(walker.blocks, source_format="html")
