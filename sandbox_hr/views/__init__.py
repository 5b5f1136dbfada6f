"""Sandbox HR over HTTP: its JSON API (`api`) and its customers' pages (`pages`)."""
