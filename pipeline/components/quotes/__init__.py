"""The healthclaims_quotes component: its matching, fields and spaCy factory."""
