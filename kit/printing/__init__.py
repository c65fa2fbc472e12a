"""Printable forms: the framework's sheets as PDFs, blank and filled from a call."""
