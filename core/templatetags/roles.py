"""`user|may:"RELINK_INTEGRATION"`: templates ask core/roles.py what a user may do, by the
name of its constant, so a page hides exactly the actions its view would refuse.

A builtin (settings.TEMPLATES), so no template has to load it.
"""

from __future__ import annotations

from typing import Any

from django import template

from core import roles

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    permission = getattr(roles, action, None)
    if not action.isupper() or not isinstance(permission, str):
        # A typo must fail where the page is rendered (every page has a test), not hide a button.
        raise template.TemplateSyntaxError(f"core/roles.py has no permission named {action!r}")
    return roles.may(user, permission)
