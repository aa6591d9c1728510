"""The chat's widgets: the prompt, questions and answers, the sources panel, the status line."""
