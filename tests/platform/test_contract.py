"""Access contract over every model and URL, discovered from the code, so that a model or page
added later is covered without anyone remembering to: every model is scoped or declared
reference data; every view module reads scoped models only through ``visible_to`` (or says
why not); anonymous visitors reach only the public pages; an outsider gets a 404 for another's
record in HTML and API; internal timeline events never reach an external user."""
import ast
import pathlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from ipcenter.accounts import roles
from ipcenter.querysets import ScopedQuerySet
from tests import factories

ROOT = pathlib.Path(settings.BASE_DIR)
PROJECT_APPS = ("ipcenter", "prescreen", "rightsaid", "navigation", "outreach")

# Models that hold no one's private data (reference data, configuration, bookkeeping), or whose
# rows are only reached through a scoped owner by the core itself.  A new model must be scoped
# (``objects = XQuerySet.as_manager()`` with ``XQuerySet(ScopedQuerySet)``) or be listed here.
REFERENCE_MODELS = {
    "accounts.TechnicalField", "deadlines.ReminderStage", "deadlines.CalendarOverride", "deadlines.DeadlineReminder",
    "workflow.TimelineEvent",  # read only through for_object(...).for_viewer(user) of a scoped record
    "workflow.NumberSequence", "prescreen.PrescreenSettings", "prescreen.DefectType",
    "quality.QualitySettings", "quality.ErrorType", "quality.CheckError",
    "accounts.User",  # the staff directory; no view lists users to outsiders (pick lists are scoped)
    "stats.StatsSettings", "stats.MonthlyReport",
    # the industry-chain taxonomies and technology–effect dictionaries: shared reference data of
    # the analysts (IndustryChain itself is scoped to analysts and managers)
    "navigation.ChainLink", "navigation.ChainNode", "navigation.TechEffectTerm",  # configuration; the bookkeeping of sent monthly reports
    "rightsaid.RightsaidSettings", "mediation.MediationSettings", "prescreen.DefectItem",
}


def project_models():
    for model in apps.get_models():
        module = model.__module__.split(".")[0]
        if module in PROJECT_APPS and not model._meta.abstract and not model._meta.proxy:
            yield model


def label(model):
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_model_is_scoped_or_declared_reference_data():
    unclassified = [label(m) for m in project_models()
                    if not isinstance(m._default_manager.all(), ScopedQuerySet) and label(m) not in REFERENCE_MODELS]
    assert unclassified == [], f"scope these models (visible_to) or add them to REFERENCE_MODELS: {unclassified}"


def test_reference_list_names_only_existing_models():
    existing = {label(m) for m in project_models()}
    assert REFERENCE_MODELS - existing == set()


# ---- views read scoped models through visible_to ----------------------------------------------

def _view_modules():
    for app in PROJECT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel:
                continue
            if path.name in ("views.py", "home.py", "panels.py") or "/api/" in rel and path.name == "views.py":
                yield path


SCOPED_NAMES = None


def _scoped_model_names():
    global SCOPED_NAMES
    if SCOPED_NAMES is None:
        SCOPED_NAMES = {m.__name__ for m in project_models() if isinstance(m._default_manager.all(), ScopedQuerySet)}
    return SCOPED_NAMES


def test_views_read_scoped_models_only_through_visible_to():
    """``Model.objects.<anything but visible_to>`` in a view is a leak unless the line says
    ``# scoped: <why>`` (e.g. rows of a parent that was itself read with visible_to)."""
    offenders = []
    names = _scoped_model_names()
    for path in _view_modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)):
                continue
            base = node.value
            if base.attr != "objects" or not isinstance(base.value, ast.Name) or base.value.id not in names:
                continue
            if node.attr in ("visible_to", "none", "published"):
                continue
            context = " ".join(lines[max(0, node.lineno - 2): node.lineno + 1])
            if "# scoped:" not in context:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {base.value.id}.objects.{node.attr}")
    assert offenders == [], "\n".join(offenders)


# ---- URLs: anonymous visitors and outsiders ----------------------------------------------------

# pages an anonymous visitor may open (everything else redirects to the login page or refuses)
PUBLIC_URL_NAMES = {
    "healthz", "set_language", "login", "logout", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete", "signup", "schema", "api-docs", "api-redoc",
    "api-token", "mediation:verify", "agreement-verify",
}
PUBLIC_PREFIXES = ("accounts:", "admin:", "outreach:public", "outreach:site", "outreach:verify",
                   "outreach:register", "outreach:cancel", "outreach:ics", "outreach:certificate-verify",
                   "outreach:event-public", "outreach:home")


