"""A TCP forwarder between a test's network namespaces and this machine's own services, which listen on
127.0.0.1 only: ``python forward.py 10.213.4.1:5432=127.0.0.1:5432 10.213.4.1:6379=127.0.0.1:6379``. It prints
``ready`` once every listener is up. A worker "host" in a namespace reaches PostgreSQL and Redis through it, as
a real host reaches them over the network; killing the host leaves its connections to close as a lost host's do."""

import asyncio
import sys


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(256 * 1024):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def _handler(target: tuple[str, int]):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(*target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, target_writer), _pipe(target_reader, writer))

    return handle


def _address(text: str) -> tuple[str, int]:
    host, port = text.rsplit(":", 1)
    return host, int(port)


async def main(specs: list[str]) -> None:
    servers = []
    for spec in specs:
        listen, target = spec.split("=")
        servers.append(await asyncio.start_server(_handler(_address(target)), *_address(listen)))
    print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
