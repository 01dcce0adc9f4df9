"""Settings for the test suite: the real settings, with a development key and fast hashing."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")

from niagara.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "10000/minute",
        "user": "10000/minute",
        "auth_failures": "10000/minute",
    },
}
# Each test process has its own in-memory cache: it keeps tests apart and fast. The shared
# backends production uses (the database, Redis) have tests of their own (tests/api/
# test_throttling.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

INSTALLED_APPS = [*INSTALLED_APPS, "tests.registry_app"]  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so tests with threads share one database (and its write lock).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405

# Sign-in throttling has its own tests (tests/users/test_sign_in_guessing.py), which turn it on:
# the test client's ``login()`` authenticates without a request, which django-axes refuses.
AXES_ENABLED = False

# Each test process keeps uploaded files in a directory of its own, not the checkout's media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="niagara-test-media-")
