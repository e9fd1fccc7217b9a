"""Production starts as written: the image and the compose layout, run without a container engine.

The test reads the Dockerfile and docker-compose.yml and does what they say, on this machine:

- the image: the build context (after .dockerignore) copied into a file tree that stands for the image's root
  (``/app`` is ``<root>/app``, ``/data/media`` is ``<root>/data/media``…), owned by the builder (root) with the
  context's modes; the Dockerfile's RUN lines executed as the builder (collectstatic) or, for the user's creation,
  reproduced; the app user of ``USER`` stood in for by an unprivileged account (``nobody`` when the test runs as
  root; otherwise the code is made read-only, as root's files are to the app user);
- the services in ``depends_on`` order with the environment compose gives them (``.env`` = .env.example's values
  plus test secrets; ``environment``), each command as the app user: ``migrate`` once to completion, then
  both gunicorn pools (web-team, web-public), the Celery worker and beat; the pools' healthcheck exactly as
  docker-compose.yml states it; the proxy's nginx template rendered as the nginx image does and run with
  Debian's nginx, HTTPS with a certificate made here, routing to both pools and caching the public pages.

What stands in for the container engine, and nothing else: service names become 127.0.0.1 (PostgreSQL and Redis
of this machine, database ``silon_smoke``, Redis database 9), ports become free loopback ports (gunicorn's
``--bind`` host 127.0.0.1 instead of 0.0.0.0), container paths are prefixed with the stand-in root. Only loopback
traffic; every process is ended at the end.
"""

import contextlib
import http.client
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, production_tool

from .layout import (
    ROOT,
    build_context,
    dockerfile_env,
    load_compose,
    read_dockerfile,
    read_env_file,
    render_nginx,
    start_order,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.production, pytest.mark.slow]

DATABASE = "silon_smoke"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/9"
CLIENT_ADDRESS = "127.0.0.2"  # the browser's address, as nginx sees it (any 127/8 address is loopback)
SPOOFED_ADDRESS = "203.0.113.9"  # what a client claims in X-Real-IP; the proxy replaces it
BUDGET = 240  # seconds for the whole layout to come up and answer
POOLS = {"web-team": "SILON_WEB_TEAM", "web-public": "SILON_WEB_PUBLIC"}  # service: the proxy's variable for it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    root: Path  # stands for the image's /
    work: Path
    user: tuple[int, int]
    services: dict
    image_env: dict[str, str]
    workdir: str
    host: str
    https_port: int = 0
    http_port: int = 0
    gate_port: int = 0
    web_ports: dict[str, int] = field(default_factory=dict)
    certificate: Path | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    completed: set[str] = field(default_factory=set)  # one-shot services that ended with status 0
    app_user: str = ""
    app_bin: Path = Path(sys.executable).parent  # the image's python and its scripts, for the app user
    app_bin_env: dict[str, str] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)
    deadline: float = 0.0

    def path(self, container_path: str) -> Path:
        """Where a path of the image lies in the stand-in root."""
        assert container_path.startswith("/"), container_path
        return self.root / container_path.lstrip("/")

    def log(self, name: str) -> str:
        path = self.logs.get(name)
        return path.read_text(errors="replace") if path and path.exists() else ""

    def tails(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)[-3000:]}" for name in self.logs)


# --- the image -------------------------------------------------------------------------------------


def _stand_in_user() -> tuple[int, int]:
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid
    return os.getuid(), os.getgid()


def _as_builder(stack: Stack, command: str, env: dict[str, str]) -> None:
    """A RUN line as Docker runs it: ``/bin/sh -c`` in WORKDIR, as the builder (root), umask 022."""
    out = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=stack.path(stack.workdir),
        env=env,
        umask=0o022,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, f"RUN {command}\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"


