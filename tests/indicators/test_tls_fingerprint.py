"""tls_fingerprint: JA4 a_b_c, hex sections lower-cased."""

from tests.indicators.cases import Cases, table_tests

JA4 = "t13d1516h2_8daaf6152771_b186095e22b6"

CASES = [
    Cases(
        "tls_fingerprint",
        accepted=[
            (JA4, JA4),
            (" t13d1516h2_8DAAF6152771_B186095E22B6 ", JA4),
            ("q13d0312h3_55b375c5d22e_06cda9e17597", "q13d0312h3_55b375c5d22e_06cda9e17597"),
            ("d12i050000_000000000000_000000000000", "d12i050000_000000000000_000000000000"),
            ("t12i9999zz_8daaf6152771_b186095e22b6", "t12i9999zz_8daaf6152771_b186095e22b6"),
            ("ts3d1516H1_8daaf6152771_b186095e22b6", "ts3d1516H1_8daaf6152771_b186095e22b6"),
        ],
        refused=[
            ("t13d1516h2_8daaf6152771", "expected three sections a_b_c"),
            ("t13d1516h2_8daaf6152771_b186095e22b6_00", "expected three sections a_b_c"),
            ("t13d1516h2_1301,1302,1303_0005,000a_0403", "ja4_r is not accepted"),
            ("t13d1516h2_1301,1302,1303_0005,000a", "sections b and c must be 12 hex"),
            ("T13D1516h2_8daaf6152771_b186095e22b6", "section a must be like t13d1516h2"),
            ("x13d1516h2_8daaf6152771_b186095e22b6", "section a must be like t13d1516h2"),
            ("t13x1516h2_8daaf6152771_b186095e22b6", "section a must be like t13d1516h2"),
            ("t13d1a16h2_8daaf6152771_b186095e22b6", "section a must be like t13d1516h2"),
            ("t13d1516h_8daaf6152771_b186095e22b6", "section a must be like t13d1516h2"),
            ("t13d1516h2/_8daaf6152771_b186095e22b6", "section a must be like t13d1516h2"),
            ("t13d1516h2_8daaf615277_b186095e22b6", "sections b and c must be 12 hex"),
            ("t13d1516h2_8daaf615277g_b186095e22b6", "sections b and c must be 12 hex"),
            ("", "expected three sections a_b_c"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
