"""The OpenAPI schema tells the truth: every list and detail answer of the API, for every demo
role that can see records, validates against the response schema documented for it (nullable
fields, blank choices, bare arrays vs pages, no undocumented fields); error answers (400, 403,
404) have the documented error body.

The data is the small seed (``seed_demo`` through the services, every state a few rows), so
records exist in every state: drafts without a number, disputes without an agreement, quality
checks without a fix task."""
import re

import pytest
from django.core.management import call_command
from django.test import Client

from ipcenter.accounts.models import User

from .openapi_check import Document

pytestmark = pytest.mark.django_db

USERS = ("admin", "manager", "examiner", "qc", "station", "mediator", "analyst", "outreach", "applicant",
         "agency")
PARAM = re.compile(r"\{(\w+)\}")


def _client(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _schema(client):
    resp = client.get("/api/schema/", {"format": "json"})
    assert resp.status_code == 200
    return Document(resp.json())


def _rows(data):
    if isinstance(data, dict) and "results" in data:
        return data["results"]
    return data if isinstance(data, list) else []


def _path_values(doc, path, op, rows_by_list):
    """Candidate URL parameter values: ids from the list of the same collection, or an enum."""
    names = PARAM.findall(path)
    if not names:
        return [{}]
    collection = path.split("{", 1)[0]
    ids = [r.get("id") for r in rows_by_list.get(collection, []) if isinstance(r, dict) and "id" in r]
    values = []
    for name in names:
        param = next((p for p in op.get("parameters", []) if p.get("in") == "path" and p["name"] == name), {})
        enum = param.get("schema", {}).get("enum")
        if name in ("id", "pk"):
            values.append(ids[:3])
        elif enum:
            values.append(enum)
        elif name == "code":
            values.append([r.get("code") for r in rows_by_list.get(collection, []) if isinstance(r, dict)][:3])
        else:
            values.append([])
    if any(not v for v in values):
        return []
    first = values[0]
    return [dict(zip(names, [v] + [vs[0] for vs in values[1:]])) for v in first]


BAD_VALUES = {"integer": "abc", "number": "abc", "boolean": "maybe"}
BAD_FORMATS = {"date": "2026-02-30", "date-time": "yesterday", "uuid": "not-a-uuid"}


def _bad_value(param):
    schema = param.get("schema", {})
    if schema.get("enum"):
        return "zzz-not-a-choice"
    if schema.get("format") in BAD_FORMATS:
        return BAD_FORMATS[schema["format"]]
    return BAD_VALUES.get(schema.get("type"))


class Walk:
    """Calls operations and checks each answer against the schema documented for its status."""

    def __init__(self, doc):
        self.doc, self.failures, self.checked = doc, [], 0

    def check(self, who, method, url, op, resp, expect=None):
        if expect is not None and resp.status_code not in expect:
            self.failures.append(f"{who} {method} {url}: answered {resp.status_code}, expected {sorted(expect)}")
            return None
        schema = self.doc.response_schema(op, resp.status_code)
        if schema is None:
            self.failures.append(f"{who} {method} {url}: {resp.status_code} is not documented")
            return None
        data = resp.json() if resp.content else None
        self.checked += 1
        self.failures += [f"{who} {method} {url}: {resp.status_code} {e}" for e in self.doc.errors(schema, data)][:5]
        return data


def test_every_answer_validates_against_its_documented_schema():
    """GET of every list and detail as every role; nonexistent ids; list filters on detail
    URLs; empty and malformed query values; POSTs without a body: each answer has a documented
    status and validates against the schema documented for it."""
    call_command("seed_demo", verbosity=0)
    doc = _schema(_client(User.objects.get(username="admin")))
    walk = Walk(doc)
    gets = [(path, op) for path, method, op in doc.operations() if method == "get"]
    lists = [(p, op) for p, op in gets if not PARAM.search(p)]
    details = [(p, op) for p, op in gets if PARAM.search(p)]
    writes = [(p, m, op) for p, m, op in doc.operations() if m in ("post", "put", "patch")]
    assert len(lists) > 25 and len(details) > 25 and len(writes) > 60
    list_params = {p: [q for q in op.get("parameters", []) if q["in"] == "query"] for p, op in lists}

    seen_rows, ids_by_user = set(), {}
    for username in USERS:
        client = _client(User.objects.get(username=username))
        rows_by_list = ids_by_user[username] = {}
        for path, op in lists:
            resp = client.get(path, {"page_size": 200} if "page_size" in str(op.get("parameters")) else {})
            if resp.status_code == 403:
                continue
            data = walk.check(username, "GET", path, op, resp, expect={200})
            rows_by_list[path] = _rows(data)
            if _rows(data) or (isinstance(data, dict) and data and "results" not in data):
                seen_rows.add(path)
        for path, op in details:
            for values in _path_values(doc, path, op, rows_by_list):
                url = PARAM.sub(lambda m: str(values[m.group(1)]), path)
                resp = client.get(url)
                if resp.status_code == 403:
                    continue
                walk.check(username, "GET", url, op, resp, expect={200})
                # the list's filters, even malformed, do not touch a detail or action URL
                collection = path.split("{", 1)[0]
                bad = {q["name"]: _bad_value(q) or "x" for q in list_params.get(collection, [])
                       if q["name"] not in ("page", "page_size")}
                if bad:
                    walk.check(username, "GET", f"{url}?{'&'.join(bad)}", op, client.get(url, bad), expect={200})
    assert walk.checked > 200
    # the walk saw records in (almost) every list, so nullable and blank values were really met
    assert len(seen_rows) >= len(lists) - 3, sorted({p for p, _ in lists} - seen_rows)

    client = _client(User.objects.get(username="admin"))
    for path, op in details:  # a record that does not exist: 404 with the documented body
        url = PARAM.sub(lambda m: "987654" if m.group(1) in ("id", "pk") else "x", path)
        walk.check("admin", "GET", url, op, client.get(url), expect={404})
        collection = path.split("{", 1)[0]
        bad = {q["name"]: "0" for q in list_params.get(collection, [])}
        if bad:
            walk.check("admin", "GET", url + "?...=0", op, client.get(url, bad), expect={404})
    for path, op in lists:
        plain = client.get(path)
        if plain.status_code != 200:
            continue
        for param in list_params[path]:
            name = param["name"]
            assert param.get("allowEmptyValue"), f"{path} ?{name}= is not documented as allowed empty"
            resp = client.get(path, {name: ""})
            data = walk.check("admin", "GET", f"{path}?{name}=", op, resp, expect={200})
            if data is not None and isinstance(data, dict) and "count" in data:
                assert data["count"] == plain.json()["count"], f"{path}?{name}= narrowed the list"
            bad = _bad_value(param)
            if bad is None or name == "page_size":
                continue
            resp = client.get(path, {name: bad})
            data = walk.check("admin", "GET", f"{path}?{name}={bad}", op, resp,
                              expect={404} if name == "page" else {400})
            if resp.status_code == 400 and isinstance(data, dict) and name not in data:
                walk.failures.append(f"admin GET {path}?{name}={bad}: the 400 names no field {name!r}: {data}")

    for username in ("applicant", "agency", "examiner", "manager", "mediator", "station", "admin"):
        client = _client(User.objects.get(username=username))
        rows_by_list = ids_by_user[username]
        for path, method, op in writes:
            for values in _path_values(doc, path, op, rows_by_list)[:1]:
                url = PARAM.sub(lambda m: str(values[m.group(1)]), path)
                resp = getattr(client, method)(url, {}) if method == "post" else \
                    getattr(client, method)(url, "{}", content_type="application/json")
                walk.check(username, method.upper(), url, op, resp)

    distinct = {}
    for failure in walk.failures:  # one line per operation and field, not per row and user
        distinct.setdefault(re.sub(r"/\d+", "/N", failure.split(" ", 1)[1]), failure)
    assert not distinct, "\n".join(sorted(distinct.values()))
