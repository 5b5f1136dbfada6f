"""Every string customers see on the hosted pages is translated into de, fr, it and es, and
the compiled catalogues carry them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["de", "fr", "it", "es"])
def test_it_translates_every_message(language: str) -> None:
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = [entry for entry in po.split("\n\n") if 'msgid ""\nmsgstr ""\n"Project' not in entry]
    untranslated = [
        entry for entry in entries if re.search(r'msgstr ""\s*$', entry) or "#, fuzzy" in entry
    ]

    assert untranslated == []
    with translation.override(language):
        assert translation.gettext("First name") != "First name"
