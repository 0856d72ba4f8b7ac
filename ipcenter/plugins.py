"""How an app plugs into the portal: it declares everything in its own ``apps.py``.

An area app's ``AppConfig`` derives from ``PortalAppConfig`` and states, as class
attributes, what the shell needs from it — its URL root and URLconf, its API URLconf,
its menu entries, beat entries, state colours, home panels and upload purposes — and
lists the submodules that register job kinds and statistics figures (imported in
``ready``).  The core discovers the declarations here; no file in ``ipcenter/``
names an app (NetBox's ``PluginConfig`` and ``registry`` are the model).
"""
import importlib
import importlib.util
from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class MenuItem:
    """An entry of the navigation bar; ``roles=None`` shows it to every signed-in user."""

    label: str
    url_name: str
    roles: frozenset = None
    order: int = 100


@dataclass(frozen=True)
class UploadPurpose:
    """What may be uploaded for one purpose (see ``ipcenter.files.services.register_purpose``)."""

    name: str
    kinds: tuple
    max_size: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class HomePanel:
    """A panel on the home page of the listed roles: ``func(request) -> {"template": ..., ...}``."""

    roles: tuple
    func: str  # dotted path, imported when the app is ready


@dataclass
class _Registry:
    """What the apps declared, gathered once per process."""

    menu: list = field(default_factory=list)
    urls: list = field(default_factory=list)       # (prefix, urlconf)
    api_urls: list = field(default_factory=list)   # (prefix, urlconf)
    beat: dict = field(default_factory=dict)
    state_colours: dict = field(default_factory=dict)
    long_tasks: list = field(default_factory=list)
    public_home: str = None


def portal_apps():
    """The installed apps that plug into the shell, in INSTALLED_APPS order."""
    return [c for c in apps.get_app_configs() if isinstance(c, PortalAppConfig)]


_registry = None


def _module_exists(dotted):
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


def registry():
    global _registry
    if _registry is None:
        reg = _Registry()
        for config in portal_apps():
            reg.menu.extend(config.menu)
            if config.url_prefix is not None:
                reg.urls.append((config.url_prefix, config.urlconf or f"{config.name}.urls"))
            api = config.api_urlconf or f"{config.name}.api.urls"
            if config.api_prefix is not None and (config.api_urlconf or _module_exists(api)):
                reg.api_urls.append((config.api_prefix, api))
            for key, entry in config.beat_schedule.items():
                if key in reg.beat:
                    raise ValueError(f"beat entry {key!r} declared twice")
                reg.beat[key] = entry
            reg.state_colours.update(config.state_colours)
            reg.long_tasks.extend(config.long_tasks)
            reg.public_home = reg.public_home or config.public_home
        reg.menu.sort(key=lambda item: item.order)
        # Longer prefixes first so "rightsaid/mediation/" is tried before "rightsaid/".
        reg.urls.sort(key=lambda pair: -len(pair[0]))
        reg.api_urls.sort(key=lambda pair: -len(pair[0]))
        _registry = reg
    return _registry


class PortalAppConfig(AppConfig):
    """Base class of every app that plugs into the portal shell."""

    # Django picks an app's config automatically when its apps.py defines exactly one
    # candidate; the imported base class must not count as one, its subclasses must.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    #: URL root of the app's pages ("navigation/"); None = no pages.  URLconf defaults to ``<name>.urls``.
    url_prefix = None
    urlconf = None
    #: mounted under /api/v1/<api_prefix>; URLconf defaults to ``<name>.api.urls``.
    api_prefix = None
    api_urlconf = None
    menu = ()
    #: Celery beat entries, merged into the schedule: {"key": {"task": ..., "schedule": crontab(...)}}
    beat_schedule = {}
    #: badge colours of the app's state codes (Bootstrap contextual names)
    state_colours = {}
    home_panels = ()
    upload_purposes = ()
    #: Celery task names that run long (reports, imports): routed to the long queue with its limits
    long_tasks = ()
    #: the page anonymous visitors of "/" see (an app's public home), e.g. "outreach:public-home"
    public_home = None
    #: submodules imported when the app is ready (they register job kinds, figures, actions, rules)
    autoload = ("reports", "jobs", "figures", "actions", "selectors")

    def ready(self):
        from ipcenter.files.services import register_purpose
        from ipcenter.views import register_home_panel

        for purpose in self.upload_purposes:
            register_purpose(purpose.name, kinds=purpose.kinds, max_size=purpose.max_size)
        for panel in self.home_panels:
            register_home_panel(panel.roles, import_string(panel.func))
        for module in self.autoload:
            dotted = f"{self.name}.{module}"
            if importlib.util.find_spec(dotted) is not None:
                importlib.import_module(dotted)


# --- selectors one app offers another, without an import between them ---------------------

SELECTORS = {}


def provides(name):
    """Register ``func`` as the selector ``name`` (``"prescreen.cases_of_organizations"``), so
    another app can call it through ``select(name, ...)`` without importing the provider."""
    def decorator(func):
        if name in SELECTORS and SELECTORS[name] is not func:
            raise ValueError(f"selector {name!r} registered twice")
        SELECTORS[name] = func
        return func

    return decorator


def select(name, *args, default=None, **kwargs):
    """Call the selector ``name``; ``default`` when no installed app provides it."""
    func = SELECTORS.get(name)
    if func is None:
        return default
    return func(*args, **kwargs)
