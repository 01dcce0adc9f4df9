"""The load test's baseline: a bare WSGI app that does only what a page must — run the page's
own SQL (recorded from Niagara, replayed through psycopg on a connection kept per worker) and
send the same JSON encoded with orjson. No Django, no ORM, no serializers.

gunicorn serves it as ``benchmarks.floor.raw_app:application``; ``RAW_PAGE`` names the JSON file
holding the recorded ``queries`` (sql, params) and the ``body``.
"""

import json
import os

import orjson
import psycopg

with open(os.environ["RAW_PAGE"]) as recorded:
    PAGE = json.load(recorded)
BODY = orjson.dumps(PAGE["body"])
_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        # Client-side binding, as Django's psycopg backend sends the recorded SQL.
        _connection = psycopg.connect(
            os.environ["RAW_DATABASE"], autocommit=True, cursor_factory=psycopg.ClientCursor
        )
    return _connection.cursor()


def application(environ, start_response):
    # One transaction a request, as Niagara's (ATOMIC_REQUESTS).
    cursor = _cursor()
    with _connection.transaction(), cursor:
        for sql, params in PAGE["queries"]:
            cursor.execute(sql, params)
            if cursor.description:
                columns = [column.name for column in cursor.description]
                for row in cursor.fetchall():
                    dict(zip(columns, row, strict=True))
    body = orjson.dumps(orjson.loads(BODY))
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    start_response("200 OK", headers)
    return [body]