def _copy_context(stack: Stack, source: str, destination: str) -> None:
    context = build_context(ROOT)
    target = stack.path(destination if destination.startswith("/") else f"{stack.workdir}/{destination}")
    chosen = context if source == "." else [source]
    assert source == "." or source in context, f"COPY {source}: not in the build context"
    for relative in chosen:
        src = ROOT / relative
        dst = target / relative if source == "." or destination.endswith(("/", ".")) else target
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(dst.parent, 0o755)
        if src.is_symlink():
            dst.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, dst)


def _reproduce_user_creation(stack: Stack, command: str) -> str:
    """The RUN line that creates the app user and its writable directories: every part reproduced on the
    stand-in root (the account itself is the stand-in user). Returns the user name."""
    name = None
    for part in command.split("&&"):
        argv = shlex.split(part)
        if argv[0] == "useradd":
            name = argv[-1]
            if "--create-home" in argv or "-m" in argv:
                home = stack.path(f"/home/{name}")
                home.mkdir(parents=True, exist_ok=True)
                os.chown(home, *stack.user)
        elif argv[:2] == ["mkdir", "-p"]:
            for directory in argv[2:]:
                stack.path(directory).mkdir(parents=True, exist_ok=True)
        elif argv[0] == "chown":
            for directory in argv[2:]:
                os.chown(stack.path(directory), *stack.user)
        else:
            raise AssertionError(f"the smoke test does not know how to reproduce {part!r}")
    assert name, command
    return name


def build_image(stack: Stack, builder_path: str) -> str:
    """Every Dockerfile instruction, in order. Returns the app user's name."""
    user = None
    for instruction in read_dockerfile(ROOT / "Dockerfile"):
        keyword, arguments = instruction.keyword, instruction.arguments
        if keyword == "FROM":
            match = re.fullmatch(r"python:(\d+)\.(\d+)(-\S+)?", arguments)
            assert match, f"FROM {arguments}: the smoke test knows the python images"
            assert tuple(map(int, match.groups()[:2])) == sys.version_info[:2], "run the test on the image's Python"
            for directory, mode in (("/tmp", 0o1777), ("/root", 0o700), ("/home", 0o755)):  # the base image's
                stack.path(directory).mkdir(parents=True, exist_ok=True)
                os.chmod(stack.path(directory), mode)
        elif keyword == "ENV":
            stack.image_env.update(dockerfile_env(arguments))
        elif keyword == "WORKDIR":
            stack.workdir = arguments
            stack.path(arguments).mkdir(parents=True, exist_ok=True)
            os.chmod(stack.path(arguments), 0o755)
        elif keyword == "COPY":
            *sources, destination = shlex.split(arguments)
            for source in sources:
                _copy_context(stack, source, destination)
        elif keyword == "RUN" and arguments.startswith("pip install"):
            assert "-r requirements.txt" in arguments  # the test's interpreter has the same requirements
        elif keyword == "RUN" and "useradd" in arguments:
            user = _reproduce_user_creation(stack, arguments)
        elif keyword == "RUN":
            env = {**_container_env(stack, stack.image_env), "PATH": builder_path, "HOME": str(stack.path("/root"))}
            _as_builder(stack, arguments, env)
        elif keyword == "USER":
            assert arguments not in ("root", "0"), "the image must not run as root"
            assert arguments == user, f"USER {arguments} is not the user the Dockerfile creates ({user})"
        elif keyword == "EXPOSE":
            pass
        else:
            raise AssertionError(f"the smoke test does not know the instruction {keyword}")
    assert user, "the Dockerfile creates no app user"
    return user


def _container_env(stack: Stack, env: dict[str, str]) -> dict[str, str]:
    """Container paths in values point into the stand-in root."""
    return {k: str(stack.path(v)) if v.startswith("/") and " " not in v else v for k, v in env.items()}


# --- processes -------------------------------------------------------------------------------------


