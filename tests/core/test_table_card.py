"""`{% table_card %}` draws the dashboard's tables: the head from `columns`, a "no rows" line
across all of them, and a template mistake fails where the page is rendered.

Source: the HTML Standard's table model (a cell spans `colspan` columns, so a "no rows" cell
must span exactly the head's count) and WAI-ARIA's naming of a region by `aria-label` /
`aria-labelledby`."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError


def test_it_draws_the_head_and_spans_the_empty_row_across_it() -> None:
    html = Template(
        '{% table_card label="Keys" columns="Name|Used:align-right|[Actions]" %}'
        "{% for key in keys %}<tr></tr>{% empty %}{% empty_row %}None yet.{% endempty_row %}"
        "{% endfor %}{% endtable_card %}"
    ).render(Context({"keys": []}))

    assert 'role="region" aria-label="Keys" tabindex="0"' in html
    assert '<th scope="col" class="align-right">Used</th>' in html
    assert '<th scope="col"><span class="visually-hidden">Actions</span></th>' in html
    assert '<tr><td colspan="3" class="muted">None yet.</td></tr>' in html


def test_it_refuses_a_table_named_twice() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template('{% table_card label="Keys" labelledby="keys-title" %}{% endtable_card %}')


def test_it_refuses_an_empty_row_without_columns() -> None:
    template = Template(
        '{% table_card label="Keys" %}{% empty_row %}None.{% endempty_row %}{% endtable_card %}'
    )
    with pytest.raises(TemplateSyntaxError):
        template.render(Context())
