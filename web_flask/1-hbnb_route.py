"""Step 1: adds /hbnb -> "HBNB"."""
from web_flask.factory import create_app, run
from web_flask.text_routes import hbnb, through

app = create_app(*through(hbnb))

if __name__ == "__main__":
    run(app)
