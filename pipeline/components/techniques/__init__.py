"""The healthclaims_techniques component: its matching, fields and spaCy factory."""
