"""Realistic seed data for Sandbox HR: a German company with an international team, and the
demo's administrator logins.

The seeds are pure data: `sandbox_hr.services` turns them into rows and wires
managers and groups. Names are deliberately non-ASCII ("Zoë Müller", "José Núñez",
"Åsa Øberg") and some optional fields are missing, so connectors and the unified model meet the
data they will meet in real HR systems. The demo logins are made by
`services.sandbox_demo_logins_create`.
"""
