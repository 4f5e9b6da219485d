"""The deployment kit stays in step with the code: the pinned lock with pyproject.toml, the
Dockerfile and compose.yaml with `python -m bot`'s modes, `.env.example` with bot/config.py; and
the health check command the image and compose run answers as /healthz does."""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import threading
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from bot.config import Config

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = ("slack", "discord", "worker")


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def _lock() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for number, raw in enumerate((ROOT / "requirements.txt").read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        spec = list(req.specifier)
        assert len(spec) == 1 and spec[0].operator == "==", f"line {number} is not a pin: {raw!r}"
        name = canonicalize_name(req.name)
        assert name not in pins, f"{name} is pinned twice"
        pins[name] = Version(spec[0].version)
    return pins


# ------------------------------------------------------------------------------ the lock


def test_every_runtime_dependency_is_pinned_within_its_range() -> None:
    pins = _lock()
    for text in _pyproject()["project"]["dependencies"]:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (pyproject.toml) is not in requirements.txt"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"requirements.txt pins {name}=={pins[name]}, outside pyproject's {req.specifier}"


def test_the_lock_holds_nothing_only_the_tests_need() -> None:
    pins = _lock()
    runtime = {canonicalize_name(Requirement(t).name) for t in _pyproject()["project"]["dependencies"]}
    for group, texts in _pyproject()["project"].get("optional-dependencies", {}).items():
        for text in texts:
            name = canonicalize_name(Requirement(text).name)
            if name not in runtime:
                assert name not in pins, f"{name} ({group} only) is in requirements.txt"


def test_the_lock_is_complete_what_each_pinned_package_needs_is_pinned_too() -> None:
    """A buildpack installs exactly the lock: each locked package's own requirements (for this
    platform and the extras pyproject asks for) must be in it, at a version they accept."""
    pins = _lock()
    extras: dict[str, set[str]] = {}
    for text in _pyproject()["project"]["dependencies"]:
        req = Requirement(text)
        extras.setdefault(canonicalize_name(req.name), set()).update(req.extras)
    environment = default_environment()
    checked = 0
    for name, version in pins.items():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if Version(dist.version) != version:
            continue  # another version installed here: its metadata says nothing of the pinned one
        checked += 1
        for text in dist.requires or []:
            child = Requirement(text)
            wanted = extras.get(name) or {""}
            if child.marker is not None and not any(
                    child.marker.evaluate({**environment, "extra": extra}) for extra in wanted):
                continue
            child_name = canonicalize_name(child.name)
            for extra in child.extras:
                extras.setdefault(child_name, set()).add(extra)
            assert child_name in pins, f"{name} needs {child}, which requirements.txt lacks"
            assert child.specifier.contains(pins[child_name], prereleases=True), \
                f"{name} needs {child}; requirements.txt pins {pins[child_name]}"
    assert checked >= len(pins) // 2  # the test environment has most of the lock installed


def test_the_python_version_is_one_pyproject_allows_and_the_image_uses() -> None:
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", version), version
    requires = Requirement(f"python{_pyproject()['project']['requires-python']}").specifier
    assert requires.contains(Version(version))
    assert f"FROM python:{version}-slim" in (ROOT / "Dockerfile").read_text()


# ------------------------------------------------------------------------------ the modes


@pytest.fixture(scope="module")
def modes() -> set[str]:
    """The modes `python -m bot --help` offers."""
    done = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60, env={**os.environ, "LOG_LEVEL": "WARNING"})
    assert done.returncode == 0, done.stderr
    found = re.search(r"\{([a-z,-]+)\}", done.stdout)
    assert found, done.stdout
    return set(found[1].split(","))


def _bot_modes(words: list[str]) -> list[str]:
    """The modes of each `python -m bot <mode>` in a command line (also inside `sh -c '...'`)."""
    text = " ".join(words)
    return re.findall(r"python -m bot (?:\"\$@\"|([a-z][a-z-]*))", text)


# ------------------------------------------------------------------------------ the Dockerfile


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _exec_form(arguments: str) -> list[str]:
    words = json.loads(arguments)
    assert isinstance(words, list) and all(isinstance(w, str) for w in words), arguments
    return words


def test_the_image_is_slim_runs_as_a_user_and_installs_the_lock(modes: set[str]) -> None:
    steps = _dockerfile()
    froms = [args for word, args in steps if word == "FROM"]
    assert len(froms) == 1 and re.fullmatch(r"python:3\.1[12]-slim", froms[0])
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    runs = " ".join(args for word, args in steps if word == "RUN")
    assert "pip install --no-cache-dir -r requirements.txt" in runs
    assert "COPY requirements.txt" in " ".join(f"{w} {a}" for w, a in steps)
    entrypoint = _exec_form(next(args for word, args in steps if word == "ENTRYPOINT"))
    command = _exec_form(next(args for word, args in steps if word == "CMD"))
    called = _bot_modes(entrypoint)
    assert called[0] == "migrate", "the database is migrated at start-up, before the process starts"
    assert "" in called, "then the mode given as the command"
    assert command[0] in modes
    assert set(m for m in called if m) <= modes


