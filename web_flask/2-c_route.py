"""Step 2: adds /c/<text> -> "C <text>" (underscores become spaces)."""
from web_flask.factory import create_app, run
from web_flask.text_routes import c, through

app = create_app(*through(c))

if __name__ == "__main__":
    run(app)
