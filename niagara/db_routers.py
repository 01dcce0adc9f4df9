"""The database cache on a connection of its own.

Every API request runs in one transaction that an error response rolls back; throttle counters
written through that connection would roll back with it (a flood of 401s would never be
counted). The ``cache`` alias is the same database on another connection, in autocommit.
"""

CACHE_APP_LABEL = "django_cache"  # the label of DatabaseCache's model


class CacheRouter:
    def db_for_read(self, model, **hints):
        return "cache" if model._meta.app_label == CACHE_APP_LABEL else None

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, **hints):
        # The cache table is made once, through the default connection (a migration does it).
        if app_label == CACHE_APP_LABEL:
            return db == "default"
        return db != "cache" and None
