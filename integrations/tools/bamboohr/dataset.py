"""The employee dataset's field catalogue, and its employees' ids page by page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from integrations.tools.bamboohr.client import (
    Company,
    UnexpectedBodyError,
    is_permanent,
    unexpected_body,
)
from integrations.tools.bamboohr.fields import ID_FIELD
from integrations.tools.base import ToolError
from integrations.tools.http import HttpFailure

DATASET_PATH = "/v2/datasets/employee/data"
FIELDS_PATH = "/v1/datasets/employee/fields"
# The catalogue is small (a few hundred names); more pages than this means a loop.
_MAX_FIELD_PAGES = 100


def dataset_field_names(company: Company) -> set[str]:
    """Every field name the company's employee dataset knows (Get Fields from Dataset): the
    data request answers 400 to any other name. Raises HttpFailure or UnexpectedBodyError."""
    names: set[str] = set()
    for page in range(1, _MAX_FIELD_PAGES + 1):
        body = company.get(FIELDS_PATH, params={"page": str(page)})
        try:
            names.update(str(entry["name"]) for entry in body["fields"])
            more = bool((body.get("pagination") or {}).get("next_page"))
        except (KeyError, TypeError, AttributeError):
            raise UnexpectedBodyError from None
        if not more:
            break
    return names


def dataset_page(company: Company, request: dict[str, Any]) -> Any:
    try:
        return company.post(DATASET_PATH, request)
    except HttpFailure as failure:
        raise ToolError(
            f"BambooHR employee dataset: {failure}", transient=not is_permanent(failure)
        ) from failure


def employee_id_pages(company: Company, page_size: int) -> Iterator[list[str]]:
    """The ids of every employee the user may see, one dataset page at a time."""
    request: dict[str, Any] = {
        "fields": [ID_FIELD],
        "orderBy": f"{ID_FIELD} asc",
        "pageSize": page_size,
    }
    page_number = 1
    while True:
        request["page"] = page_number
        body = dataset_page(company, request)
        try:
            rows = body["data"]
            ids = [str(row["fields"][ID_FIELD]) for row in rows]
            has_next = bool((body.get("links") or {}).get("next"))
            total_pages = (body.get("meta") or {}).get("totalPages")
        except (KeyError, TypeError, AttributeError):
            raise unexpected_body("employee dataset") from None
        # Ids go into URL paths: only digits may.
        if not all(employee_id.isdigit() for employee_id in ids):
            raise unexpected_body("employee dataset")
        yield ids
        last_page = isinstance(total_pages, int) and page_number >= total_pages
        if not rows or not has_next or last_page:
            return
        page_number += 1
