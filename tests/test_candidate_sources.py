"""The candidate sources classification draws on, besides the contract archive."""

from tuscan.classify import load_sources


def test_registered_sources():
    assert sorted(load_sources()) == ["kitos", "web"]
