"""The healthclaims_citations component: its matching, fields and spaCy factory."""
