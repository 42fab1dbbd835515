"""The healthclaims command line (Click): thin commands over the library."""
