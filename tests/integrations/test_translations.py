"""The catalogs of the customer's pages (de, fr, it, es) against the code that asks for them.

What a message is: every `{% translate %}` / `{% blocktranslate %}` in any template and every
`gettext` / `gettext_lazy` / `pgettext` (or `_`) call in our Python. Only customer-facing code
uses them (the operator's dashboard is English), so a message added anywhere must be
translated in all four languages before this passes.

How they are found without GNU gettext on the developer's machine: a template goes through
Django's own `django.utils.translation.template.templatize` (what `makemessages` hands to
xgettext), which turns each translation tag into a `gettext('...')` call whose literal is read
with `ast.literal_eval`; Python modules are parsed with `ast`, and each such call's literal
first argument is a msgid (a non-literal one is an error: it could never be in a catalog). The
catalogs are read with polib, and the committed .mo files are compared with their .po files.

A hosted template must not carry text outside its translation tags either: the check strips
the tags, template variables and markup and expects no letters left in the text or in the
attributes people read (alt, title, aria-label, placeholder).
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["de", "fr", "it", "es"]
PYTHON_APPS = ["integrations", "syncs", "webhooks", "kombo_site"]
HOSTED_TEMPLATES = ROOT / "templates" / "connect"
GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
# Words a careful translator leaves as they are in that language (product words, codes and
# words the language shares with English); anything else equal to its msgid was forgotten.
SAME_IN = {
    "de": {"Name", "optional", "Status", "Team", "Position", "IBAN"}
    | {"April", "August", "September", "November"},
    "fr": {"Type", "IBAN", "Client ID", "Client secret", "Absences"},
    "it": {"Email", "Team", "IBAN", "Client ID", "Client secret"},
    "es": {"IBAN", "Client ID", "Client secret"},
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
_TEMPLATIZED_CALL = re.compile(
    r"\b(p?gettext)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)\s*\)"
)
_LITERAL = re.compile(r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


def template_messages(source: str, origin: str) -> list[str]:
    """The msgids of one template in their order, as `makemessages` would extract them."""
    messages = []
    for function, arguments in _TEMPLATIZED_CALL.findall(templatize(source, origin=origin)):
        literals = [ast.literal_eval(literal) for literal in _LITERAL.findall(arguments)]
        messages.append(literals[1] if function == "pgettext" else literals[0])
    return messages


def python_messages(source: str, origin: str) -> list[str]:
    """The msgids of one module in their order."""
    calls = []
    for node in ast.walk(ast.parse(source, filename=origin)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else None
        if isinstance(function, ast.Attribute) and function.attr != "_":
            name = function.attr
        if name not in GETTEXT_FUNCTIONS or not node.args:
            continue
        argument = node.args[1] if name.startswith("pgettext") else node.args[0]
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            raise AssertionError(
                f"{origin}:{node.lineno}: {name}() needs a literal message to be translatable"
            )
        calls.append((node.lineno, node.col_offset, argument.value))
    return [message for _, _, message in sorted(calls)]


def all_messages() -> dict[str, str]:
    """Every msgid our code asks for, with one place that asks for it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        origin = str(path.relative_to(ROOT))
        for message in template_messages(path.read_text(encoding="utf-8"), origin):
            found.setdefault(message, origin)
    for app in PYTHON_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            origin = str(path.relative_to(ROOT))
            for message in python_messages(path.read_text(encoding="utf-8"), origin):
                found.setdefault(message, origin)
    return found


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> set[str]:
    return {percent or brace for percent, brace in PLACEHOLDER.findall(text)}


