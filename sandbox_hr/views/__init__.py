"""Sandbox HR over HTTP: its JSON API (`api`), its customers' pages (`pages`) and its OAuth 2.0
provider (`oauth`)."""
