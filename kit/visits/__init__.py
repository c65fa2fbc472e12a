"""Passing calls on (email, phone, next visit), technicians' visit days and the visit list."""
