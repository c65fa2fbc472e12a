"""Mail: every message the kit sends is first written to the outbox, then sent by SMTP."""
