"""The HBNB page, version 3: /3-hbnb/ (template and script 3-hbnb)."""
from web_dynamic.pages import create_app, run

app = create_app("3-hbnb")

if __name__ == "__main__":
    run(app)
