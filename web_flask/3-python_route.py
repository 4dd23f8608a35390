"""Step 3: adds /python/ and /python/<text> -> "Python <text>", default "is cool"."""
from web_flask.factory import create_app, run
from web_flask.text_routes import python, through

app = create_app(*through(python))

if __name__ == "__main__":
    run(app)