def repeated_text(msgstr: str) -> str | None:
    """A piece of the translation that occurs in it twice: a sentence of three words or more,
    or its opening (what a catalog that pasted the text after itself shows)."""
    opening = msgstr[: min(len(msgstr) // 2, 40)]
    if len(opening) >= 12 and msgstr.count(opening) > 1:
        return opening
    sentences = [s.strip() for s in re.split(r"(?<=[.!?:])|\n", msgstr)]
    seen: set[str] = set()
    for sentence in sentences:
        if len(sentence.split()) >= 3 and sentence in seen:
            return sentence
        seen.add(sentence)
    return None


def untranslated(language: str, messages: dict[str, str]) -> list[str]:
    entries = {entry.msgid: entry for entry in catalog(language) if not entry.obsolete}
    problems = []
    for message, origin in sorted(messages.items()):
        entry = entries.get(message)
        if entry is None or not entry.msgstr.strip():
            problems.append(f"{origin}: {message!r} has no {language} translation")
        elif entry.msgstr == message and message not in SAME_IN[language]:
            problems.append(f"{origin}: {message!r} is left in English in {language}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_message_the_code_asks_for(language: str) -> None:
    messages = all_messages()

    assert len(messages) > 100, "the extraction found (almost) nothing: is it broken?"
    assert untranslated(language, messages) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_no_translation_that_repeats_itself(language: str) -> None:
    repeated = {
        entry.msgid: found
        for entry in catalog(language)
        if (found := repeated_text(entry.msgstr)) is not None
    }

    assert repeated == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_the_placeholders_of_every_message(language: str) -> None:
    differing = {
        entry.msgid: sorted(placeholders(entry.msgstr))
        for entry in catalog(language)
        if placeholders(entry.msgstr) != placeholders(entry.msgid)
    }

    assert differing == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_no_fuzzy_obsolete_or_stale_entries(language: str) -> None:
    messages = all_messages()
    entries = catalog(language)

    assert [entry.msgid for entry in entries.fuzzy_entries()] == []
    assert [entry.msgid for entry in entries.obsolete_entries()] == []
    assert sorted(entry.msgid for entry in entries if entry.msgid not in messages) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_ships_mo_files_compiled_from_the_po_files(language: str) -> None:
    """Django reads the .mo files; they must say what the reviewed .po files say."""
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    compiled = polib.mofile(str(folder / "django.mo"))

    assert {e.msgid: e.msgstr for e in compiled if e.msgid} == {
        e.msgid: e.msgstr for e in catalog(language)
    }


class _VisibleText(HTMLParser):
    READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._in_code += 1
        self.texts += [value or "" for name, value in attrs if name in self.READ_ATTRIBUTES]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_code:
            self.texts.append(data)


def text_outside_translation(source: str) -> list[str]:
    """What a reader would see of the template that no translation tag covers."""
    stripped = re.sub(
        r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}|{%.*?%}|{{.*?}}|{#.*?#}",
        "",
        source,
        flags=re.DOTALL,
    )
    parser = _VisibleText()
    parser.feed(stripped)
    return [text.strip() for text in parser.texts if re.search(r"[^\W\d_]", text)]


@pytest.mark.parametrize(
    "path", sorted(HOSTED_TEMPLATES.glob("*.html")), ids=lambda path: path.name
)
def test_it_leaves_no_text_of_a_hosted_page_outside_a_translation_tag(path: Path) -> None:
    assert text_outside_translation(path.read_text(encoding="utf-8")) == []


def test_it_would_notice_new_messages_and_text_without_a_translation() -> None:
    """The checks above can fail: a new tag, a new gettext call and bare text are caught."""
    template = '{% load i18n %}<p>{% translate "A brand new sentence" %}</p><p title="Hi">x</p>'
    python = 'from django.utils.translation import gettext_lazy as _\nX = _("Another new one")\n'
    messages = {
        **dict.fromkeys(template_messages(template, "new.html"), "new.html"),
        **dict.fromkeys(python_messages(python, "new.py"), "new.py"),
    }

    assert set(messages) == {"A brand new sentence", "Another new one"}
    assert len(untranslated("de", messages)) == 2
    assert text_outside_translation(template) == ["Hi", "x"]
    assert repeated_text("Bitte prüfen Sie sie.Bitte prüfen Sie sie.") is not None
    assert placeholders("%(tool)s und {label}") == {"tool", "label"}
    with pytest.raises(AssertionError, match="literal"):
        python_messages('_(f"{x}")', "bad.py")
