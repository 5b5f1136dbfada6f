"""Each tool's texts on the hosted form are read in the link's language: credential labels,
their help texts and field errors, the permission descriptions and the guide. The operator's
warnings about the same permissions stay English whatever language is active.

A text is translated when, read under a language, it is that language's catalog entry for its
English text (or, for a sentence built around a name, differs from the English sentence).
"""

from __future__ import annotations

from collections.abc import Iterator

import polib
import pytest
from django.conf import settings
from django.utils import translation

from integrations.tools import TOOLS
from integrations.tools.base import Tool
from integrations.tools.sandbox import PERM_PERSONAL

LANGUAGES = ["de", "fr", "it", "es"]


def _catalog(language: str) -> dict[str, str]:
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))}


def _texts(tool: Tool) -> Iterator[tuple[str, object]]:
    for field in tool.credential_fields:
        yield f"{field.key} label", field.label
        yield f"{field.key} required message", field.required_message
        if field.help_text:
            yield f"{field.key} help text", field.help_text
        if field.well_formed is not None:
            yield f"{field.key} malformed message", field.malformed_message
    for permission, description in tool.permissions.items():
        yield f"permission {permission}", description


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("tool", list(TOOLS.values()), ids=list(TOOLS))
def test_it_reads_every_text_of_the_tool_in_the_links_language(tool: Tool, language: str) -> None:
    catalog = _catalog(language)
    untranslated = []
    for name, text in _texts(tool):
        with translation.override("en"):
            english = str(text)
        with translation.override(language):
            read = str(text)
        expected = catalog.get(english)
        if expected is not None and read != expected:
            untranslated.append(f"{name}: {read!r}, the catalog says {expected!r}")
        elif expected is None and read == english:
            untranslated.append(f"{name}: {read!r} is English")

    assert untranslated == []


@pytest.mark.parametrize("tool", list(TOOLS.values()), ids=list(TOOLS))
def test_it_has_a_guide_in_every_language_with_the_same_steps(tool: Tool) -> None:
    english = tool.guide("en")

    assert set(tool.guides) == {"en", *LANGUAGES}
    for language in LANGUAGES:
        guide = tool.guide(language)
        assert len(guide) == len(english), language
        assert not set(guide) & set(english), f"{language} repeats English steps"


def test_it_keeps_the_operators_permission_warnings_in_english() -> None:
    """Warnings are built outside any customer's language (sync runs in a worker); even under
    an active German translation they and the stored texts stay English."""
    sandbox = TOOLS["sandbox"]
    with translation.override("de"):
        gaps = sandbox.permission_gaps(
            model_id="hris_employees", field_ids=["date_of_birth"], granted=frozenset()
        )
        field_gaps = sandbox.permission_gaps(
            model_id="hris_employees",
            field_ids=["date_of_birth"],
            granted=frozenset({"employees:read"}),
        )
        german_description = str(sandbox.permissions[PERM_PERSONAL])

    assert gaps[0].message == (
        "Sandbox HR: the credentials lack the permission 'employees:read' to read hris_employees."
    )
    assert field_gaps[0].message == (
        f"Sandbox HR: the credentials cannot read field 'date_of_birth' (needs '{PERM_PERSONAL}')."
    )
    assert german_description.startswith("Persönliche Daten der Mitarbeitenden lesen")
    assert str(sandbox.permissions[PERM_PERSONAL]).startswith("Read employees' personal data")
