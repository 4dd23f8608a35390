"""The HBNB page, version 100: /100-hbnb/ (template and script 100-hbnb)."""
from web_dynamic.pages import create_app, run

app = create_app("100-hbnb")

if __name__ == "__main__":
    run(app)
