"""Reading articles: bytes to text (encodings, HTML, Markdown) and safe ids."""
