"""The output layer every command shares: one JSON envelope (envelope.py), one atomic file write (files.py)
and one decision about the terminal, made by rich's Console (terminal.py).

Renderers live beside what they render: report/ holds one module per format of the check report (human, json,
junit, github, prometheus, markdown, npd); recipes/, download/, explain/ and inject/ each have a render.py for
their command's results. Every JSON document goes through `Envelope`; every file a command names or the tool
keeps for itself goes through `write_atomic`.
"""