def test_the_image_health_check_asks_healthz() -> None:
    check = next(args for word, args in _dockerfile() if word == "HEALTHCHECK")
    assert "/healthz" in check and "CMD [" in check
    words = _exec_form(check[check.index("CMD [") + 4:])
    assert words == _compose()["x-healthz"]["test"][1:]  # the same command as compose's


# ------------------------------------------------------------------------------ compose


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_each_process_on_postgres_with_a_health_check(modes: set[str]) -> None:
    services = _compose()["services"]
    assert set(PROCESSES) | {"postgres"} <= set(services)
    database = services["postgres"]
    assert database["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(database["healthcheck"]["test"])
    release = services["release"]  # once, before the processes: migrations, Discord's commands
    assert release["command"] == ["release"] and "release" in modes and release["restart"] == "no"
    assert release["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert release["environment"]["DATABASE_URL"] == services["worker"]["environment"]["DATABASE_URL"]
    for name in PROCESSES:
        service = services[name]
        assert service["command"] == [name] and name in modes, (name, service["command"])
        url = service["environment"]["DATABASE_URL"]
        assert re.fullmatch(r"postgresql://[^@/]+@postgres:5432/\w+", url.replace("${POSTGRES_PASSWORD:-followthrough}",
                                                                                     "pw")), url
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["release"]["condition"] == "service_completed_successfully"
        check = service["healthcheck"]
        assert check["test"][0] == "CMD" and "/healthz" in " ".join(check["test"])
        port = service["environment"].get("PORT") if name == "slack" else service["environment"].get("HEALTH_PORT")
        assert port == "8080", f"{name} answers /healthz on the port its health check asks"
        assert service["build"] == "."


# ------------------------------------------------------------------------------ the health check command


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        code = self.status if self.path == "/healthz" else 404
        self.send_response(code)
        self.end_headers()
        self.wfile.write(b'{"ok": true}' if code == 200 else b'{"ok": false}')

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[tuple[int, type[_Health]]]:
    handler = type("Health", (_Health,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("variable", ["PORT", "HEALTH_PORT"])
def test_the_health_check_command_passes_only_while_healthz_answers_200(
        health_server: tuple[int, type[_Health]], variable: str) -> None:
    port, handler = health_server
    command = _compose()["x-healthz"]["test"][1:]
    command[0] = sys.executable
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "HEALTH_PORT")}

    def check(**extra: str) -> int:
        return subprocess.run(command, env={**env, **extra}, capture_output=True, timeout=30).returncode

    assert check(**{variable: str(port)}) == 0
    handler.status = 503  # the database does not answer
    assert check(**{variable: str(port)}) != 0
    handler.status = 200
    assert check(PORT="1", HEALTH_PORT=str(port)) == 0  # HEALTH_PORT first: the Discord bot, the worker


# ------------------------------------------------------------------------------ .env.example


COMPOSE_ONLY = {"POSTGRES_PASSWORD", "SLACK_PUBLIC_PORT"}


def _example_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        found = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if found:
            names.add(found[1])
    return names


def _settings() -> set[str]:
    names = set()
    for field in Config.model_fields.values():
        alias = field.validation_alias
        assert isinstance(alias, str), alias
        names.add(alias)
    return names


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    listed = _example_names()
    assert _settings() - listed == set(), "settings of bot/config.py missing from .env.example"
    assert listed - _settings() - COMPOSE_ONLY == set(), ".env.example lists what bot/config.py does not read"


def test_compose_reads_only_variables_the_example_explains() -> None:
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", (ROOT / "compose.yaml").read_text()))
    assert used <= _example_names()


def test_the_procfile_starts_modes_that_exist(modes: set[str]) -> None:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, command = line.partition(":")
        words = shlex.split(command)
        assert words[:3] == ["python", "-m", "bot"] and words[3] in modes, line


# ------------------------------------------------------------------------------ what the image holds


def test_the_files_the_image_copies_are_enough_to_migrate_and_start(tmp_path: Path) -> None:
    """Only what the Dockerfile COPYs, with the installed libraries and without this checkout on
    the path: `python -m bot --help` and `python -m bot migrate` work (a module left out of the
    image, or a migration, would fail here rather than in production)."""
    app = tmp_path / "app"
    app.mkdir()
    for word, args in _dockerfile():
        if word != "COPY":
            continue
        *sources, _target = args.split()
        for source in sources:
            origin = ROOT / source.rstrip("/")
            if origin.is_dir():
                shutil.copytree(origin, app / origin.name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(origin, app / origin.name)
    libraries = sysconfig.get_paths()["purelib"]
    start = (f"import runpy, sys; sys.path[:0] = [{str(app)!r}, {libraries!r}]; "
             "sys.argv = ['bot', *sys.argv[1:]]; runpy.run_module('bot', run_name='__main__', alter_sys=True)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "PYTHON"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'data.db'}"
    for args in (["--help"], ["migrate"]):
        # -S: no site-packages processing, so this checkout's editable install is not on the path
        done = subprocess.run([sys.executable, "-S", "-c", start, *args], cwd=app, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "data.db").exists()