def _app_env(stack: Stack, service: str, overrides: dict[str, str]) -> dict[str, str]:
    """A container's environment: the image's, then compose's for the service, then the stand-ins; the
    interpreter with the requirements first on PATH (the image's python), HOME the app user's."""
    env = _container_env(stack, {**stack.image_env, **stack.services[service].environment, **overrides})
    env["PATH"] = f"{stack.app_bin}:/usr/local/bin:/usr/bin:/bin"
    env["LANG"] = "C.UTF-8"
    env.update(stack.app_bin_env)
    env["HOME"] = str(stack.path(f"/home/{stack.app_user}"))
    return env


def _link_or_copy(source, destination, *, follow_symlinks=True):
    try:
        os.link(source, destination, follow_symlinks=follow_symlinks)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=follow_symlinks)


def _usable(stack: Stack, bin_dir: Path, env: dict[str, str]) -> bool:
    try:
        probe = subprocess.run(
            [str(bin_dir / "python"), "-c", "import django, gunicorn, celery, redis, psycopg2"],
            capture_output=True,
            timeout=60,
            cwd="/",
            env={"PATH": "/usr/bin:/bin", **env},
            **_as_app_user(stack),
        )
    except OSError:
        return False
    return probe.returncode == 0


def _app_interpreter(stack: Stack) -> tuple[Path, dict[str, str]]:
    """The directory of the python (and its scripts: gunicorn, celery) the app user runs, as the image's is on
    PATH, and the environment it needs. The test's own interpreter when the app user can run it. When it lies
    where that user cannot reach (a root-only home), the same installation linked into the work directory
    (stdlib and binary, hard links), with a virtualenv on it that reads the test's site-packages; its binary
    finds libpython through LD_LIBRARY_PATH, its own RUNPATH being the unreachable one."""
    own = Path(sys.executable).parent
    if _usable(stack, own, {}):
        return own, {}
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    base, linked = Path(sys.base_prefix), stack.work / "python-base"
    (linked / "bin").mkdir(parents=True)
    (linked / "lib").mkdir()
    _link_or_copy(base / "bin" / f"python{version}", linked / "bin" / f"python{version}")
    for library in (base / "lib").glob("libpython*"):
        _link_or_copy(library, linked / "lib" / library.name, follow_symlinks=False)
    shutil.copytree(
        base / "lib" / f"python{version}",
        linked / "lib" / f"python{version}",
        symlinks=True,
        ignore=shutil.ignore_patterns("site-packages", "test", "idlelib", "tkinter"),
        copy_function=_link_or_copy,
    )
    env = {"LD_LIBRARY_PATH": str(linked / "lib")}
    venv = stack.work / "python"
    subprocess.run(
        [str(linked / "bin" / f"python{version}"), "-m", "venv", "--without-pip", str(venv)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", **env},
    )
    site = venv / "lib" / f"python{version}" / "site-packages"
    (site / "silon-requirements.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    for script in own.iterdir():
        if script.is_file() and not script.is_symlink():
            head, _, rest = script.read_bytes().partition(b"\n")
            if head.startswith(b"#!") and b"python" in head:
                target = venv / "bin" / script.name
                target.write_bytes(b"#!" + str(venv / "bin" / "python").encode() + b"\n" + rest)
                target.chmod(0o755)
    assert _usable(stack, venv / "bin", env), "the stand-in interpreter cannot import the requirements"
    return venv / "bin", env


def _container_argv(stack: Stack, argv: list[str]) -> list[str]:
    return [str(stack.path(arg)) if arg.startswith("/") else arg for arg in argv]


def _as_app_user(stack: Stack) -> dict:
    if os.geteuid() == 0:
        return {"user": stack.user[0], "group": stack.user[1], "extra_groups": []}
    return {}


def start(stack: Stack, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    stack.logs[name] = stack.work / "logs" / f"{name}.log"
    log = open(stack.logs[name], "w")  # noqa: SIM115 (closed when the process is ended)
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: gunicorn's and Celery's children end with it
        **_as_app_user(stack),
    )
    process.log_file = log
    stack.processes[name] = process
    return process


def stop_all(stack: Stack) -> None:
    for name in reversed(list(stack.processes)):
        process = stack.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        process.log_file.close()


def wait_for(stack: Stack, what: str, check, timeout: float) -> None:
    deadline = min(time.time() + timeout, stack.deadline)
    while time.time() < deadline:
        if check():
            return
        for name, process in stack.processes.items():
            assert process.poll() is None, f"{name} exited: {process.returncode}\n{stack.tails()}"
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout:.0f} s\n{stack.tails()}")


def run_healthcheck(stack: Stack, pool: str) -> subprocess.CompletedProcess:
    """docker-compose.yml's healthcheck of a pool, its argument list as stated, in that container's environment."""
    web = stack.services[pool]
    return subprocess.run(
        web.healthcheck_argv(),
        cwd=stack.path(stack.workdir),
        env=_app_env(stack, pool, _web_overrides(stack, pool)),
        capture_output=True,
        text=True,
        timeout=_seconds(web.spec["healthcheck"]["timeout"]) + 10,  # + the interpreter's start on a busy machine
        **_as_app_user(stack),
    )


def _seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)s", str(value))
    assert match, value
    return float(match.group(1))


