"""Small pages and feeds, written for these tests, for the local site server to serve."""

from __future__ import annotations

from html import escape


def page(title: str, sentences: list[str], *, site: str | None = None, date: str | None = None) -> bytes:
    meta = f'<meta property="og:site_name" content="{escape(site)}">' if site else ""
    if date:
        meta += f'<meta property="article:published_time" content="{date}">'
    paragraphs = "".join(f"<p>{escape(s)}</p>" for s in sentences)
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
        f"<footer>Copyright the Harbour Gazette</footer></body></html>"
    ).encode()


def story(topic: str, n: int = 6) -> list[str]:
    return [
        f"The council of Port Alder voted on {topic} late on Tuesday after a long debate in the town hall.",
        f"Supporters said {topic} would bring work to the harbour district within two years.",
        f"Opponents argued that the costs of {topic} had never been set out in public.",
        f"The mayor, Ines Okafor, said the town would publish every contract tied to {topic}.",
        f"A final decision on the budget for {topic} is expected at the next meeting in March.",
        f"Residents can read the full report on {topic} at the public library from Monday.",
    ][:n]


def rss(title: str, items: list[dict]) -> bytes:
    """``items``: dicts of title, link, date (RFC 822), summary and optionally content."""
    out = []
    for it in items:
        content = f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>" if it.get("content") else ""
        out.append(
            f"<item><title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>"
            f"<guid>{escape(it['link'])}</guid><pubDate>{it['date']}</pubDate>"
            f"<description>{escape(it['summary'])}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>news</description>"
        + "".join(out)
        + "</channel></rss>"
    ).encode()
