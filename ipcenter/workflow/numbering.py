"""Record numbers (YS202600001, 蒙知调〔2026〕0001, ...) from one race-free service.

Each numbering key and year has one ``NumberSequence`` row; ``next_number`` locks that
row for the caller's transaction, so two requests numbering at once get consecutive
numbers and a rolled-back request gives its number back.  The first number of a year
continues after the highest number already stored (``existing``), so numbers issued
before the sequence existed are never reused.
"""
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone

from .models import NumberSequence


def next_number(key, *, template, year=None, existing=None, width=5):
    """The next number for ``key`` in ``year`` formatted by ``template`` (``str.format`` with
    ``year`` and ``seq``, e.g. ``"YS{year}{seq:05d}"``).

    ``existing=(model, field, prefix)`` names where numbers of this key are stored, read once
    when the year's sequence row is created."""
    year = year or timezone.localdate().year
    with transaction.atomic():
        row = NumberSequence.objects.select_for_update().filter(key=key, year=year).first()
        if row is None:
            start = _highest_stored(existing, year) if existing else 0
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(key=key, year=year, last=start)
            except IntegrityError:
                pass  # another transaction created it first; its lock orders us after it
            row = NumberSequence.objects.select_for_update().get(key=key, year=year)
        row.last += 1
        row.save(update_fields=["last"])
        return template.format(year=year, seq=row.last)


def _highest_stored(existing, year):
    model, field, prefix = existing
    head = prefix.format(year=year)
    last = (model._base_manager.filter(**{f"{field}__startswith": head})
            .order_by(Length(field).desc(), f"-{field}").values_list(field, flat=True).first())
    if not last:
        return 0
    digits = "".join(ch for ch in last[len(head):] if ch.isdigit())
    return int(digits) if digits else 0
