"""The customer's guide tells the Bob admin what HiBob documents a service user needs beyond
field categories: access to inactive people, and the time off and table permissions.

Sources (apidocs.hibob.com): reference/people, "Who to access" (People's data > Access rights:
"Everyone" is all *active* employees; "Select people by condition" without "Lifecycle status
equals Employed" adds inactive ones), reference/time-off ("See who's out"),
reference/time-off-policies ("Manage company's time off settings"), reference/time-off-balance
("See selected people's time off and sick leave balances"), reference/employee-tables ("View
selected employees' <category> section histories").
"""

from __future__ import annotations

from integrations.tools.hibob import HiBobTool

tool = HiBobTool()


def test_it_tells_the_admin_to_open_the_group_to_inactive_people() -> None:
    guide = " ".join(tool.guide("en"))

    assert "Whose data can members access?" in guide
    assert "Lifecycle status equals Employed" in guide
    assert "Terminated" in guide
    assert "active employees only" in guide


def test_it_names_the_time_off_and_table_permissions_in_bobs_words() -> None:
    guide = " ".join(tool.guide("en"))

    for setting in (
        "See who’s out",
        "See selected people’s time off and sick leave balances",
        "Manage company’s time off settings",
        "View selected employees’ Payroll section histories",
    ):
        assert setting in guide


def test_it_keeps_one_step_per_action_in_every_language() -> None:
    assert {len(steps) for steps in tool.guides.values()} == {len(tool.guide("en"))}


def test_it_tells_an_admin_reading_any_language_the_same_settings() -> None:
    """Bob's screens are named in English whatever the guide's language: every guide quotes
    the same settings, so a German admin learns about inactive people and time off too."""
    for language in ("de", "fr", "it", "es"):
        guide = " ".join(tool.guide(language))
        for setting in (
            "Lifecycle status equals Employed",
            "See who’s out",
            "See selected people’s time off and sick leave balances",
            "Manage company’s time off settings",
            "View selected employees’ Payroll section histories",
        ):
            assert setting in guide, (language, setting)