# --- the services' stand-ins -----------------------------------------------------------------------


def _service_overrides(stack: Stack, service: str) -> dict[str, str]:
    """Service names become this machine's PostgreSQL and Redis (the compose values are checked first)."""
    env = stack.services[service].environment
    url = urllib.parse.urlsplit(env["DATABASE_URL"])
    assert url.hostname in stack.services and url.path == "/silon", env["DATABASE_URL"]
    assert urllib.parse.urlsplit(env["REDIS_URL"]).hostname in stack.services, env["REDIS_URL"]
    # the postgres service's user (the owner, a superuser there) is this machine's superuser; any other role
    # (the application's, which migrate creates) keeps its name
    owner = stack.services["postgres"].environment["POSTGRES_USER"]
    user = "postgres" if url.username == owner else url.username
    return {"DATABASE_URL": f"postgres://{user}@127.0.0.1:5432/{DATABASE}", "REDIS_URL": REDIS}


def _web_overrides(stack: Stack, pool: str) -> dict[str, str]:
    port = stack.web_ports[pool]
    return {
        **_service_overrides(stack, pool),
        "PORT": str(port),
        # gunicorn binds 0.0.0.0:$PORT in the container; here the same port on loopback only
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
    }


def _render_proxy(stack: Stack) -> Path:
    """The proxy's templates rendered as the nginx image does (layout.render_nginx), with the stand-ins: the
    pools' addresses are their loopback ports, the listening ports and the public gate free loopback ports."""
    proxy = stack.services["proxy"]
    env = {
        **proxy.environment,
        "NGINX_RESOLVER": "127.0.0.1",  # never asked: the upstreams are addresses here
        "NGINX_HTTP_PORT": f"127.0.0.1:{stack.http_port}",
        "NGINX_HTTPS_PORT": f"127.0.0.1:{stack.https_port}",
        "NGINX_PUBLIC_GATE": f"127.0.0.1:{stack.gate_port}",
    }
    for pool, variable in POOLS.items():
        assert proxy.environment[variable] == f"{pool}:{stack.services[pool].environment['PORT']}"
        env[variable] = f"127.0.0.1:{stack.web_ports[pool]}"
    base = stack.work / "proxy"
    main = render_nginx(proxy, env, base)
    for path in [base, *base.rglob("*")]:
        os.chown(path, *stack.user)
    return main


