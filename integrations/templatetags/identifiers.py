"""Ids, paths and codes on the dashboard: they may wrap after a separator, never inside a word."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# After these a reader sees a part end (`sandbox:` `PLATFORM.` `/api/`); hyphens already allow
# a line break in every browser. Escaped text has no entity containing any of them.
_SEPARATOR = re.compile(r"([:./])(?=.)")


@register.filter
def breakable(value: object) -> SafeString:
    """`sandbox:7Xk2…` -> `sandbox:<wbr>7Xk2…`: a line may end after a separator only."""
    return mark_safe(_SEPARATOR.sub(r"\1<wbr>", str(escape(value))))  # noqa: S308 - escaped
