"""Where one Discord client connects: Discord itself, or a stand-in named by DISCORD_API_URL.

discord.py keeps its REST base and its default gateway URL as class attributes, shared by every
client in the process; changing them would move every client at once. What it does take per
client is an aiohttp connector (the documented `connector` option of `discord.Client`), and an
aiohttp connector takes its own resolver. So a client pointed at a stand-in (a local fake in the
tests and benchmarks, or a forwarding proxy) still requests `https://discord.com/api/v10/...` and
`wss://gateway.discord.gg/`, and its connector alone resolves Discord's host names to the stand-in's
address. TLS is verified as for Discord (the certificate must name discord.com and
gateway.discord.gg), against the system's trust store and `SSL_CERT_FILE`, or the context given.
Every other client in the process, and every other host name, is left alone.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

DISCORD_HOSTS = frozenset({"discord.com", "gateway.discord.gg"})
GATEWAY_DOMAIN = ".discord.gg"  # a resumed session may be told to go to gateway-us-east1-b.discord.gg


def is_discord_host(host: str) -> bool:
    host = host.rstrip(".").lower()
    return host in DISCORD_HOSTS or host.endswith(GATEWAY_DOMAIN)


@dataclass(frozen=True)
class StandIn:
    """The address that answers for Discord's hosts."""

    host: str
    port: int


def stand_in(api_url: str | None) -> StandIn | None:
    """The stand-in named by DISCORD_API_URL (`https://host:port`, any path ignored); None: Discord."""
    if not api_url or not api_url.strip():
        return None
    url = urlsplit(api_url.strip())
    if url.scheme != "https" or not url.hostname:
        raise ValueError("DISCORD_API_URL must be an https:// address (it answers for discord.com with TLS)")
    return StandIn(url.hostname, url.port or 443)


class StandInResolver(AbstractResolver):
    """Resolves Discord's host names to the stand-in's address; any other name as usual."""

    def __init__(self, target: StandIn) -> None:
        self.target = target
        self._usual = aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        if not is_discord_host(host):
            return await self._usual.resolve(host, port, family)
        found = await self._usual.resolve(self.target.host, self.target.port, family)
        return [ResolveResult(hostname=host, host=r["host"], port=self.target.port, family=r["family"],
                              proto=r["proto"], flags=r["flags"]) for r in found]

    async def close(self) -> None:
        await self._usual.close()


def connector(api_url: str | None, tls: ssl.SSLContext | None = None) -> aiohttp.TCPConnector | None:
    """The connector for a client that talks to the stand-in at `api_url`; None for Discord itself
    (discord.py's own connector). Call it inside the event loop the client will run on."""
    target = stand_in(api_url)
    if target is None:
        return None
    return aiohttp.TCPConnector(resolver=StandInResolver(target), ssl=tls or ssl.create_default_context())
