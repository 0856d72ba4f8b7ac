"""factory-boy factories shared by the whole suite."""
import factory
from django.contrib.auth.models import Group
from stdnum.cn import uscc as uscc_mod

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, Station, TechnicalField, User

PASSWORD = "test-pass-123"


def make_uscc(n):
    base = f"9115{n:013d}"[:17]
    return base + uscc_mod.calc_check_digit(base)


def station(code):
    return Station.objects.get(code=code)


def field(code):
    return TechnicalField.objects.get(code=code)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(lambda n: make_uscc(n + 1000))
    kind = Organization.Kind.COMPANY
    league = factory.LazyFunction(lambda: Station.objects.get(code="hohhot"))
    status = Organization.Status.ACTIVE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(*[Group.objects.get_or_create(name=r)[0] for r in extracted])
            self.__dict__.pop("roles", None)
        if create:
            self.save()

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if extracted:
            self.technical_fields.set(extracted)


def applicant(org=None, **kw):
    org = org or OrganizationFactory()
    return UserFactory(organization=org, roles=[roles.APPLICANT], **kw)


def agency_user(agency=None, clients=(), **kw):
    agency = agency or OrganizationFactory(kind=Organization.Kind.AGENCY)
    if clients:
        agency.clients.add(*clients)
    return UserFactory(organization=agency, roles=[roles.AGENCY], **kw)


def staff(role, station_code="centre", **kw):
    return UserFactory(station=Station.objects.get(code=station_code), roles=[role], **kw)


def manager(**kw):
    return staff(roles.MANAGER, **kw)


def examiner(fields=("biology",), **kw):
    return staff(roles.EXAMINER, fields=[field(c) for c in fields], **kw)


# --- workflow states through the services (the builders the demo data uses) ------------------

def registered_org(**kw):
    """An active company with an approved 备案 (through the registration services) and its
    applicant user: ``(organization, applicant)``."""
    import datetime

    from prescreen import builders

    org = OrganizationFactory(**kw)
    org.technical_fields.set([field("new-materials"), field("biology")])
    user = applicant(org)
    builders.register(user, technical_fields=list(org.technical_fields.all()), approve_by=manager(),
                      established_on=datetime.date(2015, 1, 1), insured_staff=30, invention_patents=2)
    return org, user


def case_in(state, *, filer=None, manager_user=None, examiner_user=None, **kw):
    """A pre-exam case driven through the services to ``state`` (``PreExamCase.State``):
    submitted by an applicant of a registered company, accepted by a manager, claimed by an
    examiner of its field, an opinion issued … — with the events, clocks and files the services
    give it, never a state field written by hand."""
    from prescreen import builders

    if filer is None:
        _, filer = registered_org()
    manager_user = manager_user or manager()
    examiner_user = examiner_user or examiner(fields=("new-materials",))
    return builders.case_in(state, filer=filer, manager=manager_user, examiner=examiner_user, **kw)
