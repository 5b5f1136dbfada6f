"""The 500 page renders when nothing else works: no database, no context."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.template import loader

pytestmark = pytest.mark.django_db


def test_it_renders_the_500_page_without_database_or_context(
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
) -> None:
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert "Something went wrong" in html
