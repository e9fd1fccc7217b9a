"""docker-compose.yml's shape: migrations run once, in a one-shot service the pools and the worker wait for; two
pools of the same image (web-team, web-public) scale behind the proxy (no host port, no fixed name); the proxy is
the only way in, routes to both and keeps the public cache on a volume. The smoke test runs it; test_front.py
runs the proxy's routing, cache and shedding."""

import re
import secrets
from pathlib import Path

import pytest

from .layout import ROOT, load_compose, start_order

POOLS = ("web-team", "web-public")


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
    for name in (*POOLS, "worker"):
        assert services[name].depends_on["migrate"] == "service_completed_successfully", name
    for name, service in services.items():
        if name != "migrate":
            assert "migrate" not in service.command, f"{name} runs migrations"
    order = start_order(services)
    assert all(order.index("migrate") < order.index(name) for name in (*POOLS, "worker"))


@pytest.mark.parametrize("pool", POOLS)
def test_each_pool_scales_behind_the_proxy(services, pool):
    web, proxy = services[pool], services["proxy"]
    assert "ports" not in web.spec and "container_name" not in web.spec  # `--scale web-public=N` cannot clash
    assert not any(arg.startswith("--bind") or arg == "-b" for arg in web.command)  # gunicorn binds $PORT
    assert web.environment["PORT"] == "8000"
    variable = {"web-team": "SILON_WEB_TEAM", "web-public": "SILON_WEB_PUBLIC"}[pool]
    assert proxy.environment[variable] == f"{pool}:{web.environment['PORT']}"
    assert sorted(proxy.spec["ports"]) == ["443:443", "80:80"]
    published = [name for name, service in services.items() if service.spec.get("ports")]
    assert published == ["proxy"]  # the only way in
    assert web.healthcheck_argv() == ["python", "-m", "silon.healthcheck"]
    assert web.environment["TRUSTED_PROXIES"]


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_two_pools_of_one_image_with_threads_and_the_public_gate_below_their_capacity(services):
    team, public, proxy = services["web-team"], services["web-public"], services["proxy"]
    assert team.spec["image"] == public.spec["image"] and team.environment == public.environment
    assert team.command[:2] == public.command[:2] == ["gunicorn", "silon.wsgi:application"]
    for web in (team, public):
        assert _option(web.command, "--worker-class") == "gthread"
    # the gate lets the public pool's threads work and a queue of at most as many again wait: never a timeout
    threads = int(_option(public.command, "--workers")) * int(_option(public.command, "--threads"))
    assert threads <= int(proxy.environment["NGINX_PUBLIC_CONNECTIONS"]) <= 3 * threads
    # anonymous sign-in pages can take only part of the team pool
    team_threads = int(_option(team.command, "--workers")) * int(_option(team.command, "--threads"))
    assert 0 < int(proxy.environment["NGINX_ANONYMOUS_TEAM_CONNECTIONS"]) < team_threads
    # teams first: the proxy waits for the team pool only; the public side sheds or answers from the cache
    assert proxy.depends_on == {"web-team": "service_healthy", "web-public": "service_started"}


def test_the_proxy_keeps_the_public_cache_on_a_volume_and_its_busy_page_beside_its_templates(services):
    proxy = services["proxy"]
    targets = {volume.split(":")[1]: volume.split(":")[0] for volume in proxy.spec["volumes"]}
    assert targets["/var/cache/nginx"] == "proxycache"  # a named volume: it outlives the containers
    assert (Path(targets["/etc/nginx/snippets"]) / "busy.conf").is_file()
    template = (Path(targets["/etc/nginx/templates"]) / "default.conf.template").read_text()
    assert "proxy_cache_path /var/cache/nginx/silon " in template
    assert "include /etc/nginx/snippets/busy.conf;" in template


def test_the_proxy_has_room_for_a_deadlines_connections(services):
    """Each client holds a connection, and a public miss three more: the image's 1024 per worker would run out
    under a flood and refuse the teams' connections too."""
    proxy = services["proxy"]
    targets = {volume.split(":")[1]: volume.split(":")[0] for volume in proxy.spec["volumes"]}
    main = Path(targets["/etc/nginx/nginx.conf"]).read_text()
    connections = int(re.search(r"worker_connections (\d+);", main).group(1))
    files = int(re.search(r"worker_rlimit_nofile (\d+);", main).group(1))
    assert connections >= 8192 and files >= 2 * connections  # a proxied request: two descriptors
    assert proxy.spec["ulimits"]["nofile"] >= files
    assert "include /etc/nginx/conf.d/*.conf;" in main


def test_the_app_services_share_one_configuration(services):
    app = ["migrate", *POOLS, "worker", "beat"]
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
    for name in (*POOLS, "worker", "beat"):
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