def _patterns(patterns, namespace=None, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _patterns(p.url_patterns, inner, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def _reverse(name, arg, with_arg=False):
    for args in ([[arg], [str(arg)]] if with_arg else [[], [arg], [str(arg)]]):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


# read-only endpoints of published content (outreach's public site and its API)
PUBLIC_PATHS = ("/api/v1/outreach/public/", "/outreach/site/", "/outreach/public/")


def _is_public(name, url=None):
    return (name in PUBLIC_URL_NAMES or name.startswith(PUBLIC_PREFIXES) or name.split(":")[-1] in PUBLIC_URL_NAMES
            or (url is not None and url.startswith(PUBLIC_PATHS)))


@pytest.mark.django_db
def test_anonymous_visitors_reach_only_public_pages():
    client = Client(raise_request_exception=False)
    leaks = []
    for name, _pattern in sorted(_patterns(get_resolver().url_patterns), key=lambda pair: pair[0]):
        url = _reverse(name, 1)
        if url is None or _is_public(name, url):
            continue
        response = client.get(url)
        if response.status_code == 200:
            leaks.append(url)
    assert leaks == [], leaks


def _view_model(pattern):
    view = pattern.callback
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if cls is None:
        return None
    model = getattr(cls, "model", None)
    if model is None and getattr(cls, "queryset", None) is not None:
        model = cls.queryset.model
    if model is None and getattr(cls, "serializer_class", None) is not None:
        model = getattr(getattr(cls.serializer_class, "Meta", None), "model", None)
    return model


# Staff of every department may read these (shared reference data of the portal).
VISIBLE_TO_ALL_STAFF = {"accounts.Organization", "accounts.Station"}


@pytest.mark.django_db
def test_outsiders_get_404_for_every_record_in_html_and_api():
    """With the demo data loaded: for every URL that takes a record id of a scoped model, a
    company user of another organisation and a centre user of an unrelated department get a
    404 (or a refusal that names nothing) for records they may not see — never the record."""
    call_command("seed_demo", verbosity=0)
    outsiders = {
        "company": factories.applicant(factories.OrganizationFactory(name="无关公司")),
        "outreach": factories.staff(roles.OUTREACH_STAFF, "centre"),
    }
    failures, checked = [], 0
    routes = [(n, p) for n, p in _patterns(get_resolver().url_patterns) if not n.startswith("admin:")]
    for who, user in outsiders.items():
        client = Client(raise_request_exception=False)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for name, pattern in routes:
            model = _view_model(pattern)
            if model is None or not isinstance(model._default_manager.all(), ScopedQuerySet):
                continue
            if who == "outreach" and label(model) in VISIBLE_TO_ALL_STAFF:
                continue
            hidden = model._default_manager.exclude(pk__in=model._default_manager.visible_to(user).values("pk"))
            for pk in hidden.order_by("pk").values_list("pk", flat=True)[:2]:
                url = _reverse(name, pk, with_arg=True)
                if url is None or url.startswith(PUBLIC_PATHS):
                    continue  # public endpoints serve published content only (outreach tests)
                checked += 1
                response = client.get(url, HTTP_ACCEPT="application/json" if url.startswith("/api/") else "text/html")
                if response.status_code == 200:
                    failures.append((who, url, response.status_code))
    assert checked > 50
    assert failures == [], failures


@pytest.mark.django_db
def test_internal_timeline_events_never_reach_an_external_user():
    """Every page showing a record's timeline to its own company hides the internal events."""
    from ipcenter.workflow.models import Audience, TimelineEvent

    call_command("seed_demo", verbosity=0)
    internal = TimelineEvent.objects.filter(audience=Audience.INTERNAL).exclude(comment="")
    assert internal.exists()
    from ipcenter.accounts.models import User

    client = Client(raise_request_exception=False)
    failures = []
    for user in User.objects.filter(groups__name__in=[roles.APPLICANT, roles.AGENCY]).distinct()[:5]:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for event in internal[:200]:
            model = event.content_type.model_class()
            target = model._default_manager.visible_to(user).filter(pk=event.object_id).first()
            if target is None or not hasattr(target, "get_absolute_url"):
                continue
            page = client.get(target.get_absolute_url()).content.decode()
            if event.comment[:30] in page and event.comment[:30].strip():
                public_same = TimelineEvent.objects.filter(content_type=event.content_type, object_id=event.object_id,
                                                           audience=Audience.PUBLIC, comment=event.comment)
                if not public_same.exists():
                    failures.append((user.username, event.action, event.comment[:30], target.get_absolute_url()))
    assert failures == [], failures


def test_every_timeline_action_written_by_the_code_is_registered():
    """Codes passed to record_event as string literals are all in the registry."""
    from ipcenter.workflow.actions import ACTIONS

    missing = []
    for app in PROJECT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "/migrations/" in path.as_posix():
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record_event":
                    if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                        if node.args[1].value not in ACTIONS:
                            missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.args[1].value}")
    assert missing == []
    assert all(isinstance(a.audience, str) for a in ACTIONS.values())



WORKFLOW_APPS = ("prescreen", "rightsaid")


def test_no_service_assigns_a_state_field_outside_its_workflow():
    """State changes of the case-like records go through ``run_transition`` (the workflow
    declares them); seeds and migrations, which backdate rows, are the only exception."""
    offenders = []
    for app in WORKFLOW_APPS:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel.endswith("seed.py") or rel.startswith("ipcenter/workflow/"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                targets = []
                if isinstance(node, ast.Assign):
                    for t in node.targets:
                        targets.extend(t.elts if isinstance(t, ast.Tuple) else [t])
                for t in targets:
                    if isinstance(t, ast.Attribute) and t.attr in ("state", "status"):
                        offenders.append(f"{rel}:{node.lineno}")
    assert offenders == [], offenders