def _make_certificate(stack: Stack, directory: Path) -> Path:
    directory.mkdir()
    out = subprocess.run(
        [
            production_tool("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={stack.host}",
            "-addext",
            f"subjectAltName=DNS:{stack.host}",
            "-keyout",
            str(directory / "privkey.pem"),
            "-out",
            str(directory / "fullchain.pem"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    os.chmod(directory, 0o755)
    for pem in directory.iterdir():
        os.chown(pem, *stack.user)
        os.chmod(pem, 0o600)
    return directory / "fullchain.pem"


def _reset_database_and_broker() -> None:
    import psycopg2
    import redis

    connection = psycopg2.connect(f"{POSTGRES}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    connection.close()
    redis.Redis.from_url(REDIS).flushdb()


def _drop_database_and_broker() -> None:
    import psycopg2
    import redis

    connection = psycopg2.connect(f"{POSTGRES}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        # docker-compose.yml's application role, which migrate made (if still granted in another database of
        # this machine, it stays for the next run's ALTER ROLE)
        with contextlib.suppress(psycopg2.Error):
            cursor.execute("DROP ROLE IF EXISTS silon_app")
    connection.close()
    redis.Redis.from_url(REDIS).flushdb()


def _query(sql: str, *params):
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES}/{DATABASE}")
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


# --- the layout, up --------------------------------------------------------------------------------


def bring_up(stack: Stack) -> None:
    cwd = stack.path(stack.workdir)
    for name in start_order(stack.services):
        service = stack.services[name]
        for dependency, condition in service.depends_on.items():
            if condition == "service_completed_successfully":
                assert dependency in stack.completed, f"{name} waits for {dependency} to complete"
            elif dependency in stack.processes:  # started, or healthy (web: checked when it started)
                assert stack.processes[dependency].poll() is None, f"{dependency} is not running\n{stack.tails()}"
        if name in ("postgres", "redis"):
            continue  # this machine's, reset for the test
        if name == "proxy":
            main = _render_proxy(stack)
            nginx = production_tool("nginx")
            argv = [nginx, "-c", str(main), "-p", str(main.parent), "-e", str(main.parent / "error.log")]
            check = subprocess.run([*argv, "-t"], capture_output=True, text=True, timeout=30, **_as_app_user(stack))
            assert check.returncode == 0, check.stderr
            start(stack, name, argv, {"PATH": "/usr/sbin:/usr/bin:/bin"}, main.parent)
            wait_for(stack, "nginx listening", lambda: _listening(stack.https_port), 30)
            continue
        assert service.spec.get("build") == ".", f"{name}: the smoke test runs the image's services"
        overrides = _web_overrides(stack, name) if name in POOLS else _service_overrides(stack, name)
        env = _app_env(stack, name, overrides)
        if name == "migrate":
            out = subprocess.run(
                _container_argv(stack, service.command),
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                **_as_app_user(stack),
            )
            assert out.returncode == 0, f"migrate\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
            stack.logs["migrate"] = stack.work / "logs" / "migrate.log"
            stack.logs["migrate"].write_text(out.stdout + out.stderr)
            stack.completed.add(name)
            continue
        start(stack, name, _container_argv(stack, service.command), env, cwd)
        if name in POOLS:
            wait_healthy(stack, name)


def wait_healthy(stack: Stack, pool: str) -> None:
    """Until a pool's healthcheck passes, as the engine runs it (here every half second, not every 30 s)."""
    last: list[subprocess.CompletedProcess] = []

    def healthy() -> bool:
        last[:] = [run_healthcheck(stack, pool)]
        return last[0].returncode == 0

    try:
        wait_for(stack, f"{pool} healthy", healthy, 120)
    except AssertionError as exc:
        said = f"{last[0].stdout}{last[0].stderr}" if last else ""
        raise AssertionError(f"the healthcheck said: {said}\n{exc}") from None


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def smoke_lock():
    """One smoke run at a time on this machine: they share database silon_smoke and Redis database 9."""
    import fcntl

    with open(Path(tempfile.gettempdir()) / "silon-smoke.lock", "w") as lock:
        deadline = time.time() + 600
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                assert time.time() < deadline, "another production smoke run holds the lock for 10 minutes"
                time.sleep(1)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def stack(smoke_lock):
    work = Path(tempfile.mkdtemp(prefix="silon-smoke-"))
    os.chmod(work, 0o755)
    (work / "logs").mkdir()
    os.chmod(work / "logs", 0o755)
    root = work / "root"
    root.mkdir()
    os.chmod(root, 0o755)
    example = read_env_file(ROOT / ".env.example")
    host = example["ALLOWED_HOSTS"].split(",")[0]
    # .env: the example's values, with the secrets a deployment sets
    dotenv = work / ".env"
    secret_key = secrets.token_urlsafe(50)
    certs = work / "certs"
    dotenv.write_text(
        (ROOT / ".env.example").read_text()
        + f"\nSECRET_KEY={secret_key}\nPOSTGRES_PASSWORD={secrets.token_urlsafe(12)}@:/#\nTLS_CERT_DIR={certs}\n"
        + f"DATABASE_APP_PASSWORD={secrets.token_urlsafe(12)}@:/#\nAUDIT_HMAC_KEY={secrets.token_urlsafe(50)}\n"
        + f"AUDIT_SIGNING_KEY={secrets.token_hex(32)}\n"
    )
    services = load_compose(ROOT / "docker-compose.yml", dotenv)
    stack = Stack(root, work, _stand_in_user(), services, {}, "/", host, deadline=time.time() + BUDGET)
    stack.web_ports = {pool: _free_port() for pool in POOLS}
    stack.https_port, stack.http_port, stack.gate_port = _free_port(), _free_port(), _free_port()
    _reset_database_and_broker()
    try:
        builder_path = f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"
        stack.app_user = build_image(stack, builder_path)
        if os.geteuid() != 0:  # no root to own the code: make it read-only, as root's files are to the app user
            for path in stack.path(stack.workdir).rglob("*"):
                if not path.is_symlink():
                    path.chmod(path.stat().st_mode & ~0o222)
        stack.app_bin, stack.app_bin_env = _app_interpreter(stack)
        stack.certificate = _make_certificate(stack, certs)
        bring_up(stack)
        yield stack
    finally:
        stop_all(stack)
        artifacts = ARTIFACTS / "production-smoke"
        shutil.rmtree(artifacts, ignore_errors=True)
        artifacts.mkdir(parents=True, exist_ok=True)
        for name, path in stack.logs.items():
            if path.exists():
                shutil.copy(path, artifacts / f"{name}.log")
        _drop_database_and_broker()
        for path in [work, *work.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(work, ignore_errors=True)


# --- HTTPS through the proxy -----------------------------------------------------------------------


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 for the site's host name (SNI, certificate check, Host header), from CLIENT_ADDRESS."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, (CLIENT_ADDRESS, 0))
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _https(stack: Stack, method: str, path: str, headers=None, body=None) -> tuple[http.client.HTTPResponse, bytes]:
    context = ssl.create_default_context(cafile=str(stack.certificate))
    connection = _PinnedHTTPSConnection(stack.host, stack.https_port, timeout=30, context=context)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_the_image_layout_and_its_permissions(stack):
    app = stack.path(stack.workdir)
    assert (app / "manage.py").is_file() and (app / "silon" / "settings.py").is_file()
    for absent in (".env", ".git", ".venv", "db.sqlite3", "media", "tests", "test-artifacts"):
        assert not (app / absent).exists(), absent
    static_root = stack.path(stack.image_env["STATIC_ROOT"])
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    assert "css/silon.css" in manifest["paths"]  # collected at build time, hashed names for production
    # as the app user: the code and the static files are read-only, the media volume is writable
    probe = (
        "import sys, pathlib\n"
        "def writable(p):\n"
        "    try:\n"
        "        (pathlib.Path(p) / '.probe').write_text('x'); (pathlib.Path(p) / '.probe').unlink(); return True\n"
        "    except OSError:\n"
        "        return False\n"
        "print([writable(p) for p in sys.argv[1:]])\n"
        "open(sys.argv[1] + '/manage.py', 'a')\n"
    )
    out = subprocess.run(
        [str(stack.app_bin / "python"), "-c", probe, str(app), str(static_root), str(stack.path("/data/media"))],
        capture_output=True,
        text=True,
        timeout=30,
        **_as_app_user(stack),
    )
    assert out.stdout.strip() == "[False, False, True]", out.stdout + out.stderr
    assert "PermissionError" in out.stderr  # manage.py cannot be opened for writing either


def test_migrate_ran_once_before_web_and_worker(stack):
    assert "Applying accounts.0001_initial... OK" in stack.log("migrate")
    applied = _query("SELECT count(*) FROM django_migrations")[0][0]
    assert applied > 20
    for name in (*POOLS, "worker", "beat"):
        assert "Applying" not in stack.log(name), name


def test_the_app_runs_as_its_own_database_role_and_migrate_as_the_owner(stack):
    _https(stack, "GET", "/")  # a request, so web holds a connection
    users = {user for (user,) in _query("SELECT usename FROM pg_stat_activity WHERE datname = %s", DATABASE)}
    assert "silon_app" in users
    (row,) = _query(
        "SELECT rolsuper, (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
        " FROM pg_roles r WHERE rolname = 'silon_app'"
    )
    assert row == (False, 0)
    (owner,) = _query("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_auditevent'")
    assert owner == ("postgres",)  # the stand-in for the postgres service's user, as migrate ran


@pytest.mark.parametrize("pool", POOLS)
def test_the_web_healthcheck_as_compose_states_it_passes(stack, pool):
    out = run_healthcheck(stack, pool)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_real_page_through_the_proxy_over_https(stack):
    response, body = _https(stack, "GET", "/")
    html = body.decode()
    assert response.status == 200, html[:2000]
    assert "<h1>Pencalonan kepala daerah</h1>" in html
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=31536000")
    assert response.getheader("Server") == "nginx"  # no version
    stylesheet = re.search(r'href="(/static/css/silon\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "production pages link the hashed static files"
    css, css_body = _https(stack, "GET", stylesheet.group(1))
    assert css.status == 200 and css.getheader("Content-Type", "").startswith("text/css") and css_body


def test_plain_http_is_sent_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    try:
        connection.request("GET", "/publik/?q=x", headers={"Host": stack.host})
        response = connection.getresponse()
        assert response.status == 301
        assert response.getheader("Location") == f"https://{stack.host}/publik/?q=x"
    finally:
        connection.close()


def test_a_login_through_the_proxy_is_checked_and_audited_with_the_clients_address(stack):
    """A form POST over the proxy passes the CSRF checks (host, origin, secure cookie) and the audit log records
    the client's address from the proxy's X-Real-IP, not the proxy's, nor the one the client claims."""
    form, body = _https(stack, "GET", "/akun/masuk/")
    assert form.status == 200
    cookie = re.search(r"csrftoken=([^;]+)", form.getheader("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())
    assert cookie and token
    origin = f"https://{stack.host}:{stack.https_port}"
    username = f"tidak-ada-{secrets.token_hex(4)}"
    response, page = _https(
        stack,
        "POST",
        "/akun/masuk/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie.group(1)}",
            "Origin": origin,
            "Referer": f"{origin}/akun/masuk/",
            "X-Real-IP": SPOOFED_ADDRESS,
        },
        body=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": "Salah-Sekali-2026"}
        ),
    )
    assert response.status == 200, page.decode()[:2000]  # the form again, with its error: not a CSRF 403
    rows = _query(
        "SELECT host(ip_address) FROM audit_auditevent WHERE action = 'account.login_failed' AND object_repr = %s",
        username,
    )
    assert rows == [(CLIENT_ADDRESS,)]


def test_the_worker_and_beat_run_against_the_same_database_and_broker(stack):
    wait_for(stack, "worker ready", lambda: " ready." in stack.log("worker"), 60)
    wait_for(stack, "beat started", lambda: "beat: Starting..." in stack.log("beat"), 60)
    out = subprocess.run(
        ["celery", "-A", "silon", "call", "audit.verify_chain"],
        cwd=stack.path(stack.workdir),
        env=_app_env(stack, "worker", _service_overrides(stack, "worker")),
        capture_output=True,
        text=True,
        timeout=60,
        **_as_app_user(stack),
    )
    assert out.returncode == 0, out.stderr
    task_id = out.stdout.strip().splitlines()[-1]
    wait_for(stack, "the task done by the worker", lambda: f"[{task_id}] succeeded" in stack.log("worker"), 60)
    # the task read the audit chain in the database migrate made and web writes to
    assert re.search(rf"\[{task_id}\] succeeded in [0-9.]+s: \{{.*'ok': True", stack.log("worker")), stack.log("worker")
    schedule = stack.services["beat"].command[stack.services["beat"].command.index("--schedule") + 1]
    assert list(stack.path(str(Path(schedule).parent)).glob(Path(schedule).name + "*")), "beat keeps its schedule"
    for name in (*POOLS, "worker", "beat", "proxy"):
        assert stack.processes[name].poll() is None, f"{name} ended\n{stack.tails()}"


# --- teams first: the two pools, the public cache ------------------------------------------------------


def test_signed_in_requests_and_the_sign_in_pages_reach_the_team_pool_anonymous_ones_the_public(stack):
    anonymous, _ = _https(stack, "GET", "/")
    assert anonymous.status == 200 and anonymous.getheader("X-Silon-Pool") == "public"
    login, _ = _https(stack, "GET", "/akun/masuk/")
    assert login.status == 200 and login.getheader("X-Silon-Pool") == "team"
    # the session cookie alone decides (an unknown session is an anonymous visitor to Django, on the team pool)
    team, body = _https(stack, "GET", "/", headers={"Cookie": f"sessionid={secrets.token_hex(16)}"})
    assert team.status == 200 and "<h1>Pencalonan kepala daerah</h1>" in body.decode()
    assert team.getheader("X-Silon-Pool") == "team" and team.getheader("X-Cache-Status") == "BYPASS"


def test_a_public_page_is_answered_from_the_proxy_cache_while_web_public_is_down(stack):
    first, page = _https(stack, "GET", "/publik/data/")
    assert first.status == 200 and "s-maxage=" in first.getheader("Cache-Control", "")
    again, same = _https(stack, "GET", "/publik/data/")
    assert again.getheader("X-Cache-Status") == "HIT" and same == page
    with _stopped(stack, "web-public"):
        cached, body = _https(stack, "GET", "/publik/data/")
        assert cached.status == 200 and body == page
        assert cached.getheader("X-Cache-Status") in {"HIT", "STALE"}
        # a page the cache does not hold: the busy page at once, never a timeout
        started = time.monotonic()
        shed, busy = _https(stack, "GET", f"/?q={secrets.token_hex(4)}")
        assert shed.status == 503 and shed.getheader("Retry-After") == "10"
        assert "Sedang padat" in busy.decode() and time.monotonic() - started < 10
        # the team pool answers as before
        team, _ = _https(stack, "GET", "/publik/data/", headers={"Cookie": f"sessionid={secrets.token_hex(16)}"})
        assert team.status == 200 and team.getheader("X-Silon-Pool") == "team"


@contextlib.contextmanager
def _stopped(stack: Stack, pool: str):
    """The pool's gunicorn ended (its whole process group), then started again as bring_up did, healthy."""
    process = stack.processes.pop(pool)
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    process.log_file.close()
    assert not _listening(stack.web_ports[pool])
    try:
        yield
    finally:
        service = stack.services[pool]
        env = _app_env(stack, pool, _web_overrides(stack, pool))
        start(stack, pool, _container_argv(stack, service.command), env, stack.path(stack.workdir))
        stack.deadline = max(stack.deadline, time.time() + 120)
        wait_healthy(stack, pool)
