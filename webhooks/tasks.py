from django_tasks import task

from . import services


@task()
def deliver(delivery_id: int) -> int | None:
    """Attempt one delivery; return the receiver's response code (None: not sent, or no
    answer)."""
    logged = services.attempt(delivery_id)
    return logged.response_code if logged is not None else None
