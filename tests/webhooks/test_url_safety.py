"""Which addresses a webhook may go to: public ones only, however the address is spelled."""

from __future__ import annotations

import pytest
from django.test import override_settings

from webhooks.urlsafety import UnsafeUrlError, url_check


@pytest.mark.parametrize(
    "url",
    [
        "http://100.100.100.200/latest/meta-data",  # shared address space (cloud metadata)
        "http://[::ffff:10.0.0.1]/x",  # IPv4-mapped private
        "http://[2002:a00:1::1]/x",  # 6to4 around 10.0.0.1
        "http://[64:ff9b::a00:1]/x",  # NAT64 around 10.0.0.1
        "http://[fe80::1]/x",
        "http://0.0.0.0/x",
        "http://224.0.0.1/x",
        "https://user:pass@93.184.216.34/x",
        "gopher://93.184.216.34/x",
    ],
)
@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
def test_it_refuses_addresses_that_are_not_public(url: str) -> None:
    with pytest.raises(UnsafeUrlError):
        url_check(url)


@pytest.mark.parametrize("url", ["https://93.184.216.34/hook", "http://[64:ff9b::808:808]/x"])
@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
def test_it_accepts_public_addresses(url: str) -> None:
    url_check(url)
