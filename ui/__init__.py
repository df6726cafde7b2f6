"""The web UI: a thin Gradio layer over `rag` (importing it loads no model and no Gradio)."""
