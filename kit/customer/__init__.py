"""Customers: their private status link to a call, and the web form to report a problem."""
