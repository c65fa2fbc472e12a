"""Calls: logging at the single point of contact, the call log, a call's page and history."""
