"""Priority in school terms: raising a call's response level by impact and urgency."""
