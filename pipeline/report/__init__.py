"""The reviewer views: a static HTML audit report and a SQLite database built from the records."""
