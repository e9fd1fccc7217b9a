"""The production layout read from its own files, without a container engine: the build context as
``docker build`` sends it (.dockerignore), the Dockerfile's instructions, docker-compose.yml with its
interpolation, and env files."""

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


# --- .dockerignore: the rules of Docker's pattern matcher (moby/patternmatcher) ----------------------------


@dataclass
class IgnorePattern:
    text: str
    exclusion: bool
    regex: re.Pattern


def _pattern_regex(pattern: str) -> re.Pattern:
    """Go's filepath.Match syntax plus ``**`` (any number of directories, none included), anchored."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i + 1 : i + 2] == "*":
                i += 1
                if pattern[i + 1 : i + 2] == "/":
                    i += 1
                out.append(".*" if i + 1 >= len(pattern) else "(.*/)?")
            else:
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end]
            if body.startswith("^") or body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body}]")
            i = end
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("^" + "".join(out) + "$")


def read_dockerignore(path: Path) -> list[IgnorePattern]:
    patterns = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        line = os.path.normpath(line).replace(os.sep, "/")
        if len(line) > 1 and line.startswith("/"):
            line = line[1:]
        patterns.append(IgnorePattern(line, exclusion, _pattern_regex(line)))
    return patterns


def is_ignored(relative: str, patterns: list[IgnorePattern]) -> bool:
    """Docker's MatchesOrParentMatches: a pattern matching the path or any of its parent directories applies;
    the last pattern that applies decides (``!`` patterns take a path back in)."""
    parts = relative.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for pattern in patterns:
        if any(pattern.regex.match(candidate) for candidate in candidates):
            ignored = not pattern.exclusion
    return ignored


def build_context(root: Path) -> list[str]:
    """The files (and symbolic links) ``COPY . .`` takes from ``root``: relative POSIX paths, sorted."""
    patterns = read_dockerignore(root / ".dockerignore") if (root / ".dockerignore").exists() else []
    prune = not any(p.exclusion for p in patterns)  # with no `!` pattern an ignored directory is ignored whole
    found = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(directory).relative_to(root).as_posix()
        base = "" if base == "." else base + "/"
        keep = []
        for name in dirnames:
            relative = base + name
            if (Path(directory) / name).is_symlink():
                if not is_ignored(relative, patterns):
                    found.append(relative)
            elif not (prune and is_ignored(relative, patterns)):
                keep.append(name)
        dirnames[:] = keep
        found.extend(base + name for name in filenames if not is_ignored(base + name, patterns))
    return sorted(found)


# --- Dockerfile ----------------------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str
    arguments: str


def read_dockerfile(path: Path) -> list[Instruction]:
    """Instructions in order, continuation lines joined, comments left out."""
    instructions = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_env(arguments: str) -> dict[str, str]:
    """``ENV A=1 B="x y"`` (the key=value form)."""
    pairs = {}
    for item in shlex.split(arguments):
        name, sep, value = item.partition("=")
        assert sep, f"ENV {arguments!r}: only the NAME=value form is read here"
        pairs[name] = value
    return pairs


# --- env files and docker-compose.yml --------------------------------------------------------------------

ENV_FILE_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")


def read_env_file(path: Path) -> dict[str, str]:
    """The set variables of an env file (compose's ``env_file``): ``NAME=value`` lines; ``#`` lines are comments."""
    values = {}
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        match = ENV_FILE_LINE.match(line)
        if match:
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[match.group(1)] = value
    return values


INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def interpolate(text: str, variables: dict[str, str]) -> str:
    """Compose's interpolation: ``$$``, ``${NAME}``, ``$NAME``, ``${NAME:-default}``, ``${NAME-default}``,
    ``${NAME:?error}``, ``${NAME?error}``."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3) or ""
        value = variables.get(name)
        unset_or_empty = value is None or (operator is not None and operator.startswith(":") and value == "")
        if operator in ("-", ":-"):
            return argument if unset_or_empty else value
        if operator in ("?", ":?"):
            if unset_or_empty:
                raise ValueError(f"compose: {name}: {argument}")
            return value
        return value or ""

    return INTERPOLATION.sub(replace, text)


def _interpolate_tree(node, variables):
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, list):
        return [_interpolate_tree(item, variables) for item in node]
    if isinstance(node, dict):
        return {key: _interpolate_tree(value, variables) for key, value in node.items()}
    return node


@dataclass
class Service:
    name: str
    spec: dict
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def command(self) -> list[str]:
        command = self.spec.get("command")
        if command is None:
            return []
        return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]

    @property
    def depends_on(self) -> dict[str, str]:
        depends = self.spec.get("depends_on") or {}
        if isinstance(depends, list):
            return dict.fromkeys(depends, "service_started")
        return {name: (condition or {}).get("condition", "service_started") for name, condition in depends.items()}

    def healthcheck_argv(self) -> list[str]:
        """The healthcheck's test as the engine runs it (CMD: the argument list; CMD-SHELL: through sh -c)."""
        test = self.spec["healthcheck"]["test"]
        if isinstance(test, str):
            return ["/bin/sh", "-c", test]
        kind, *rest = test
        if kind == "CMD":
            return rest
        if kind == "CMD-SHELL":
            return ["/bin/sh", "-c", " ".join(rest)]
        raise ValueError(f"healthcheck test {test!r}")


def load_compose(compose_file: Path, dotenv: Path) -> dict[str, Service]:
    """docker-compose.yml as compose reads it: YAML merge keys, interpolation from the project's environment
    file (``dotenv`` stands in for the ``.env`` beside the compose file), each service's environment
    (``env_file`` then ``environment``). Relative volume sources are made absolute (the project directory)."""
    variables = read_env_file(dotenv)
    data = yaml.safe_load(compose_file.read_text())
    data = _interpolate_tree(data, variables)
    project = compose_file.parent
    services = {}
    for name, spec in data["services"].items():
        environment: dict[str, str] = {}
        env_files = spec.get("env_file") or []
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            environment.update(read_env_file(dotenv if env_file in (".env", "./.env") else project / env_file))
        declared = spec.get("environment") or {}
        if isinstance(declared, list):
            declared = dict(item.split("=", 1) for item in declared)
        environment.update({key: "" if value is None else str(value) for key, value in declared.items()})
        volumes = []
        for volume in spec.get("volumes") or []:
            source, _, rest = volume.partition(":")
            if source.startswith((".", "/")):
                source = str((project / source).resolve())
            volumes.append(f"{source}:{rest}")
        spec = {**spec, "volumes": volumes}
        services[name] = Service(name, spec, environment)
    return services


def start_order(services: dict[str, Service]) -> list[str]:
    """Services in an order that respects every ``depends_on``."""
    order: list[str] = []

    def visit(name: str, path: tuple) -> None:
        assert name not in path, f"depends_on cycle: {(*path, name)}"
        if name in order:
            return
        for dependency in services[name].depends_on:
            visit(dependency, (*path, name))
        order.append(name)

    for name in services:
        visit(name, ())
    return order


# --- the proxy's nginx, as the nginx image starts it -----------------------------------------------------

TEMPLATE_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def render_nginx(proxy: Service, env: dict[str, str], base: Path, worker_connections: int | None = None) -> Path:
    """The nginx image's start, under ``base``: each template of /etc/nginx/templates rendered into
    ``base/conf.d`` with ``env`` (envsubst of the variables set, nginx's own ``$variables`` left), the
    service's mounted paths pointing to their sources (a named volume: a directory ``base/volumes/<name>``), and
    a main nginx.conf standing in for the mounted one (one worker with its ``worker_connections``, unless
    given; ``include <conf.d>/*.conf`` inside ``http``, logs, pid and temporary files under ``base``). Returns
    the main file."""
    mounts = {}
    for volume in proxy.spec["volumes"]:
        source, target, *_mode = volume.split(":")
        if not source.startswith("/"):
            source = str(base / "volumes" / source)
            Path(source).mkdir(parents=True, exist_ok=True)
        mounts[target] = source
    templates = Path(mounts.pop("/etc/nginx/templates"))
    shipped = Path(mounts.pop("/etc/nginx/nginx.conf")).read_text()
    if worker_connections is None:
        worker_connections = int(re.search(r"^\s*worker_connections\s+(\d+);", shipped, re.MULTILINE).group(1))
    conf_d = base / "conf.d"
    conf_d.mkdir(parents=True)
    for template in templates.glob("*.template"):
        text = TEMPLATE_VARIABLE.sub(lambda m: env.get(m.group(1) or m.group(2), m.group(0)), template.read_text())
        for target, source in mounts.items():
            text = text.replace(target + "/", source + "/")
        code = "\n".join(line.split("#")[0] for line in text.splitlines())
        unset = re.findall(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}", code)
        assert not unset, f"{template.name}: not set in the proxy's environment: {unset}"
        (conf_d / template.name.removesuffix(".template")).write_text(text)
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (base / temp).mkdir()
    main = base / "nginx.conf"
    main.write_text(
        f"""daemon off;
worker_processes 1;
worker_rlimit_nofile {max(1024, 4 * worker_connections)};
pid {base}/nginx.pid;
error_log {base}/error.log info;
events {{ worker_connections {worker_connections}; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {base}/access.log;
    client_body_temp_path {base}/client_body;
    proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi;
    uwsgi_temp_path {base}/uwsgi;
    scgi_temp_path {base}/scgi;
    include {conf_d}/*.conf;
}}
"""
    )
    return main
