"""user_agent: trimmed, whitespace collapsed, no control characters or personal data."""

from tests.indicators.cases import Cases, table_tests

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.109 Safari/537.36"
)

CASES = [
    Cases(
        "user_agent",
        accepted=[
            (CHROME, CHROME),
            ("  python-requests/2.31.0  ", "python-requests/2.31.0"),
            ("curl/8.4.0   (relay\u00a0pool)", "curl/8.4.0 (relay pool)"),
            (
                "Bot/1.0 (+https://relay.example.net/bot)",
                "Bot/1.0 (+https://relay.example.net/bot)",
            ),
            ("клиент/1.0", "клиент/1.0"),
            ("Agent/1.0+1.2.3.4", "Agent/1.0+1.2.3.4"),
            ("x" * 1024, "x" * 1024),
            ("a" + " " * 5000 + "b", "a b"),
        ],
        refused=[
            ("", "empty"),
            ("   ", "empty"),
            ("x" * 1025, "longer than 1024 characters"),
            ("curl/8.4.0\r\nX-Injected: 1", "control character '\\r' is not allowed"),
            ("curl/8.4.0\tx", "control character '\\t' is not allowed"),
            ("curl\x00", "control character"),
            ("curl\x85", "control character"),
            ("curl\ud800", "control character"),
            ("Bot/1.0 (ops: alice@example.com)", "submit an email_hash"),
            ("Bot/1.0 (call +1 415 555 0134)", "submit a phone_hash"),
            ("Bot/1.0 (+1 (415) 555-0134)", "submit a phone_hash"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
