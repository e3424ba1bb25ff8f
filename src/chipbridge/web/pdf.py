"""PDF from the app's own page templates, with WeasyPrint and an embedded CJK font.

``render_pdf("some_template.html", **context)`` renders a Jinja template of
``web/templates`` and returns the PDF's bytes; the Chinese text is set in WenQuanYi Micro Hei
(Debian's ``fonts-wqy-microhei``), embedded as a subset, so the file reads the same on any
machine. The meeting pack uses it; any other printable document (a briefing, a report) calls
it the same way with its own template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chipbridge.web.deps import templates

STATIC = Path(__file__).resolve().parent / "static"
# Where Debian puts the font; fontconfig's name is used only as a fallback in the CSS.
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)


class PdfUnavailable(RuntimeError):
    """This machine lacks what the PDF needs (WeasyPrint's pango, or the CJK font)."""


def cjk_font() -> Path:
    for path in CJK_FONTS:
        if path.is_file():
            return path
    raise PdfUnavailable(
        "the CJK font is not installed: apt-get install fonts-wqy-microhei (Chinese text "
        "would print as empty boxes)"
    )


def render_pdf(template: str, **context: Any) -> bytes:
    """The template rendered as a PDF (A4, ``static/pdf.css``), with the CJK font embedded."""
    font = cjk_font()
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            f"WeasyPrint cannot start ({exc}); it needs pango: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0"
        ) from None
    html = templates.get_template(template).render(**context)
    face = f'@font-face {{ font-family: "CJK"; src: url("{font.as_uri()}"); }}\n'
    style = CSS(string=face + (STATIC / "pdf.css").read_text(encoding="utf-8"))
    pdf: bytes = HTML(string=html, base_url=str(STATIC)).write_pdf(stylesheets=[style])
    return pdf
