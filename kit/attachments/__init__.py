"""Files kept with a call: see `kit.attachments.api` for the one way files come in."""
