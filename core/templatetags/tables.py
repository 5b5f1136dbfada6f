"""`{% table_card %}`: the dashboard's one markup for a table of rows (a flush card, a
keyboard-scrollable region named for screen readers, the table and its head), so every list page
scrolls, stacks and announces itself the same way.

    {% table_card label="Request logs" columns="When|Latency:align-right|[Actions]" %}
      {% for log in logs %}<tr>...</tr>{% empty %}
      {% empty_row %}Nothing logged.{% endempty_row %}{% endfor %}
    {% endtable_card %}

`label` names the region (`aria-label`); `labelledby` points it at a heading instead. `columns`
lists the head cells: `Text:class` adds a class, `[Text]` hides the text visually (an actions
column); without `columns` the body writes its own `<thead>` and `<tbody>`. `caption` is for
screen readers only. `class` (default "table") and `id` go on the `<table>`. `{% empty_row %}`
is the "no rows" line, spanning all the columns.

A builtin (settings.TEMPLATES), so no template has to load it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

_COLUMN_COUNT = "table_card_column_count"
_OPTIONS = frozenset({"label", "labelledby", "caption", "columns", "class", "id"})


@dataclass(frozen=True)
class Column:
    text: str
    css_class: str
    hidden: bool


def columns_parse(spec: str) -> list[Column]:
    columns = []
    for cell in spec.split("|"):
        text, _, css_class = cell.partition(":")
        hidden = text.startswith("[") and text.endswith("]")
        columns.append(
            Column(text=text.strip("[]") if hidden else text, css_class=css_class, hidden=hidden)
        )
    return columns


class TableCardNode(template.Node):
    def __init__(self, nodelist: NodeList, options: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.options = options

    def render(self, context: Context) -> str:
        values = {name: expression.resolve(context) for name, expression in self.options.items()}
        columns = columns_parse(values["columns"]) if values.get("columns") else []
        with context.push({_COLUMN_COUNT: len(columns)}):
            body = self.nodelist.render(context)
        return render_to_string(
            "includes/table_card.html",
            {
                "label": values.get("label"),
                "labelledby": values.get("labelledby"),
                "table_class": values.get("class") or "table",
                "table_id": values.get("id"),
                "caption": values.get("caption"),
                "columns": columns,
                "body": mark_safe(body),  # noqa: S308 - escaped
            },
        )


class EmptyRowNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        if not context.get(_COLUMN_COUNT):
            raise template.TemplateSyntaxError(
                "{% empty_row %} needs a {% table_card %} with columns around it"
            )
        return render_to_string(
            "includes/table_empty_row.html",
            {
                "colspan": context[_COLUMN_COUNT],
                "message": mark_safe(self.nodelist.render(context)),  # noqa: S308 - escaped
            },
        )


@register.tag
def table_card(parser: Parser, token: Token) -> TableCardNode:
    bits = token.split_contents()[1:]
    options = template.base.token_kwargs(bits, parser, support_legacy=False)
    if bits or not options.keys() <= _OPTIONS:
        raise template.TemplateSyntaxError(
            f"{{% table_card %}} takes only {', '.join(sorted(_OPTIONS))}"
        )
    if ("label" in options) == ("labelledby" in options):
        raise template.TemplateSyntaxError("{% table_card %} takes either label or labelledby")
    nodelist = parser.parse(("endtable_card",))
    parser.delete_first_token()
    return TableCardNode(nodelist, options)


@register.tag
def empty_row(parser: Parser, token: Token) -> EmptyRowNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% empty_row %} takes no arguments")
    nodelist = parser.parse(("endempty_row",))
    parser.delete_first_token()
    return EmptyRowNode(nodelist)
