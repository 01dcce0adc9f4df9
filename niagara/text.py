"""What free text may hold: no control character but tab, line feed and carriage return.

A label or a note is typed or pasted by a person; a control character in it (an escape
sequence copied from a terminal, a NUL from a binary file) is never meant, breaks exports and
terminals downstream, and PostgreSQL refuses NUL outright. One rule for the API (a 400 whose
published ``pattern`` says the same) and the admin (a form error).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 controls but TAB, LF and CR; DEL; the C1 controls. Written with ``\uXXXX`` escapes so the
# same text is a Python and an ECMA (JSON Schema) character class.
CONTROL_CHARACTERS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
TEXT_PATTERN = rf"^[^{CONTROL_CHARACTERS}]*$"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def control_character_in(value: str) -> str | None:
    """Return the first control character ``value`` holds, as ``\\uXXXX``, or None."""
    found = _CONTROL.search(value)
    return f"\\u{ord(found.group()):04x}" if found else None


@deconstructible
class NoControlCharacters:
    """A validator (forms, serializers) refusing text with a control character in it."""

    code = "control_characters_not_allowed"
    regex = re.compile(TEXT_PATTERN)  # what error reports publish as the pattern

    def __call__(self, value):
        character = control_character_in(value) if isinstance(value, str) else None
        if character:
            raise ValidationError(
                f"Control characters are not allowed (found {character}); tab, line feed and "
                "carriage return are.",
                code=self.code,
            )

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)

    def __hash__(self):
        return hash(self.code)
