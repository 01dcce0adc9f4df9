"""Request bodies from the seed's Customers page (000)."""

import copy

# The body of the seed's POST /customers example.
SEED_BODY = {
    "label": "Niagara Customer",
    "external_platform": {},
    "allowed_statuses": [
        {
            "category": "PENDING",
            "description": "For something that is Pending",
            "status": "Pending",
            "order": 3,
        },
        {
            "category": "IN_PROGRESS",
            "description": "For something that is In Progress",
            "status": "In Progress",
            "order": 4,
        },
        {
            "category": "VERIFYING",
            "description": "For something that is Verifying",
            "status": "Verifying",
            "order": 5,
        },
        {
            "category": "BLOCKED",
            "description": "For something that is Blocked",
            "status": "Blocked",
            "order": 6,
        },
        {
            "category": "COMPLETE",
            "description": "For something that is Complete",
            "status": "Complete",
            "order": 7,
        },
        {
            "category": "CANCELLED",
            "description": "For something that is Cancelled",
            "status": "Cancelled",
            "order": 8,
        },
    ],
}

# The seed's "Specification" of a Customer (000, Embedded Schemas), as JSON.


def body(**changes):
    data = copy.deepcopy(SEED_BODY)
    data.update(changes)
    return data
