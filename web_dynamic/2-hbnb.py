"""The HBNB page, version 2: /2-hbnb/ (with or without the slash), as the
curriculum's clone has it; the exercise's Nginx site serves / from it (task 5)."""
from web_dynamic.pages import create_app, run

app = create_app("2-hbnb")

if __name__ == "__main__":
    run(app)
