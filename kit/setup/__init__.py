"""Setting the kit up for a school: the first-run wizard, the settings page and its record."""
