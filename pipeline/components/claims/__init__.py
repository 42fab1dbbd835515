"""The healthclaims_claims component: its matching, fields and spaCy factory."""
