"""The HBNB page, version 1: /1-hbnb/ (template and script 1-hbnb)."""
from web_dynamic.pages import create_app, run

app = create_app("1-hbnb")

if __name__ == "__main__":
    run(app)
