"""heard_nlp: Heard's offline text analysis. Plain Python, no Django.

    from heard_nlp import analyze, score_reply, redact, themes
"""
