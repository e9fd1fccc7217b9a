"""docker-compose.yml's shape: migrations run once, in a one-shot service web and worker wait for; web scales
behind the proxy (no host port, no fixed name); the proxy is the only way in. The smoke test runs it."""

import secrets

import pytest

from .layout import ROOT, load_compose, start_order


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    dotenv = tmp_path_factory.mktemp("compose") / ".env"
    example = (ROOT / ".env.example").read_text()
    dotenv.write_text(example + f"\nSECRET_KEY={secrets.token_urlsafe(50)}\n")
    return load_compose(ROOT / "docker-compose.yml", dotenv)


def test_migrations_run_once_before_web_and_worker(services):
    migrate = services["migrate"]
    assert migrate.command == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate.spec["restart"] == "no"  # a one-shot: it ends, and is not started again
    for name in ("web", "worker"):
        assert services[name].depends_on["migrate"] == "service_completed_successfully", name
    for name, service in services.items():
        if name != "migrate":
            assert "migrate" not in service.command, f"{name} runs migrations"
    order = start_order(services)
    assert order.index("migrate") < order.index("web") and order.index("migrate") < order.index("worker")


def test_web_scales_behind_the_proxy(services):
    web, proxy = services["web"], services["proxy"]
    assert "ports" not in web.spec and "container_name" not in web.spec  # `--scale web=N` cannot clash
    assert not any(arg.startswith("--bind") or arg == "-b" for arg in web.command)  # gunicorn binds $PORT
    assert web.environment["PORT"] == "8000"
    assert proxy.environment["SILON_WEB"] == f"web:{web.environment['PORT']}"
    assert proxy.depends_on == {"web": "service_healthy"}
    assert sorted(proxy.spec["ports"]) == ["443:443", "80:80"]
    published = [name for name, service in services.items() if service.spec.get("ports")]
    assert published == ["proxy"]  # the only way in
    assert web.healthcheck_argv() == ["python", "-m", "silon.healthcheck"]
    assert web.environment["TRUSTED_PROXIES"]


def test_the_app_services_share_one_configuration(services):
    app = ["migrate", "web", "worker", "beat"]
    for name in app:
        env = services[name].environment
        assert env["DEBUG"] == "false", name
        assert env["REDIS_URL"] == "redis://redis:6379/0" and env["MEDIA_ROOT"] == "/data/media", name
        assert services[name].spec["image"] == "silon:latest", name
    assert "/app" not in " ".join(services["beat"].command)  # the code is read-only for the app user


def test_migrations_run_as_the_owner_and_the_app_as_its_own_role(services):
    migrate = services["migrate"].environment
    owner = services["postgres"].environment["POSTGRES_USER"]
    assert migrate["DATABASE_URL"] == f"postgres://{owner}@postgres:5432/silon"
    assert migrate["DATABASE_PASSWORD"] == migrate["POSTGRES_PASSWORD"] != ""  # .env's, apart from the URL
    app_role = migrate["DATABASE_APP_ROLE"]
    assert app_role and app_role != owner and migrate["DATABASE_APP_PASSWORD"]  # migrate grants it
    for name in ("web", "worker", "beat"):
        env = services[name].environment
        assert env["DATABASE_URL"] == f"postgres://{app_role}@postgres:5432/silon", name
        assert env["DATABASE_PASSWORD"] == env["DATABASE_APP_PASSWORD"] != migrate["POSTGRES_PASSWORD"], name
        assert env["POSTGRES_PASSWORD"] == "", f"{name} can read the owner's password"
        assert services[name].depends_on["migrate"] == "service_completed_successfully", name  # the role exists


@pytest.mark.parametrize("missing", ["POSTGRES_PASSWORD", "DATABASE_APP_PASSWORD"])
def test_a_missing_database_password_stops_compose(tmp_path, missing):
    dotenv = tmp_path / ".env"
    other = {"POSTGRES_PASSWORD", "DATABASE_APP_PASSWORD"} - {missing}
    dotenv.write_text("DEBUG=false\n" + "".join(f"{name}=x\n" for name in other))
    with pytest.raises(ValueError, match=missing):
        load_compose(ROOT / "docker-compose.yml", dotenv)
