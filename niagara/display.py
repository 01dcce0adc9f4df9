"""How numbers read to the people on the floor: durations as "39 s" or "2 min 5 s", a step's
outcome as a word, not as the API's values."""

OUTCOMES = {"close": "Done", "fail": "Failed"}


def duration(milliseconds) -> str:
    """``39112`` → ``"39 s"``; ``125000`` → ``"2 min 5 s"``; ``3780000`` → ``"1 h 3 min"``."""
    try:
        seconds = round(float(milliseconds) / 1000)
    except (TypeError, ValueError):
        return "—"
    if seconds < 1:
        return "under 1 s"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"{seconds} s"


def outcome(step_type: str) -> str:
    return OUTCOMES.get(step_type, str(step_type).replace("_", " ").capitalize())
