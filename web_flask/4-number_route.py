"""Step 4: adds /number/<int:n> -> "<n> is a number"."""
from web_flask.factory import create_app, run
from web_flask.text_routes import number, through

app = create_app(*through(number))

if __name__ == "__main__":
    run(app)
