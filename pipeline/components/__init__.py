"""The healthclaims spaCy components; importing this package registers every factory."""

from healthclaims.components import boilerplate, paragraphs  # noqa: F401
from healthclaims.components.citations import component as _citations  # noqa: F401
from healthclaims.components.claims import component as _claims  # noqa: F401
from healthclaims.components.quotes import component as _quotes  # noqa: F401
from healthclaims.components.strength import component as _strength  # noqa: F401
from healthclaims.components.techniques import component as _techniques  # noqa: F401
