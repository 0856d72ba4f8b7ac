"""Record-level access control in one place: ``Model.objects.visible_to(user)``.

Every model holding user data uses a manager built from ``ScopedQuerySet`` and
implements ``scope(user)``: the filter that turns the user's roles, organisation
and station into the rows they may see.  Views and API viewsets start from
``visible_to``; the generic views refuse a queryset that was never scoped, so
forgetting the call fails loudly in tests instead of leaking records.
"""
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class ScopedQuerySet(models.QuerySet):
    _scoped_for = None

    def _clone(self):
        clone = super()._clone()
        clone._scoped_for = self._scoped_for
        return clone

    def scope(self, user):  # pragma: no cover - every subclass defines it
        raise NotImplementedError(f"{self.model.__name__} queryset must implement scope(user)")

    def visible_to(self, user):
        """Rows ``user`` may see.  Anonymous users see nothing; superusers see all."""
        if user is None or not user.is_authenticated or not user.is_active:
            qs = self.none()
        elif user.is_superuser:
            qs = self.all()
        else:
            qs = self.scope(user)
        qs._scoped_for = user.pk if user is not None and user.is_authenticated else 0
        return qs

    @property
    def is_scoped(self):
        return self._scoped_for is not None


def require_scoped(queryset, where=""):
    """Raise if ``queryset`` did not come from ``visible_to`` (used by generic views)."""
    if not getattr(queryset, "is_scoped", False):
        raise ImproperlyConfigured(
            f"{where or 'view'}: queryset for {queryset.model.__name__} is not restricted with visible_to(user)"
        )
    return queryset


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
