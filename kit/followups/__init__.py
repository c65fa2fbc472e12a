"""Follow-up dates on open calls, each with the reason, and the reminders they bring."""
