"""Interface language: English (the source strings) and Simplified Chinese.

Translations live in gettext catalogs (``web/i18n/<locale>/LC_MESSAGES/messages.po``) read
with Babel; each request picks a language from ``?lang=``, the ``lang`` cookie or the
user's setting.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parent / "i18n"
LANGUAGES = {"en": "English", "zh": "简体中文"}
_LOCALES = {"zh": "zh_Hans"}


@cache
def _messages(lang: str) -> dict[str, str]:
    locale = _LOCALES.get(lang)
    if locale is None:
        return {}
    path = CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def translator(lang: str) -> Callable[[str], str]:
    messages = _messages(lang if lang in LANGUAGES else "en")
    return lambda text: messages.get(text, text)


def pick(*preferences: str | None) -> str:
    """The first supported language of ``?lang=``, the ``lang`` cookie, the user's setting."""
    for lang in preferences:
        if lang in LANGUAGES:
            return lang
    return "en"
