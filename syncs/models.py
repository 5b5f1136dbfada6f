"""Sync runs, auth checks and unified HRIS data arrive with the health-loop issue."""
