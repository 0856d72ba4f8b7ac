"""Renamed models and fields keep their rows: the migrations rename tables, columns and content
types in place, so timeline events, clocks and attachments written before a rename are still
found through the core after it, and the stored action codes still render their labels."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from ipcenter.accounts import roles
from ipcenter.deadlines.services import deadlines_of
from ipcenter.workflow.actions import ACTIONS
from ipcenter.workflow.models import TimelineEvent
from prescreen.quality import services as qs
from prescreen.quality.models import Level, QualityCheck
from rightsaid.models import Consultation
from tests import factories
from tests.rightsaid import factories as rights
from tests.quality.test_quality import examining_case, submitted_opinion

pytestmark = pytest.mark.django_db


def _migrate(app, target=None):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks while tables are renamed
    call_command("migrate", app, *([target] if target else []), verbosity=0, interactive=False)
    ContentType.objects.clear_cache()


def _columns(table):
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def test_a_quality_check_keeps_its_timeline_and_clock_across_the_rename(org, applicant_user):
    author, peer = factories.examiner(("new-materials",)), factories.examiner(("new-materials",))
    case = examining_case(org, applicant_user, author, factories.manager())
    check = QualityCheck.objects.get(opinion=submitted_opinion(case, author), level=Level.PEER)
    qs.complete_check(check, peer, outcome=QualityCheck.Outcome.PASS)
    ct_id = ContentType.objects.get_for_model(QualityCheck).pk
    try:
        _migrate("quality", "0002_feedback_not_comparable")
        old = ContentType.objects.get(app_label="quality", model="check")
        assert old.pk == ct_id and not ContentType.objects.filter(model="qualitycheck").exists()
        assert "quality_check" in connection.introspection.table_names()
        # an event written while the model was still called Check
        TimelineEvent.objects.create(content_type=old, object_id=check.pk, action="quality.check.complete",
                                     label="完成质检", actor=peer, actor_name=str(peer))
    finally:
        _migrate("quality")
    assert ContentType.objects.get_for_model(QualityCheck).pk == ct_id
    assert not ContentType.objects.filter(app_label="quality", model="check").exists()
    events = TimelineEvent.objects.for_object(check)
    assert list(events.values_list("action", flat=True)) == ["quality.check.complete"] * 2
    assert [d.kind for d in deadlines_of(check)] == [qs.CHECK_KIND]


def test_the_renamed_check_keeps_its_stored_action_codes():
    assert {"quality.check.complete", "quality.check.cancel"} <= set(ACTIONS)
    assert not [code for code in ACTIONS if code.startswith("quality.qualitycheck.")]


def test_rights_assistance_rows_keep_their_registration_moment_across_the_column_rename():
    c = rights.consultation(rights.worker("hohhot"), topic="改名前的咨询")
    moment = Consultation.objects.get(pk=c.pk).created_at
    try:
        _migrate("rightsaid", "0001_initial")
        assert "created" in _columns("rightsaid_consultation")
        assert "created_at" not in _columns("rightsaid_consultation")
    finally:
        _migrate("rightsaid")
    assert Consultation.objects.get(pk=c.pk).created_at == moment



def test_a_mediation_session_keeps_its_row_and_content_type_across_the_rename():
    from django.utils import timezone

    from rightsaid.mediation import services as mediation
    from rightsaid.mediation.models import MediationSession
    from tests.rightsaid.test_mediation import in_mediation

    mediator = factories.staff(roles.MEDIATOR, "mediation", display_name="陈调解")
    dispute = in_mediation(mediator)
    session = mediation.log_session(dispute, mediator, held_on=timezone.localdate(), mode="online", place="线上",
                                    attendees="双方", notes="第一次调解会")
    ct_id = ContentType.objects.get_for_model(MediationSession).pk
    try:
        _migrate("mediation", "0002_agreement_mediator_name")
        assert ContentType.objects.get(app_label="mediation", model="session").pk == ct_id
        assert "mediation_session" in connection.introspection.table_names()
    finally:
        _migrate("mediation")
    assert ContentType.objects.get_for_model(MediationSession).pk == ct_id
    assert list(dispute.sessions.values_list("pk", "notes")) == [(session.pk, "第一次调解会")]
