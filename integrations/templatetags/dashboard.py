"""Small formatting helpers for the operator dashboard's templates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django import template
from django.http import QueryDict
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from integrations.models import Integration, LinkState
from integrations.selectors.dashboard import (
    HealthState,
    duration_words,
    integration_health_state,
)
from integrations.selectors.scope_configs import ToolSupport
from integrations.tools import TOOLS
from integrations.words import (
    credential_set_by,
    language_name,
    link_type_help,
    link_type_label,
    pause_reason_words,
    relative_time_words,
)

register = template.Library()

register.filter("credential_set_by", credential_set_by)
register.filter("language_name", language_name)
register.filter("link_type_help", link_type_help)
register.filter("link_type_label", link_type_label)
register.filter("pause_reason_words", pause_reason_words)


@register.filter(name="duration_words")
def duration_words_filter(value: timedelta | None) -> str:
    return duration_words(value) if value is not None else ""


@register.simple_tag
def relative_time(moment: datetime | None, empty: str = "—") -> SafeString:
    """'just now', '5 min ago', 'in 2 h' (the exact time on hover): how every dashboard page
    writes a moment relative to now."""
    if moment is None:
        return format_html("{}", empty)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        moment.isoformat(),
        formats.date_format(timezone.localtime(moment), "M j, Y H:i:s"),
        relative_time_words(moment),
    )


@register.filter
def state_words(value: str | None) -> str:
    """PARTIALLY_FAILED -> "Partially failed"."""
    return (value or "").replace("_", " ").capitalize()


@register.simple_tag(takes_context=True)
def sort_header(
    context: template.Context,
    label: str,
    ascending: str,
    descending: str,
    first: str = "descending",
) -> SafeString:
    """A column header whose link sorts by it (`first` direction first), flipping the order
    when it already does. The page's current order comes from the context's `sort`."""
    query: QueryDict = context["request"].GET.copy()
    current = context.get("sort") or query.get("sort") or ""
    if current == descending:
        target, state, arrow = ascending, "descending", "↓"
    elif current == ascending:
        target, state, arrow = descending, "ascending", "↑"
    else:
        target, state, arrow = (ascending if first == "ascending" else descending), "", ""
    query["sort"] = target
    query.pop("page", None)
    return format_html(
        '<th scope="col"{}><a class="sort-link" href="?{}">{}'
        '<span class="sort-link__arrow" aria-hidden="true">{}</span></a></th>',
        format_html(' aria-sort="{}"', state) if state else "",
        query.urlencode(),
        label,
        arrow,
    )


# Tags rather than included templates: the list renders them for every row.


@register.simple_tag
def tool_label(tool_id: str) -> SafeString:
    """The tool's icon and name; an unknown id (a removed connector) shows as itself."""
    tool = TOOLS.get(tool_id)
    if tool is None:
        return format_html(
            '<span class="tool"><span class="tool__icon tool__icon--unknown" '
            'aria-hidden="true">?</span>{}</span>',
            tool_id,
        )
    return format_html(
        '<span class="tool"><img class="tool__icon" src="{}" alt="" width="24" height="24">'
        "{}</span>",
        static(tool.icon),
        tool.label,
    )


@register.simple_tag
def status_badge(status: str) -> SafeString:
    return format_html('<span class="badge badge--{}">{}</span>', status.lower(), status)


@register.filter
def health_state(integration: Integration) -> HealthState:
    """The state the list's chips count the integration under (not the API's status)."""
    return integration_health_state(integration)


@register.simple_tag
def health_badge(health: HealthState) -> SafeString:
    return format_html(
        '<span class="badge badge--{}" data-health-state="{}">{}</span>',
        health.badge,
        health.value,
        health.label,
    )


@register.simple_tag
def link_state_badge(state: str, unopened: str = "") -> SafeString:
    """A link's state (`LinkState`) as a badge. `unopened` words a link nobody opened yet where
    "Sent" would be wrong (the integration page's embedded links are never sent)."""
    link_state = LinkState(state)
    label = unopened if unopened and link_state is LinkState.SENT else link_state.short_label
    return format_html(
        '<span class="badge badge--{}" data-link-state>{}</span>', link_state.badge, label
    )


_SUPPORTED = mark_safe('✓<span class="visually-hidden"> supported</span>')
_UNSUPPORTED = mark_safe('—<span class="visually-hidden"> not supported</span>')


@register.simple_tag
def scope_tools(tools: Iterable[ToolSupport], subject: str) -> SafeString:
    """The tools reading a model or field, as one list: a tag rather than an include per tool,
    which the scope config editor would render for every tool of every field."""
    items = format_html_join(
        "",
        '<li><span class="tag{}" data-tool="{}" data-coverage="{}" title="{}: {}">'
        "{} {}</span></li>",
        (
            (
                " tag--enabled" if support.is_supported else "",
                support.tool_id,
                support.coverage,
                support.tool_label,
                support.coverage_label,
                support.tool_label,
                _SUPPORTED if support.is_supported else _UNSUPPORTED,
            )
            for support in tools
        ),
    )
    return format_html(
        '<ul class="scope-tools" aria-label="Tools reading {}">{}</ul>', subject, items
    )
