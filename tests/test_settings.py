"""Start-up refuses settings it cannot trust."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    inherited = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_bad_debug_value_stops_start_up(value):
    result = manage("check", DEBUG=value)
    assert result.returncode != 0
    assert f"DEBUG={value!r} is not a yes/no value" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_number_stops_start_up():
    result = manage("check", EMAIL_PORT="twenty-five")
    assert result.returncode != 0
    assert "EMAIL_PORT='twenty-five' is not a whole number" in result.stderr


def test_production_settings_pass_the_deployment_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_embedded_default_needs_nothing_set():
    result = manage("check")
    assert result.returncode == 0, result.stderr
