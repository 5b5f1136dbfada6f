"""What a Personio credential may read comes from its whitelist, not from a sample employee.

Source: "List allowed attributes" (developer.personio.de
`/reference/get_company-employees-attributes`: "Lists all the allowed attributes per API
credentials including custom (dynamic) attributes",
`{"success", "data": [{"key", "label", "type", "universal_id"}]}`) and the changelog "Employee
API: renamed the /custom-attributes endpoint". The v1 token of `POST /v1/auth` carries no
documented scope (`/reference/auth`), so the access scopes are read by trying.
"""

from __future__ import annotations

from integrations.tools.base import AuthOutcome
from integrations.tools.personio import PERM_ABSENCES, PERM_EMPLOYEES, PersonioTool
from tests.support.fakes.personio import FakePersonio
from tests.support.fakes.server import Fault

tool = PersonioTool()


def test_it_sees_the_whitelist_of_a_company_without_employees(fake_personio: FakePersonio) -> None:
    fake_personio.employees = []
    creds = fake_personio.credential_create(
        readable_attributes={"first_name", "last_name", "hire_date", "dynamic_21827"}
    )

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == {
        PERM_EMPLOYEES,
        PERM_ABSENCES,
        "attribute:first_name",
        "attribute:last_name",
        "attribute:hire_date",
        # A custom attribute with a well-known universal id is named by it.
        "attribute:iban",
    }
    assert result.remote_id_sample == frozenset()
    assert fake_personio.requests_to("/v1/company/employees/attributes")
    # Nothing the scope needs looks missing merely because nobody works there yet.
    assert not tool.permission_gaps(
        model_id="hris_employees",
        field_ids=["first_name", "start_date", "bank_accounts"],
        granted=result.granted_permissions,
    )


def test_it_grants_a_whitelisted_attribute_no_employee_has_a_value_for(
    fake_personio: FakePersonio,
) -> None:
    for employee in fake_personio.employees:
        employee.values["termination_date"] = None
    creds = fake_personio.credential_create(readable_attributes={"termination_date"})

    result = tool.check_auth(creds)

    assert "attribute:termination_date" in result.granted_permissions
    assert "attribute:first_name" not in result.granted_permissions


def test_it_falls_back_to_the_employees_attributes_when_the_whitelist_is_refused(
    fake_personio: FakePersonio,
) -> None:
    """The forum thread "/v1/company/employees/attributes returning 403" reports credentials
    whose whitelist listing is refused while the employees listing works."""
    creds = fake_personio.credential_create(readable_attributes={"first_name", "office"})
    fake_personio.fail_next(
        Fault(
            status=403,
            body='{"success": false, "error": {"code": 403, "message": "Forbidden"}}',
            matches=lambda request: request.path == "/v1/company/employees/attributes",
        )
    )

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == {
        PERM_EMPLOYEES,
        PERM_ABSENCES,
        "attribute:first_name",
        "attribute:office",
    }
