"""The HBNB page, version 101: /101-hbnb/ (template and script 101-hbnb)."""
from web_dynamic.pages import create_app, run

app = create_app("101-hbnb")

if __name__ == "__main__":
    run(app)
