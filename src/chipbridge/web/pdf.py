"""HTML -> PDF with WeasyPrint, from the same HTML the browser gets.

Nothing is fetched while rendering: the stylesheet is inlined by the template and any other
URL is refused, so a PDF never reaches the network. Chinese text needs a CJK font that
fontconfig finds (Debian: fonts-wqy-microhei; pango for WeasyPrint itself).
"""

from __future__ import annotations

from typing import Any


class NoFetching(ValueError):
    pass


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise NoFetching(f"the PDF may not load {url!r}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document: bytes = HTML(string=html, url_fetcher=_refuse).write_pdf()
    return document
