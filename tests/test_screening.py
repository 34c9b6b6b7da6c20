"""Warninglists: the shipped lists, matching by containment, overlap and suffix, extending."""

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.errors import InputError
from sharing.indicators import CATALOGUE, canonicalize
from sharing.screening import Ranges, Warninglists
from sharing.synth.noise import BAIT
from sharing.warninglists import SHIPPED, list_files, read_list

LISTS = Warninglists.load()


def test_every_shipped_list_is_documented_dated_and_canonical() -> None:
    names = [w.name for w in LISTS.lists]
    assert len(names) == len(set(names)) >= 10
    for warninglist in LISTS.lists:
        assert warninglist.description and warninglist.source and warninglist.updated
        assert warninglist.types <= CATALOGUE.keys()
        for network in warninglist.networks:
            assert str(ipaddress.ip_network(network)) == network
        for domain in warninglist.domains + warninglist.exact_domains:
            assert "." not in domain or canonicalize("domain", domain) == ("domain", domain)


@pytest.mark.parametrize(("type_name", "value"), BAIT)
def test_the_screening_bait_of_synthetic_feeds_is_caught(type_name: str, value: str) -> None:
    assert LISTS.match(*canonicalize(type_name, value)) is not None


@pytest.mark.parametrize(
    ("type_name", "value", "name"),
    [
        ("ipv4", "10.11.12.13", "reserved"),
        ("ipv4", "100.64.0.1", "reserved"),
        ("ipv4", "255.255.255.255", "reserved"),
        ("ipv6", "fd00::1", "reserved"),
        ("ipv6", "fe80::1", "reserved"),
        ("cidr", "172.16.0.0/12", "reserved"),
        ("cidr", "0.0.0.0/0", "reserved"),  # overlaps everything, so it must never go out
        ("cidr", "172.0.0.0/8", "reserved"),  # overlaps 172.16.0.0/12
        ("ipv4", "203.0.113.7", "documentation"),
        ("ipv6", "2001:db8::5", "documentation"),
        ("ipv6", "3fff::1", "documentation"),
        ("asn", "AS64500", "documentation"),
        ("domain", "example.com", "documentation"),
        ("domain", "relay.example.org", "documentation"),
        ("domain", "printer.local", "reserved"),
        ("email_domain", "mail.test", "reserved"),
        ("asn", "AS65000", "reserved"),
        ("asn", "AS4200000001", "reserved"),
        ("ipv4", "8.8.8.8", "public-dns-resolvers"),
        ("ipv4", "1.1.1.1", "public-dns-resolvers"),
        ("ipv6", "2620:fe::fe", "public-dns-resolvers"),
        ("domain", "dns.google", "public-dns-resolvers"),
        ("asn", "AS13335", "large-network-asns"),
        ("ipv4", "104.16.1.1", "cdn-cloudflare"),
        ("ipv6", "2606:4700::6810:1", "cdn-cloudflare"),
        ("ipv4", "151.101.1.69", "cdn-fastly"),
        ("ipv4", "13.224.10.1", "cdn-amazon-cloudfront"),
        ("domain", "cloudfront.net", "cdn-amazon-cloudfront"),
        ("domain", "edgekey.net", "cdn-akamai"),
        ("ipv4", "142.250.1.1", "cdn-google"),
        ("domain", "google.com", "popular-domains"),
        ("domain", "api.openai.com", "popular-domains"),
        ("domain", "console.anthropic.com", "popular-domains"),
        ("email_domain", "gmail.com", "popular-domains"),
        ("url", "https://www.youtube.com/watch?v=1", "popular-domains"),
        ("url", "http://[2001:db8::7]:8080/", "documentation"),
        ("url", "http://203.0.113.7:8080/gate", "documentation"),
        ("url", "http://104.16.1.1/", "cdn-cloudflare"),
    ],
)
def test_a_listed_value_is_matched_by_its_list(type_name: str, value: str, name: str) -> None:
    assert LISTS.match(type_name, value) == name


