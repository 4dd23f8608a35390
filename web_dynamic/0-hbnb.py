"""The HBNB page, version 0: /0-hbnb/ (template and script 0-hbnb)."""
from web_dynamic.pages import create_app, run

app = create_app("0-hbnb")

if __name__ == "__main__":
    run(app)
