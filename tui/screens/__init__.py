"""The chat's screens: the conversation, an article at a quote, saved conversations, forms, help."""
