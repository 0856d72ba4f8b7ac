"""Production cannot run on the repository's development SECRET_KEY, and `check --deploy` is
clean (security checks) with the production variables the README documents."""
import os
import subprocess
import sys

from django.conf import settings

BASE = str(settings.BASE_DIR)


def _env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_VERSION", "SECRET_KEY", "DEBUG") and not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(extra)
    return env


def _run(code, **extra):
    return subprocess.run([sys.executable, "-c", code], cwd=BASE, env=_env(**extra), capture_output=True,
                          text=True, timeout=120)


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off():
    result = _run("import ipcenter.settings", DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_debug_mode_still_starts_with_the_development_key():
    result = _run("import ipcenter.settings as s; print(s.SECRET_KEY == s.DEVELOPMENT_SECRET_KEY)", DEBUG="1")
    assert result.returncode == 0 and result.stdout.strip() == "True"


def test_a_production_key_is_used_as_given():
    result = _run("import ipcenter.settings as s; print(s.SECRET_KEY)", DEBUG="0", SECRET_KEY="k" * 60)
    assert result.returncode == 0 and result.stdout.strip() == "k" * 60


def test_check_deploy_is_clean_with_the_documented_production_variables():
    key = "Zq8" + "".join(chr(65 + (i * 7) % 26) + str(i % 10) for i in range(30))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=BASE,
        env=_env(DEBUG="0", SECRET_KEY=key, ALLOWED_HOSTS="ipc.example.org", HTTPS="1", SECURE_SSL_REDIRECT="1",
                 SECURE_HSTS_SECONDS="31536000", BEHIND_PROXY="1"),
        capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert "security." not in output, output
    # the only findings left, if any, are API-schema naming hints (not deployment settings)
    assert all("drf_spectacular" in line for line in output.splitlines()
               if line.startswith(("?:", "ipcenter", "prescreen", "rightsaid")) and "(" in line), output


def test_docker_compose_has_no_default_secret_key():
    """`docker compose up` refuses to start without a SECRET_KEY of the operator's own
    (compose's ``${VAR:?message}``), so a deployment can never run on a key from the repository."""
    import pathlib
    import re

    import yaml

    text = (pathlib.Path(BASE) / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    app = compose["x-app"]["environment"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", app["SECRET_KEY"]), app["SECRET_KEY"]
    for name, service in compose["services"].items():
        env = service.get("environment", {})
        if "SECRET_KEY" in env:
            assert env["SECRET_KEY"] == app["SECRET_KEY"], name
    # no key-looking default anywhere in the file (``${SECRET_KEY:-...}`` or a literal value)
    assert not re.search(r"SECRET_KEY:?-", text)
    assert not re.search(r"SECRET_KEY\s*[:=]\s*[\"']?[A-Za-z0-9]", text)
