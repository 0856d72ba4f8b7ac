"""Several breakdowns of one queryset in one scan: ``GROUP BY GROUPING SETS`` on PostgreSQL
(one grouped query per set elsewhere, with the same result), so a section's figures and
tables read each table once instead of once per table.

    counts = grouping_sets(cases, {"state": ["state"], "league": ["organization__league__name"],
                                   "total": []},
                           sums={"qualified": Case(When(state="qualified", then=1), default=0)})
    counts["total"][0]["n"], [(r["state"], r["n"]) for r in counts["state"]]

Each row is a dict of the set's keys, ``n`` (the row count) and each of ``sums`` (the sum
of a per-row expression, ``None`` over no non-null values, as SQL ``SUM``)."""
from django.db import connections
from django.db.models import Count, F, Sum


def grouping_sets(queryset, sets, sums=None):
    """``sets``: {name: [lookup, ...]} (an empty list: the whole queryset, one row);
    ``sums``: {name: expression} summed per group.  Returns {name: [row, ...]}, rows
    unordered."""
    sums = dict(sums or {})
    keys = list(dict.fromkeys(k for fields in sets.values() for k in fields))
    alias = {k: f"k{i}" for i, k in enumerate(keys)}
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or not keys:
        return _one_query_per_set(queryset, sets, sums)
    inner = (queryset.annotate(**{alias[k]: F(k) for k in keys}, **{f"s_{n}": e for n, e in sums.items()})
             .values(*alias.values(), *(f"s_{n}" for n in sums)).order_by())
    sql, params = inner.query.sql_with_params()
    cols = [alias[k] for k in keys]
    grouping = f"GROUPING({', '.join(cols)})"
    select = ", ".join([grouping, *cols, "COUNT(*)", *(f"SUM(s_{n})" for n in sums)])
    unique = dict.fromkeys(tuple(alias[k] for k in fields) for fields in sets.values())
    spec = ", ".join("(" + ", ".join(fields) + ")" for fields in unique)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM ({sql}) AS t GROUP BY GROUPING SETS ({spec})", params)
        fetched = cursor.fetchall()
    # GROUPING(...) has a bit set (first key = highest bit) for each key *not* grouped by
    width = len(keys)
    by_mask = {}
    for name, fields in sets.items():
        grouped = {alias[k] for k in fields}
        mask = sum(1 << (width - 1 - i) for i, c in enumerate(cols) if c not in grouped)
        by_mask.setdefault(mask, []).append(name)
    result = {name: [] for name in sets}
    for row in fetched:
        values = dict(zip(keys, row[1:1 + width]))
        n, totals = row[1 + width], row[2 + width:]
        for name in by_mask.get(row[0], ()):
            item = {k: values[k] for k in sets[name]}
            item["n"] = n
            item.update(zip(sums, totals))
            result[name].append(item)
    return result


def _one_query_per_set(queryset, sets, sums):
    result = {}
    for name, fields in sets.items():
        aggregates = {"n": Count("*"), **{n: Sum(e) for n, e in sums.items()}}
        if fields:
            rows = queryset.values(*fields).annotate(**aggregates).order_by()
            result[name] = [dict(r) for r in rows]
        else:
            result[name] = [queryset.aggregate(**aggregates)]
    return result
