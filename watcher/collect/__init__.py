"""Collect: sources.yml → Scrapy crawl (feeds, pages, sitemaps) → stored items."""
