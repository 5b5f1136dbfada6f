"""Sandbox HR models."""
