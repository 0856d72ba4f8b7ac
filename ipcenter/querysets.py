"""Record-level access control in one place: ``Model.objects.visible_to(user)``.

Every model holding user data uses a manager built from ``ScopedQuerySet`` and
implements ``scope(user)``: the filter that turns the user's roles, organisation
and station into the rows they may see.  Views and API viewsets start from
``visible_to``; the generic views refuse a queryset that was never scoped, so
forgetting the call fails loudly in tests instead of leaking records.
"""
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from ipcenter.accounts import roles as _roles

#: roles whose work is tied to a station of the network (rights assistance, mediation, events)
STATION_ROLES = (_roles.STATION_STAFF, _roles.MEDIATOR)


class StationScope:
    """Which stations' records a user may see for one service: every station, none, or one
    subtree.  Explicit values instead of ``""``/``None`` so that a missing station can never
    mean "every station"."""

    __slots__ = ("kind", "path")
    ALL_KIND, NONE_KIND, SUBTREE_KIND = "all", "none", "subtree"

    def __init__(self, kind, path=None):
        self.kind, self.path = kind, path

    @classmethod
    def all(cls):
        return cls(cls.ALL_KIND)

    @classmethod
    def nothing(cls):
        return cls(cls.NONE_KIND)

    @classmethod
    def subtree(cls, path):
        if not path:
            raise ValueError("a subtree scope needs a station path")
        return cls(cls.SUBTREE_KIND, path)

    @classmethod
    def for_user(cls, user, station_roles=STATION_ROLES):
        """Centre-wide users (managers, admins) see every station; a user holding one of
        ``station_roles`` sees their station's subtree; everyone else — including centre
        users of other departments who merely sit on the centre station — sees none."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls.nothing()
        if user.is_centre_wide:
            return cls.all()
        if user.station_id and user.has_role(*station_roles):
            return cls.subtree(user.station.path)
        return cls.nothing()

    @property
    def is_all(self):
        return self.kind == self.ALL_KIND

    @property
    def is_nothing(self):
        return self.kind == self.NONE_KIND

    def q(self, station_field="station"):
        """A filter for rows whose ``station_field`` lies in the scope (safe to OR with others:
        "all" is an always-true condition, not an empty ``Q()`` that ``|`` would drop)."""
        if self.is_all:
            return Q(pk__isnull=False)
        if self.is_nothing:
            return Q(pk__in=[])
        return Q(**{f"{station_field}__path__startswith": self.path})

    def includes(self, station):
        if station is None or self.is_nothing:
            return False
        return self.is_all or station.path.startswith(self.path)

    def stations(self):
        """The stations in the scope."""
        from ipcenter.accounts.models import Station

        if self.is_all:
            return Station.objects.all()
        if self.is_nothing:
            return Station.objects.none()
        return Station.objects.filter(path__startswith=self.path)

    def __eq__(self, other):
        return isinstance(other, StationScope) and (self.kind, self.path) == (other.kind, other.path)

    def __repr__(self):
        return f"StationScope({self.kind}{', ' + self.path if self.path else ''})"


class ScopedQuerySet(models.QuerySet):
    _scoped_for = None

    def _clone(self):
        clone = super()._clone()
        clone._scoped_for = self._scoped_for
        return clone

    def scope(self, user):  # pragma: no cover - every subclass defines it
        raise NotImplementedError(f"{self.model.__name__} queryset must implement scope(user)")

    def visible_to(self, user, action="view"):
        """Rows ``user`` may see (``action="view"``) or act on (``"change"``: the model's
        ``scope_change`` if it declares one, else the same rows as for viewing).  Anonymous
        users see nothing; superusers see all."""
        if user is None or not user.is_authenticated or not user.is_active:
            qs = self.none()
        elif user.is_superuser:
            qs = self.all()
        else:
            scope = getattr(self, f"scope_{action}", None) if action != "view" else None
            qs = (scope or self.scope)(user)
        qs._scoped_for = user.pk if user is not None and user.is_authenticated else 0
        return qs

    @property
    def is_scoped(self):
        return self._scoped_for is not None

    # --- the scoping vocabulary: building blocks for ``scope(user)`` ---------------------

    def by_station(self, user, station_field="station", station_roles=STATION_ROLES):
        """Rows at a station of the user's scope (``StationScope.for_user``)."""
        return self.filter(StationScope.for_user(user, station_roles).q(station_field))

    def station_q(self, user, station_field="station", station_roles=STATION_ROLES):
        return StationScope.for_user(user, station_roles).q(station_field)

    @staticmethod
    def organization_ids(user, include_clients=True):
        """The organisations an external user acts for: their own and, for an agency, its clients."""
        ids = [user.organization_id] if user.organization_id else []
        if include_clients:
            ids += list(user.client_organization_ids)
        return ids

    def by_organization(self, user, org_field="organization", include_clients=True):
        """Rows of the user's organisation (and an agency's client companies)."""
        ids = self.organization_ids(user, include_clients)
        return self.filter(**{f"{org_field}_id__in": ids}) if ids else self.none()

    def through_parent(self, user, parent_field):
        """Child rows (parties, items, sessions, ...) visible exactly when their parent is."""
        parent_model = self.model._meta.get_field(parent_field).related_model
        return self.filter(**{f"{parent_field}__in": parent_model.objects.visible_to(user).values("pk")})

    def by_team(self, user, members_field="members", lead_field=None):
        """Rows whose team the user is on (navigation projects)."""
        q = Q(**{members_field: user})
        if lead_field:
            q |= Q(**{lead_field: user})
        return self.filter(q).distinct()


class PublishedQuerySet(ScopedQuerySet):
    """Content that is public once published (outreach): ``published()`` is what anonymous
    visitors may read; ``visible_to`` stays the staff's scope."""

    published_field = "published"

    def published(self):
        qs = self.filter(**{self.published_field: True})
        qs._scoped_for = 0
        return qs


def require_scoped(queryset, where=""):
    """Raise if ``queryset`` did not come from ``visible_to`` (used by generic views)."""
    if not getattr(queryset, "is_scoped", False):
        raise ImproperlyConfigured(
            f"{where or 'view'}: queryset for {queryset.model.__name__} is not restricted with visible_to(user)"
        )
    return queryset


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
