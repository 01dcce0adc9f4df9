"""URL converters for Niagara paths."""

from .fields import ID_URL_PATTERN


class PublicIdConverter:
    """An entity id as documented: ``^[0-9a-zA-Z-_]+$``."""

    regex = ID_URL_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)
