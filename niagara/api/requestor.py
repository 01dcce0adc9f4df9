"""The ``Requestor-ID`` header (seed 004): an integration acting on behalf of a person.

The header names a user by id. Only callers holding the ``users.act_for_others`` permission
may send it (else 403: whether the id exists is not revealed); an id that names no active user
is a 400. The caller's own permissions still decide what it may do: the person is who the
change is recorded for ("on behalf of" in the history), not a way to borrow their rights.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiParameter

from niagara.errors import Forbidden, InvalidData

HEADER = "Requestor-ID"
PERMISSION = "users.act_for_others"

REQUESTOR_ID = OpenApiParameter(
    HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    pattern=r"^[0-9a-zA-Z-_]+$",
    description="Act on behalf of this user (a `user_id`): the change is recorded in the "
    "history as made by the caller on behalf of that user. Only for clients allowed to "
    "(otherwise 403); an id of no active user is a 400. The caller's own permissions apply.",
)


def requestor_of(request):
    """Return the user ``request`` acts for, or ``None`` (no header, or the caller itself)."""
    value = request.headers.get(HEADER)
    if value is None:
        return None
    if not request.user.has_perm(PERMISSION):
        raise Forbidden(f"This client may not act on behalf of others ({HEADER})")
    user_id = value.strip()
    person = get_user_model().objects.filter(public_id=user_id, is_active=True).first()
    if person is None:
        raise InvalidData(
            [
                {
                    "keyword": "exists",
                    "dataPath": f".header[{HEADER}]",
                    "schemaPath": f"#/header/{HEADER}",
                    "params": {},
                    "message": "should be the id of an active user",
                }
            ],
            detail=f'{HEADER} "{user_id[:64]}" names no active user',
        )
    return None if person.pk == request.user.pk else person
