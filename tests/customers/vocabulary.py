"""Statuses and response readers shared by the customer hierarchy's API tests."""

PENDING = {"status": "Pending", "category": "PENDING"}
VERIFYING = {"status": "Verifying", "category": "VERIFYING"}
BLOCKED = {"status": "Blocked", "category": "BLOCKED"}


def messages(response) -> dict:
    """Return {(keyword, dataPath): message} of a 400 problem."""
    return {
        (m["keyword"], m["dataPath"]): m["message"] for m in response.json()["validation_messages"]
    }


def statuses(data) -> list[tuple[str, str]]:
    return [(s["status"], s["category"]) for s in data["allowed_statuses"]]
