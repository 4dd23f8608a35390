"""The HBNB page, version 4: /4-hbnb/ (template and script 4-hbnb)."""
from web_dynamic.pages import create_app, run

app = create_app("4-hbnb")

if __name__ == "__main__":
    run(app)
