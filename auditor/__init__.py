"""auditor: checks Vietnamese trade-union outlets against directive 1476/TLĐ."""

__version__ = "0.1.0"
