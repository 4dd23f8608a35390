"""The HBNB page, version 2: /2-hbnb/, and / (the exercise's task 5 serves it)."""
from web_dynamic.pages import create_app, run

app = create_app("2-hbnb", root="2-hbnb")

if __name__ == "__main__":
    run(app)
