"""Demo data: organisations across the leagues, users of every role with known
passwords, and sample records.  Each area app may add a ``seed.py`` with
``seed(ctx)``; it is called after the platform data, in INSTALLED_APPS order, and builds its
records through its services.  ``--volume small`` (the tests: setting or environment variable
``DEMO_VOLUME``) gives every state with a few rows each; ``full`` (the default, ``make run``)
centre-like volumes."""
import importlib
import os
import random
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, Station, TechnicalField, User
from ipcenter.accounts.services import assign_roles
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import open_deadline, sweep
from ipcenter.demo import VOLUMES, building
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event

DEMO_PASSWORD = "ipcenter-demo-2026"

# (username, display name, roles, station code or None, organization key or None)
DEMO_USERS = [
    ("admin", "系统管理员", [roles.ADMIN], "centre", None),
    ("manager", "王主任", [roles.MANAGER], "centre", None),
    ("examiner", "李预审", [roles.EXAMINER], "centre", None),
    ("examiner2", "赵预审", [roles.EXAMINER], "centre", None),
    ("examiner3", "孙预审", [roles.EXAMINER], "centre", None),
    ("qc", "周质检", [roles.QC_REVIEWER], "centre", None),
    ("station", "吴站长", [roles.STATION_STAFF], "baotou", None),
    ("station_ws", "郑专员", [roles.STATION_STAFF], "baotou-rare-earth", None),
    ("station_ordos", "冯专员", [roles.STATION_STAFF], "ordos", None),
    ("mediator", "陈调解", [roles.MEDIATOR], "mediation", None),
    ("analyst", "褚分析", [roles.NAVIGATION_ANALYST], "centre", None),
    ("outreach", "卫宣传", [roles.OUTREACH_STAFF], "centre", None),
    ("applicant", "蒋经理", [roles.APPLICANT], None, "dairy"),
    ("applicant2", "沈经理", [roles.APPLICANT], None, "rare-earth"),
    ("agency", "韩代理", [roles.AGENCY], None, "agency"),
]

# (key, name, 18-char base without check digit, league, fields, kind)
DEMO_ORGS = [
    ("dairy", "内蒙古蒙乳乳业股份有限公司", "91150100MA0N0001", "hohhot", ["biology"], "company"),
    ("rare-earth", "包头稀宝新材料科技有限公司", "91150200MA0N0002", "baotou", ["new-materials"], "company"),
    ("agency", "内蒙古知行专利代理事务所", "91150100MA0N0003", "hohhot", [], "agency"),
    ("bio-hulunbuir", "呼伦贝尔草原生物科技有限公司", "91150700MA0N0004", "hulunbuir", ["biology"], "company"),
    ("hinggan-agri", "兴安盟绿源农牧科技有限公司", "91152200MA0N0005", "hinggan", ["biology"], "company"),
    ("tongliao-mat", "通辽新铝材料有限公司", "91150500MA0N0006", "tongliao", ["new-materials"], "company"),
    ("chifeng-bio", "赤峰康泰生物制药有限公司", "91150400MA0N0007", "chifeng", ["biology"], "company"),
    ("xilingol-food", "锡林郭勒羊绒制品有限公司", "91152500MA0N0008", "xilingol", ["new-materials"], "company"),
    ("ulanqab-graphite", "乌兰察布石墨烯材料有限公司", "91150900MA0N0009", "ulanqab", ["new-materials"], "company"),
    ("ordos-coal", "鄂尔多斯煤化新材料有限公司", "91150600MA0N0010", "ordos", ["new-materials"], "company"),
    ("bayannur-bio", "巴彦淖尔河套生物科技有限公司", "91150800MA0N0011", "bayannur", ["biology"], "company"),
    ("wuhai-chem", "乌海精细化工材料有限公司", "91150300MA0N0012", "wuhai", ["new-materials"], "company"),
    ("alxa-desert", "阿拉善沙产业生物科技有限公司", "91152900MA0N0013", "alxa", ["biology"], "company"),
    ("imu", "内蒙古某大学", "12150000MA0N0014", "hohhot", ["biology", "new-materials"], "university"),
]


def uscc_with_check(base17):
    from stdnum.cn import uscc

    return base17 + uscc.calc_check_digit(base17)


