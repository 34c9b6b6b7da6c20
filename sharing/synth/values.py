"""Deterministic generators for the raw values of a synthetic campaign.

Addresses look public but come from a seeded generator; only the screening bait in the
noise uses documentation, private or well-known ranges.
"""

import hashlib
import hmac
import ipaddress
from random import Random

# First octets of routed, non-reserved IPv4 space (no 0, 10, 100.64/10, 127, 172.16/12, 192.168).
_OCTETS = (23, 31, 37, 45, 46, 62, 77, 78, 79, 80, 81, 82, 85, 86, 87, 88, 89, 91, 92, 93, 94)
_OCTETS += (95, 103, 104, 109, 128, 138, 141, 146, 151, 154, 156, 158, 159, 162, 163, 167)
_OCTETS += (170, 176, 178, 179, 185, 188, 193, 194, 195, 212, 213, 217)
_SYLLABLES = ("ka", "zo", "mi", "ru", "vex", "tor", "lin", "qua", "dra", "nel", "sor", "bex")
_SYLLABLES += ("pim", "tal", "ori", "zen", "mox", "fen", "luv", "gri", "sko", "dav", "nim")
_TLDS = ("top", "xyz", "icu", "site", "online", "click", "shop", "live")
_PROXY_WORDS = ("hydra", "vortex", "nimbus", "quill", "ember", "lattice", "orbit", "cinder")
_PROXY_KINDS = ("mesh", "relay", "gate", "hop", "tunnel", "route")
_CLIENTS = ("python-requests/2.31.0", "python-httpx/0.27.0", "aiohttp/3.9.5", "okhttp/4.12.0")
_CLIENTS += ("Go-http-client/2.0", "node-fetch/1.0", "axios/1.7.2", "curl/8.5.0")
_BROWSER = (
    "Mozilla/5.0 ({os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
)
_OSES = ("Windows NT 10.0; Win64; x64", "X11; Linux x86_64", "Macintosh; Intel Mac OS X 10_15_7")


def federation_key(seed: int) -> bytes:
    """Stands in for the federation's HMAC secret; derived from the seed so feeds repeat."""
    return hashlib.sha256(f"dtix-synth/{seed}/federation-key".encode()).digest()


def keyed_hex(key: bytes, message: str) -> str:
    """HMAC-SHA256 of `message`, as `dtix submit` hashes personal data on the lab's side."""
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def digest_hex(message: str) -> str:
    return hashlib.sha256(message.encode()).hexdigest()


def ipv4_pool(rng: Random, size: int) -> tuple[str, list[str]]:
    """A /24 proxy pool and `size` distinct host addresses inside it."""
    a, b, c = rng.choice(_OCTETS), rng.randrange(256), rng.randrange(256)
    hosts = rng.sample(range(2, 255), min(size, 253))
    return f"{a}.{b}.{c}.0/24", [f"{a}.{b}.{c}.{h}" for h in hosts]


def ipv6_pool(rng: Random, size: int) -> tuple[str, list[str]]:
    """A /48 in 2a00::/12 and `size` hosts; short interface ids so compression matters."""
    base = (0x2A00 + rng.randrange(16)) << 112 | rng.getrandbits(32) << 80
    hosts = set()
    while len(hosts) < size:
        iid = rng.randrange(1, 4096) if rng.random() < 0.6 else rng.getrandbits(64)
        hosts.add(base | rng.randrange(1, 1 << 16) << 64 | iid)
    net = ipaddress.IPv6Network((base, 48)).compressed
    return net, [ipaddress.IPv6Address(h).compressed for h in sorted(hosts)]


def asn(rng: Random) -> str:
    """A public-looking ASN, outside the private, documentation and AS_TRANS numbers."""
    low, high = rng.choice(((20_000, 60_000), (196_608, 213_000)))
    return f"AS{rng.randint(low, high)}"


def ja4(rng: Random) -> str:
    """A JA4 TLS client fingerprint, e.g. t13d1516h2_8daaf6152771_b186095e22b6."""
    proto = rng.choice("tq")
    version = "13" if proto == "q" else rng.choice(("13", "12"))
    head = f"{proto}{version}d{rng.randint(8, 20):02d}{rng.randint(8, 18):02d}"
    alpn = rng.choice(("h2", "h1", "00"))
    return f"{head}{alpn}_{rng.getrandbits(48):012x}_{rng.getrandbits(48):012x}"


def user_agent(rng: Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(_CLIENTS)
    return _BROWSER.format(os=rng.choice(_OSES), v=rng.randint(110, 131))


def proxy_service(rng: Random) -> str:
    return f"{rng.choice(_PROXY_WORDS)}{rng.choice(_PROXY_KINDS)}-residential"


def domain(rng: Random, prefix: str = "") -> str:
    """A made-up registrable domain: sign-up mail providers or C2-like endpoints."""
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
    return f"{prefix}{name}.{rng.choice(_TLDS)}"


def respell(type_: str, value: str, rng: Random) -> str:
    """Another raw spelling of the same canonical value, as some labs' exporters write it."""
    if type_ == "asn":
        return value.lower()
    if type_ == "ipv6":
        return ipaddress.IPv6Address(value).exploded
    if type_ == "cidr" and ":" in value:
        return ipaddress.IPv6Network(value).exploded
    if type_ == "domain":
        return value + "." if rng.random() < 0.5 else value.upper()
    if type_.endswith(("_hash", "_fingerprint")) and type_ != "tls_fingerprint":
        return value.upper()
    return value
