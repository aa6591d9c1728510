"""`newsqa chat`: the Textual terminal chat over the news store (talks to `qa` only)."""
