"""The per-article record: pydantic models (the JSON Schema source) and the Doc-to-record consumer."""
