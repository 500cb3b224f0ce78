"""One outlet's crawl: fetch, parse, let the rules decide, hand the store decided rows."""
