"""The school's own surveys: the questions it asks, and the termly or annual survey of all users."""
