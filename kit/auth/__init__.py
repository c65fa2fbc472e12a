"""Accounts, logins and who may do what."""
