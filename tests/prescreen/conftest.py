"""The pre-exam tests exercise the opinion workflow on its own: the quality app's peer check
(互检, which by default holds every opinion until a colleague passes it) is switched off
here through its real setting; tests/quality covers the check itself."""
import pytest


@pytest.fixture(autouse=True)
def _no_peer_check(db):
    from prescreen.quality.models import QualitySettings

    cfg = QualitySettings.load()
    cfg.peer_mode, cfg.peer_share = QualitySettings.PeerMode.SHARE, 0
    cfg.save()
