"""url: http(s) only, one spelling per URL."""

from tests.indicators.cases import Cases, table_tests

CASES = [
    Cases(
        "url",
        accepted=[
            ("https://relay.example.net/v1/chat", "https://relay.example.net/v1/chat"),
            ("HTTPS://Relay.Example.NET", "https://relay.example.net/"),
            ("http://relay.example.net:80/x", "http://relay.example.net/x"),
            ("https://relay.example.net:443/x", "https://relay.example.net/x"),
            ("https://relay.example.net:80/x", "https://relay.example.net:80/x"),
            ("http://relay.example.net:8080", "http://relay.example.net:8080/"),
            ("http://relay.example.net:08080/", "http://relay.example.net:8080/"),
            ("http://relay.example.net:/", "http://relay.example.net/"),
            ("https://relay.example.net/a?b=c#section", "https://relay.example.net/a?b=c"),
            ("https://relay.example.net/a?", "https://relay.example.net/a"),
            ("https://relay.example.net#top", "https://relay.example.net/"),
            ("https://relay.example.net./", "https://relay.example.net/"),
            ("http://203.0.113.7/gate", "http://203.0.113.7/gate"),
            ("http://[2001:DB8::7]:8080/", "http://[2001:db8::7]:8080/"),
            ("https://bücher.de/straße", "https://xn--bcher-kva.de/stra%C3%9Fe"),
            ("https://a.example/%7euser/%2f%2a", "https://a.example/~user/%2F%2A"),
            ("https://a.example/a b", "https://a.example/a%20b"),
            ("https://a.example/100%", "https://a.example/100%25"),
            ("https://a.example/?q=a+b&r=%e2%82%ac", "https://a.example/?q=a+b&r=%E2%82%AC"),
            ("https://medium.example/@relay", "https://medium.example/@relay"),
            ("https://xn--pypal-4ve.com/login", "https://xn--pypal-4ve.com/login"),
        ],
        refused=[
            ("ftp://relay.example.net/", "expected an http:// or https:// URL"),
            ("relay.example.net/path", "expected an http:// or https:// URL"),
            ("javascript:alert(1)", "expected an http:// or https:// URL"),
            ("http:relay.example.net", "a host is required"),
            ("http:///path", "a host is required"),
            ("http://:80/", "a host is required"),
            ("http://user:pw@relay.example.net/", "credentials"),
            ("http://alice@relay.example.net/", "credentials"),
            ("http://relay.example.net:0/", "port '0' is not a number from 1 to 65535"),
            ("http://relay.example.net:65536/", "is not a number from 1 to 65535"),
            ("http://relay.example.net:http/", "is not a number from 1 to 65535"),
            ("http://010.0.0.1/", "leading zeros are ambiguous"),
            ("http://localhost/", "at least two labels are required"),
            ("http://relay_1.example.net/", "breaks the LDH rule"),
            ("http://[fe80::1%25eth0]/", "a zone index"),
            ("http://[2001:db8::7/", "an IPv6 host must be written [address]"),
            ("http://2001:db8::7/", "an IPv6 host must be written [address]"),
            ("http://relay.example.net/a\tb", "control characters"),
            ("http://relay.example.net/\ud800", "not valid Unicode"),
            ("https://a.example/?u=alice%40example.com", "submit an email_hash"),
            ("https://p\u0430ypal.com/login", "mixes the cyrillic and latin scripts"),
            ("https://a.example/" + "x" * 8200, "longer than 8192 characters"),
            ("https://a.example/" + "é" * 2000, "once percent-encoded"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
