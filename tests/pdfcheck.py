"""Whether this machine can make and read PDFs: WeasyPrint with Debian's pango, the CJK font,
and poppler's pdftotext and pdffonts. Outside CI the PDF tests skip without them, saying
why; under CI=true a skip is a failure (conftest), and .ci/run installs them."""

from __future__ import annotations

import shutil

import pytest

from chipbridge.web.pdf import PdfUnavailable, cjk_font


def _missing() -> str | None:
    tools = [t for t in ("pdftotext", "pdffonts") if shutil.which(t) is None]
    if tools:
        return f"{' and '.join(tools)} (Debian's poppler-utils) not installed"
    try:
        cjk_font()
        import weasyprint  # noqa: F401 - loads pango
    except (PdfUnavailable, OSError, ImportError) as exc:
        return f"cannot make PDFs here: {exc}"
    return None


PDF_MISSING = _missing()
needs_pdf = pytest.mark.skipif(PDF_MISSING is not None, reason=PDF_MISSING or "")
