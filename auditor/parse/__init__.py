"""Bytes in, values out: feeds, WordPress JSON, homepages and section listings; pure."""