class Command(BaseCommand):
    help = "Create demo organisations, users of every role (known passwords) and sample records."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if demo users already exist")
        parser.add_argument("--volume", choices=VOLUMES, default=None,
                            help="small: every state, a few rows each (tests); full: centre-like volumes "
                                 "(default: setting or environment variable DEMO_VOLUME, else full)")

    def handle(self, *args, **options):
        if options["if_empty"] and User.objects.filter(username="manager").exists():
            self.stdout.write("demo data already present; skipping")
            return
        random.seed(20220928)
        volume = (options.get("volume") or getattr(settings, "DEMO_VOLUME", None)
                  or os.environ.get("DEMO_VOLUME", "full"))
        began = time.monotonic()
        with building(), transaction.atomic():
            ctx = self.seed_platform()
            ctx["volume"] = volume
            for app in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{app.name}.seed")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app.name}.seed":
                        raise
                    continue
                self.stdout.write(f"seeding {app.label} ...")
                started = time.monotonic()
                module.seed(ctx)
                self.stdout.write(f"  {app.label}: {time.monotonic() - started:.1f} s")
            # what the beat's next deadline sweep does: clocks past due become overdue
            sweep()
        self.stdout.write(f"demo data ({volume}) in {time.monotonic() - began:.1f} s")
        self.print_credentials()

    def seed_platform(self):
        stations = {s.code: s for s in Station.objects.all()}
        fields = {f.code: f for f in TechnicalField.objects.all()}
        orgs = {}
        for key, name, base, league, field_codes, kind in DEMO_ORGS:
            base17 = (base + "0")[:17] if len(base) < 17 else base[:17]
            org, _ = Organization.objects.update_or_create(
                uscc=uscc_with_check(base17),
                defaults={"name": name, "kind": kind, "league": stations[league],
                          "status": Organization.Status.ACTIVE, "contact_name": "联系人",
                          "contact_phone": "0471-6600000", "address": f"{stations[league].name}辖区"})
            org.technical_fields.set([fields[c] for c in field_codes])
            orgs[key] = org
        orgs["agency"].clients.set([orgs["dairy"], orgs["bio-hulunbuir"]])
        pending, _ = Organization.objects.update_or_create(
            uscc=uscc_with_check("91150200MA0N00150"),
            defaults={"name": "包头新创稀土应用有限公司", "kind": "company", "league": stations["baotou"],
                      "status": Organization.Status.PENDING})
        record_event(pending, "accounts.organization.signup", None, to_state="pending")
        users = {}
        for username, display, role_codes, station_code, org_key in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            user.display_name = display
            user.email = f"{username}@demo.ipcenter.local"
            user.station = stations.get(station_code) if station_code else None
            user.organization = orgs.get(org_key) if org_key else None
            user.is_staff = roles.ADMIN in role_codes or roles.MANAGER in role_codes
            user.is_superuser = roles.ADMIN in role_codes
            user.set_password(DEMO_PASSWORD)
            user.save()
            assign_roles(user, *role_codes)
            users[username] = user
        users["examiner"].technical_fields.set([fields["biology"]])
        users["examiner2"].technical_fields.set([fields["biology"], fields["new-materials"]])
        users["examiner3"].technical_fields.set([fields["new-materials"]])
        users["examiner3"].hired_on = timezone.localdate() - timezone.timedelta(days=60)
        users["examiner3"].save(update_fields=["hired_on"])
        if not users["manager"].notifications.exists():
            notify(users["manager"], title=gettext_lazy("新单位注册待审核：%(name)s"), title_params={"name": "包头新创稀土应用有限公司"},
                   url=pending.get_absolute_url(), target=pending, email=False)
        if not Deadline.objects.filter(kind="accounts.review").exists():
            open_deadline(pending, "accounts.review", label=gettext_lazy("审核新注册单位：%(name)s"),
                          label_params={"name": pending.name},
                          rule=Deadline.Rule.WORKING_DAYS, amount=3, assignee=users["manager"])
        return {"stations": stations, "fields": fields, "orgs": orgs, "users": users,
                "password": DEMO_PASSWORD, "stdout": self.stdout}

    def print_credentials(self):
        self.stdout.write(self.style.SUCCESS("\nDemo users (password for all: %s)" % DEMO_PASSWORD))
        for username, display, role_codes, station, org in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {display:<6} {', '.join(str(roles.ROLE_LABELS[r]) for r in role_codes)}")