@pytest.mark.parametrize(
    ("type_name", "value"),
    [
        ("ipv4", "23.45.67.89"),
        ("ipv4", "8.8.8.9"),
        ("cidr", "45.67.0.0/16"),
        ("ipv6", "2a01:4f8::1"),
        ("domain", "kazomi.top"),
        ("domain", "notgoogle.com"),  # a suffix match is on whole labels
        ("domain", "relay-7.workers.dev"),  # a customer's name on a shared platform
        ("domain", "d111111abcdef8.cloudfront.net"),
        ("domain", "campaign.github.io"),
        ("url", "https://relay.kazomi.top/v1/chat"),
        ("asn", "AS30000"),
        ("user_agent", "python-requests/2.31.0"),
        ("tls_fingerprint", "t13d1516h2_8daaf6152771_b186095e22b6"),
    ],
)
def test_a_campaign_value_is_not_screened(type_name: str, value: str) -> None:
    assert LISTS.match(type_name, value) is None


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.toml"
    head = f'name = "{name}"\ndescription = "d"\nsource = "s"\nupdated = 2026-11-23\n'
    path.write_text(head + body)
    return path


def test_a_file_dropped_in_the_extra_folder_extends_the_lists(tmp_path: Path) -> None:
    write(tmp_path, "lab-own", 'networks = ["45.67.0.0/16"]\ndomains = ["Intranet.Lab."]\n')
    lists = Warninglists.load(tmp_path)
    assert lists.match("ipv4", "45.67.8.9") == "lab-own"
    assert lists.match("domain", "wiki.intranet.lab") == "lab-own"
    assert lists.match("url", "https://intranet.lab:8443/") == "lab-own"
    assert lists.match("ipv4", "8.8.8.8") == "public-dns-resolvers"


def test_a_list_of_the_same_name_replaces_the_shipped_one(tmp_path: Path) -> None:
    write(tmp_path, "popular-domains", 'domains = ["kazomi.top"]\n')
    lists = Warninglists.load(tmp_path)
    assert lists.match("domain", "kazomi.top") == "popular-domains"
    assert lists.match("domain", "google.com") is None


def test_types_limit_what_a_list_screens(tmp_path: Path) -> None:
    write(tmp_path, "mail", 'types = ["email_domain"]\ndomains = ["mail.lab"]\n')
    lists = Warninglists.load(tmp_path)
    assert lists.match("email_domain", "mail.lab") == "mail"
    assert lists.match("domain", "mail.lab") is None


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('networks = ["010.0.0.0/8"]', "leading zeros are ambiguous"),
        ('domains = ["bad_name.example"]', "breaks the LDH rule"),
        ('asns = ["AS200-AS100"]', "ends before it starts"),
        ('asns = ["ASX"]', "expected AS followed by a decimal number"),
        ('networks = "10.0.0.0/8"', "'networks' must be an array of strings"),
        ('types = ["ip"]\nnetworks = ["10.0.0.0/8"]', "unknown indicator type 'ip'"),
        ('entries = ["10.0.0.0/8"]', "unknown key 'entries'"),
        ("", "the list has no entries"),
        ("networks = [", "cannot be read"),
    ],
)
def test_a_bad_list_file_names_the_file_and_the_fault(tmp_path: Path, body: str, why: str) -> None:
    path = write(tmp_path, "bad", body + "\n")
    with pytest.raises(InputError) as caught:
        Warninglists.load(tmp_path)
    assert str(path) in str(caught.value) and why in str(caught.value)


def test_a_missing_extra_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        Warninglists.load(tmp_path / "absent")


def test_the_shipped_files_are_the_package_data() -> None:
    assert list_files() == sorted(SHIPPED.glob("*.toml"))
    assert all(read_list(path).name in path.stem for path in list_files())


@settings(max_examples=200, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=8),
    low=st.integers(0, 360),
    width=st.integers(0, 30),
)
def test_ranges_overlap_exactly_as_a_brute_force_check(
    spans: list[tuple[int, int]], low: int, width: int
) -> None:
    closed = [(start, start + size) for start, size in spans]
    high = low + width
    expected = any(start <= high and low <= end for start, end in closed)
    assert Ranges(closed).overlaps(low, high) is expected
